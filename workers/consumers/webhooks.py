"""`webhooks`: a clinic's events to its own HTTPS endpoints (docs/webhooks.md).

Two parts. The consumer fans each event out into one message per matching subscription (one
SQL call, no network: the organization's lane of the outbox never waits on a receiver). The
pump, in the same workers, claims due messages (each subscription its own lane), signs them per
Standard Webhooks, POSTs them to the checked address and records the attempt; SQL applies the
retry schedule.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import hashlib
import hmac
import logging
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import msgspec
import psycopg
from psycopg.rows import kwargs_row
from psycopg.types.json import Jsonb

from app import classification
from app.crypto import FieldCipher, build_field_cipher
from app.db.queries import catalogue
from app.domains.events.catalog import payload_type
from app.domains.events.envelope import Event
from app.domains.webhooks import safety, secrets
from workers.registry import Consumer, Pump

log = logging.getLogger("restartix.webhooks")
Q = catalogue("webhooks")

CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 15.0
BODY_CAP = 4096
LEASE_SECONDS = 60
BATCH = 20
PER_SUBSCRIPTION = 5
USER_AGENT = "RestartiX-Webhooks/1"
TARGET = "webhook_egress"


def fan_out(conn: psycopg.Connection, event: Event) -> None:
    conn.execute(Q.fan_out.sql, {"event_id": event.id})


@dataclass(frozen=True)
class Message:
    message_id: uuid.UUID
    subscription_id: uuid.UUID
    organization_id: uuid.UUID
    url: str
    attempt: int
    event_id: uuid.UUID
    event_type: str
    event_version: int
    occurred_at: datetime
    payload: str
    secret_ids: list[uuid.UUID] | None
    secrets: list[bytes] | None


@dataclass(frozen=True)
class Outcome:
    status: int | None = None
    body: str | None = None
    error_class: str | None = None
    error: str | None = None
    retry_after: int | None = None
    duration_ms: int = 0


@functools.cache
def _registry() -> dict:
    return classification.load_registry()


def body_of(message: Message) -> bytes:
    """The envelope with its payload filtered for webhook egress (fields whose registry column
    does not allow it, or that declare none, are dropped)."""
    struct = payload_type(message.event_type, message.event_version)
    carries = getattr(struct, "CARRIES", None) if struct is not None else None
    payload = msgspec.json.decode(message.payload)
    data = classification.filter_payload_for_egress(_registry(), carries, payload, TARGET)
    envelope = {
        "type": message.event_type,
        "version": message.event_version,
        "timestamp": message.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "event_id": str(message.event_id),
        "organization_id": str(message.organization_id),
        "data": data,
    }
    return msgspec.json.encode(envelope)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the decoded `whsec_` part."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secrets.key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _retry_after(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def _client(total: float = TOTAL_TIMEOUT, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    # No redirects, no proxies from the environment (they would bypass the address check),
    # and no kept-alive connections: a pooled TLS connection is keyed by the address, and one
    # made for another subscription's name must never carry this one's request.
    return httpx.Client(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(total, connect=min(CONNECT_TIMEOUT, total)),
        limits=httpx.Limits(max_keepalive_connections=0),
        verify=verify,
    )


def deliver(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    body: bytes,
    policy: safety.Policy,
    total: float = TOTAL_TIMEOUT,
) -> Outcome:
    """One POST to the address checked now (no second resolution: DNS rebinding cannot turn
    it private), with the name as Host and SNI."""
    started = time.monotonic()

    def done(**kwargs: Any) -> Outcome:
        return Outcome(duration_ms=int((time.monotonic() - started) * 1000), **kwargs)

    try:
        target = safety.parse(url, policy)
        address = safety.resolve(target, policy)
    except safety.UnsafeTarget as exc:
        return done(error_class="refused_address", error=str(exc))
    except LookupError as exc:
        return done(error_class="connect", error=str(exc))
    host = f"[{address}]" if address.version == 6 else str(address)
    default = 443 if target.scheme == "https" else 80
    netloc = host if target.port == default else f"{host}:{target.port}"
    name = target.host if target.port == default else f"{target.host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        with client.stream(
            "POST",
            f"{target.scheme}://{netloc}{target.path}",
            content=body,
            headers={**headers, "host": name},
            extensions=extensions,
        ) as response:
            kept = bytearray()
            for chunk in response.iter_bytes():
                kept += chunk
                if len(kept) >= BODY_CAP or time.monotonic() - started > total:
                    break
            text = bytes(kept[:BODY_CAP]).decode("utf-8", "replace")
            # Whole request within the total budget, or it counts as a timeout.
            if time.monotonic() - started > total:
                return done(status=response.status_code, error_class="timeout", error="too slow")
            ok = 200 <= response.status_code < 300
            return done(
                status=response.status_code,
                body=text,
                error_class=None if ok else "http_status",
                error=None if ok else f"HTTP {response.status_code}",
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
    except httpx.TimeoutException as exc:
        return done(error_class="timeout", error=f"{type(exc).__name__}: timed out")
    except httpx.ConnectError as exc:
        is_tls = isinstance(exc.__cause__, ssl.SSLError) or "SSL" in str(exc)
        return done(error_class="tls" if is_tls else "connect", error=str(exc)[:500])
    except httpx.HTTPError as exc:
        return done(error_class="protocol", error=f"{type(exc).__name__}: {str(exc)[:500]}")


class Sender:
    """A pump round: claim, sign, send, record. One per pump thread (its own HTTP client)."""

    def __init__(
        self,
        cipher: FieldCipher | None = None,
        total: float = TOTAL_TIMEOUT,
        verify: ssl.SSLContext | bool = True,  # tests trust their own certificate authority
    ) -> None:
        self._cipher = cipher
        self._total = total
        self._verify = verify
        self._clients: dict[int, httpx.Client] = {}

    def cipher(self) -> FieldCipher:
        if self._cipher is None:
            from app.config import Settings

            url = Settings.from_env().system_database_url
            self._cipher = build_field_cipher(lambda: psycopg.connect(url))
        return self._cipher

    def _client(self) -> httpx.Client:
        import threading

        key = threading.get_ident()
        if key not in self._clients:
            self._clients[key] = _client(self._total, self._verify)
        return self._clients[key]

    def round(self, conn: psycopg.Connection, worker: str, session: int | None) -> int:
        with conn.cursor(row_factory=kwargs_row(Message)) as cur:
            batch = cur.execute(
                Q.messages_claim.sql,
                {
                    "worker": worker,
                    "batch": BATCH,
                    "lease": f"{LEASE_SECONDS} seconds",
                    "per_subscription": PER_SUBSCRIPTION,
                    "session": session,
                },
            ).fetchall()
        policy = safety.Policy.from_env()
        for message in batch:
            self.send(conn, worker, message, policy)
        return len(batch)

    def send(
        self, conn: psycopg.Connection, worker: str, message: Message, policy: safety.Policy
    ) -> str | None:
        msg_id = f"msg_{message.message_id}"
        timestamp = int(time.time())  # the real clock: receivers check it against theirs
        body = body_of(message)
        keys = [
            secrets.open_sealed(self.cipher(), sealed, secret_id, message.organization_id)
            for secret_id, sealed in zip(
                message.secret_ids or [], message.secrets or [], strict=True
            )
        ]
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": " ".join(sign(k, msg_id, timestamp, body) for k in keys),
        }
        outcome = deliver(self._client(), message.url, headers, body, policy, self._total)
        logged = {**headers, "webhook-signature": f"{len(keys)} signature(s)"}
        state = conn.execute(
            Q.attempt_record.sql,
            {
                "message_id": message.message_id,
                "worker": worker,
                "url": message.url,
                "headers": Jsonb(logged),
                "status": outcome.status,
                "body": outcome.body,
                "duration_ms": outcome.duration_ms,
                "error_class": outcome.error_class,
                "error": outcome.error,
                "retry_after": outcome.retry_after,
            },
        ).fetchone()[0]
        log.info(
            "webhook attempt",
            extra={
                "message_id": str(message.message_id),
                "subscription_id": str(message.subscription_id),
                "attempt": message.attempt,
                "status": outcome.status,
                "error_class": outcome.error_class,
                "state": state or "lease lost",
                "duration_ms": outcome.duration_ms,
            },
        )
        return state


SENDER = Sender()

CONSUMER = Consumer(
    name="webhooks",
    handler=fan_out,
    types=("*",),
    max_attempts=10,
    with_connection=True,
    pump=Pump(name="webhook_sender", round=SENDER.round, concurrency=2),
)
