"""`Idempotency-Key` on POST: a retried request gets the stored outcome instead of a second run."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Iterable

import msgspec
import redis.asyncio as aioredis
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import ApiError, ErrorEnvelope
from app.api.requester import client_ip, principal_id

log = logging.getLogger(__name__)

STATE_KEY = "idempotency"
HEADER = b"idempotency-key"
REPLAYED_HEADER = b"idempotent-replayed"
IN_FLIGHT = "in_flight"
DONE = "done"

_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# What a replay must reproduce; ids and cookies of the first exchange are not carried over.
_KEPT_HEADERS = frozenset(
    {
        b"content-type",
        b"content-language",
        b"content-location",
        b"location",
        b"etag",
        b"last-modified",
        b"link",
    }
)
# Answers about admission rather than the outcome of the work (auth, throttling, timeouts):
# retrying them with the same key must run the request again.
_NOT_STORED = frozenset({401, 403, 408, 425, 429})

# Compare-and-set on the in-flight marker: only the request holding the lock may finish or
# release it, so a lock that expired and was retaken is left to its new owner.
_FINISH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Entry(msgspec.Struct):
    state: str
    fingerprint: str
    token: str = ""
    status: int = 0
    headers: list[tuple[bytes, bytes]] = msgspec.field(default_factory=list)
    body: bytes = b""


_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(Entry).decode


class IdempotencyStore:
    """Idempotency records in Redis under `{prefix}:{scope}:{key}`."""

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        prefix: str = "idem",
        ttl_seconds: float = 24 * 3600,
        in_flight_seconds: float = 30,
        max_request_bytes: int = 1 << 20,
        max_response_bytes: int = 1 << 20,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_ms = round(ttl_seconds * 1000)
        self.in_flight_ms = round(in_flight_seconds * 1000)
        self.max_request_bytes = max_request_bytes
        self.max_response_bytes = max_response_bytes
        self._finish = redis.register_script(_FINISH)
        self._release = redis.register_script(_RELEASE)

    def key(self, scope_id: str, key: str) -> str:
        return f"{self.prefix}:{scope_id}:{key}"

    async def begin(self, rkey: str, fingerprint: str) -> bytes | Entry:
        """Take the in-flight lock (returns it), or return the finished entry to replay.

        Raises 422 when the key was used for another request, 409 while the first is running.
        """
        lock = _encode(Entry(state=IN_FLIGHT, fingerprint=fingerprint, token=uuid.uuid4().hex))
        for _ in range(3):
            if await self.redis.set(rkey, lock, nx=True, px=self.in_flight_ms):
                return lock
            raw = await self.redis.get(rkey)
            if raw is None:  # expired between the two calls; try to take it again
                continue
            entry = _decode(raw)
            if entry.fingerprint != fingerprint:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request.",
                )
            if entry.state == DONE:
                return entry
            break
        raise ApiError(
            409,
            "idempotency_in_progress",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        )

    async def finish(self, rkey: str, lock: bytes, entry: Entry) -> bool:
        return bool(await self._finish(keys=[rkey], args=[lock, _encode(entry), self.ttl_ms]))

    async def release(self, rkey: str, lock: bytes) -> None:
        await self._release(keys=[rkey], args=[lock])


def _fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:  # length-prefixed, so no two different part lists hash alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when the client went away first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "payload_too_large",
        "The request body is too large for an idempotent request.",
        details={"max_bytes": limit},
    )


def _replaying(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body, only a disconnect can come

    return replay


class _Recorder:
    """Passes the response through while keeping a copy small enough to store."""

    def __init__(self, send: Send, limit: int) -> None:
        self._send = send
        self._limit = limit
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.complete = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [
                (bytes(k).lower(), bytes(v))
                for k, v in message.get("headers", ())
                if bytes(k).lower() in _KEPT_HEADERS
            ]
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size <= self._limit:
                self.chunks.append(chunk)
            self.complete = not message.get("more_body", False)
        await self._send(message)

    def entry(self, fingerprint: str) -> Entry | None:
        storable = (
            self.complete
            and self.size <= self._limit
            and 200 <= self.status < 500
            and self.status not in _NOT_STORED
        )
        if not storable:
            return None
        return Entry(
            state=DONE,
            fingerprint=fingerprint,
            status=self.status,
            headers=self.headers,
            body=b"".join(self.chunks),
        )


async def _replay(send: Send, entry: Entry) -> None:
    headers = [
        *entry.headers,
        (b"content-length", str(len(entry.body)).encode()),
        (REPLAYED_HEADER, b"true"),
    ]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body, "more_body": False})


class IdempotencyMiddleware(ASGIMiddleware):
    """Same key and request: the stored response; same key, other request: 422; overlap: 409.

    Requests without the header, and methods other than those listed, pass untouched. The
    store is the `IdempotencyStore` at `app.state.idempotency`, built at startup with the
    Redis client (bytes responses, not `decode_responses`). List this middleware after the
    authentication middleware, so keys are scoped to the principal rather than the address.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(
        self,
        methods: Iterable[str] = ("POST",),
        exclude_path_pattern: str | tuple[str, ...] | None = None,
    ) -> None:
        self.methods = frozenset(m.upper() for m in methods)
        self.exclude_path_pattern = exclude_path_pattern

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        raw_key = _header(scope, HEADER)
        if scope["method"] not in self.methods or raw_key is None:
            await next_app(scope, receive, send)
            return
        store: IdempotencyStore | None = scope["litestar_app"].state.get(STATE_KEY)
        if store is None:
            raise RuntimeError(f"app.state.{STATE_KEY} is not set; build an IdempotencyStore")
        key = raw_key.decode("latin-1").strip()
        if not _KEY.match(key):
            raise ApiError(
                400,
                "idempotency_key_invalid",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            )
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > store.max_request_bytes:
            raise _too_large(store.max_request_bytes)
        body = await _read_body(receive, store.max_request_bytes)
        if body is None:
            return

        principal = principal_id(scope)
        scope_id = f"principal:{principal}" if principal else f"ip:{client_ip(scope)}"
        fingerprint = _fingerprint(
            scope["method"].encode(),
            scope["path"].encode(),
            scope.get("query_string", b""),
            scope_id.encode(),
            body,
        )
        rkey = store.key(scope_id, key)
        try:
            outcome = await store.begin(rkey, fingerprint)
        except aioredis.RedisError:
            # Without the store the guarantee the client asked for cannot be given.
            log.exception("idempotency store unavailable")
            raise ApiError(
                503,
                "idempotency_unavailable",
                "Idempotent requests cannot be accepted right now; retry later.",
                headers={"Retry-After": "5"},
            ) from None
        if isinstance(outcome, Entry):
            await _replay(send, outcome)
            return

        recorder = _Recorder(send, store.max_response_bytes)
        try:
            await next_app(scope, _replaying(body, receive), recorder.send)
        except BaseException:
            await self._settle(store, rkey, outcome, None)
            raise
        await self._settle(store, rkey, outcome, recorder.entry(fingerprint))

    @staticmethod
    async def _settle(store: IdempotencyStore, rkey: str, lock: bytes, entry: Entry | None) -> None:
        # The response has already gone out; a failure here only costs the replay.
        try:
            if entry is None:
                await store.release(rkey, lock)
            elif not await store.finish(rkey, lock, entry):
                log.warning("idempotency lock expired before the response was stored")
        except aioredis.RedisError:
            log.exception("idempotency outcome not stored")


IDEMPOTENCY_RESPONSES = {
    409: ResponseSpec(
        data_container=ErrorEnvelope,
        description="A request with the same Idempotency-Key is still in progress.",
    ),
    422: ResponseSpec(
        data_container=ErrorEnvelope,
        description="The Idempotency-Key was already used with a different request.",
    ),
}
