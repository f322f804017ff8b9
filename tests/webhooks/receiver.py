"""A real HTTP receiver on loopback for the webhook tests: it verifies every request's
signatures with the independent `standardwebhooks` library, counts deliveries by `webhook-id`,
and answers as told (ok, 500, 410, hang, Retry-After)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from werkzeug import Request, Response


@dataclass
class Received:
    path: str
    webhook_id: str
    headers: dict[str, str]
    body: dict
    verified_with: list[str]


@dataclass
class Receiver:
    server: HTTPServer
    secrets: dict[str, list[str]] = field(default_factory=dict)  # path -> secrets to check
    modes: dict[str, str] = field(default_factory=dict)  # path -> ok | fail | gone | hang | slow
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.server.port}{path}"

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        headers = {k.lower(): v for k, v in request.headers.items()}
        verified = []
        for secret in self.secrets.get(request.path, []):
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            verified.append(secret)
        with self.lock:
            self.received.append(
                Received(
                    request.path, headers.get("webhook-id", ""), headers, json.loads(body), verified
                )
            )
        mode = self.modes.get(request.path, "ok")
        if mode == "hang":
            time.sleep(3)
        if mode == "slow":
            time.sleep(0.02)
        if mode == "fail":
            return Response("broken", status=500)
        if mode == "gone":
            return Response("", status=410)
        if mode == "busy":
            return Response("later", status=503, headers={"Retry-After": "7200"})
        if mode == "big":
            return Response("x" * 100_000, status=200)
        if mode == "redirect":
            return Response("", status=302, headers={"Location": "http://127.0.0.1:1/"})
        return Response("", status=204)

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def counts(self, path: str) -> Counter:
        return Counter(r.webhook_id for r in self.at(path))
