"""A stand-in for the Daily.co REST API on loopback: exactly the subset the product speaks
(POST /rooms, DELETE /rooms/{name}, POST /meeting-tokens, Bearer API key), with Daily's shapes
and errors, keeping its rooms and tokens in memory so tests can see what the provider holds.

`fail_with` answers every request with that status (a 5xx outage or a 4xx refusal); `stop()`
closes the socket (connection refused) and `start()` opens the same port again."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Daily:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.rooms: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_with: int | None = None
        self.lock = threading.Lock()
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        daily = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                length = int(self.headers.get("content-length") or 0)
                try:
                    return json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    return None

            def _route(self, method: str) -> None:
                body = self._body() if method == "POST" else None
                with daily.lock:
                    daily.requests.append((method, self.path))
                    status, answer = daily.handle(
                        method, self.path, self.headers.get("authorization"), body
                    )
                self._answer(status, answer)

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            def do_GET(self) -> None:
                self._route("GET")

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(
        self, method: str, path: str, auth: str | None, body: Any
    ) -> tuple[int, dict[str, Any]]:
        if self.fail_with is not None:
            return self.fail_with, {"error": "server-error", "info": "the stand-in is failing"}
        if auth != f"Bearer {self.api_key}":
            return 401, {"error": "authorization-header-error", "info": "bad API key"}
        if method == "POST" and path == "/v1/rooms":
            props = (body or {}).get("properties") or {}
            name = (body or {}).get("name")
            if not isinstance(name, str) or (body or {}).get("privacy") != "private":
                return 400, {"error": "invalid-request-error", "info": "name and privacy"}
            if not isinstance(props.get("exp"), int) or props["exp"] <= time.time():
                return 400, {"error": "invalid-request-error", "info": "exp must be in the future"}
            if name in self.rooms:
                return 400, {
                    "error": "invalid-request-error",
                    "info": f"a room named {name} already exists",
                }
            room = {
                "id": secrets.token_hex(8),
                "name": name,
                "privacy": "private",
                "url": f"https://restartix-test.daily.co/{name}",
                "config": {"exp": props["exp"]},
            }
            self.rooms[name] = room
            return 200, room
        if method == "DELETE" and path.startswith("/v1/rooms/"):
            name = path.removeprefix("/v1/rooms/")
            if self.rooms.pop(name, None) is None:
                return 404, {"error": "not-found", "info": f"room {name} was not found"}
            return 200, {"deleted": True, "name": name}
        if method == "POST" and path == "/v1/meeting-tokens":
            props = (body or {}).get("properties") or {}
            if props.get("room_name") not in self.rooms:
                return 400, {"error": "invalid-request-error", "info": "no such room"}
            if not isinstance(props.get("exp"), int) or not isinstance(props.get("is_owner"), bool):
                return 400, {"error": "invalid-request-error", "info": "exp and is_owner"}
            token = "tok_" + secrets.token_urlsafe(16)
            self.tokens[token] = props
            return 200, {"token": token}
        return 404, {"error": "not-found", "info": "no such endpoint"}
