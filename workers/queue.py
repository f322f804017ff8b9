"""The SQL calls of a consumer's life cycle (db/functions/events/consumers.sql), one each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from app.domains.events.envelope import Event, decode_payload
from workers.registry import Consumer

CHANNEL = "restartix_events"


@dataclass(frozen=True)
class Delivery:
    """One claimed delivery; `event()` decodes it (and may raise on a payload mismatch)."""

    lease_id: uuid.UUID
    event_id: uuid.UUID
    attempt: int
    redeliveries: int  # times handed out again because its worker ended while holding it
    lane: uuid.UUID
    position: int
    type: str
    version: int
    organization_id: uuid.UUID | None
    actor_id: uuid.UUID
    actor_type: str
    request_id: str | None
    occurred_at: datetime
    payload: str

    def event(self) -> Event:
        return Event(
            id=self.event_id,
            type=self.type,
            version=self.version,
            organization_id=self.organization_id,
            actor_id=self.actor_id,
            actor_type=self.actor_type,
            request_id=self.request_id,
            occurred_at=self.occurred_at,
            position=self.position,
            attempt=self.attempt,
            payload=decode_payload(self.type, self.version, self.payload),
        )


def register(conn: psycopg.Connection, consumer: Consumer) -> int:
    row = conn.execute(
        "SELECT events.register_consumer(%s, %s, %s, %s, %s, %s)",
        (
            consumer.name,
            list(consumer.types),
            consumer.max_attempts,
            consumer.lease,
            consumer.backoff_base,
            consumer.backoff_max,
        ),
    ).fetchone()
    return row[0]


def hold_session(conn: psycopg.Connection, key: int | None = None) -> int:
    """Hold a worker session on `conn` (the LISTEN connection) for as long as it stays open.

    Returns its key: `key` again when nobody else holds it (after a reconnect), else a new one.
    """
    return conn.execute("SELECT events.hold_session(%s)", (key,)).fetchone()[0]


def claim(
    conn: psycopg.Connection,
    consumer: str,
    worker: str,
    *,
    limit: int,
    per_lane: int,
    lease: timedelta | None,
    session: int | None = None,
) -> list[Delivery]:
    rows = conn.execute(
        "SELECT lease_id, event_id, attempt, redeliveries, lane, event_position, type, version, "
        "organization_id, actor_id, actor_type, request_id, occurred_at, payload::text "
        "FROM events.claim(%s, %s, %s, %s, %s, %s)",
        (consumer, worker, limit, per_lane, lease, session),
    ).fetchall()
    return [Delivery(*row) for row in rows]


def complete(conn: psycopg.Connection, lease_id: uuid.UUID, event_id: uuid.UUID) -> bool:
    return conn.execute("SELECT events.complete(%s, %s)", (lease_id, event_id)).fetchone()[0]


def fail(
    conn: psycopg.Connection, lease_id: uuid.UUID, event_id: uuid.UUID, error: str
) -> str | None:
    """The delivery's new state (`pending` or `dead`), or None when the lease was lost."""
    return conn.execute("SELECT events.fail(%s, %s, %s)", (lease_id, event_id, error)).fetchone()[0]


def release(conn: psycopg.Connection, lease_id: uuid.UUID) -> int:
    return conn.execute("SELECT events.release(%s)", (lease_id,)).fetchone()[0]


def heartbeat(conn: psycopg.Connection, lease_ids: list[uuid.UUID], lease: timedelta | None) -> int:
    return conn.execute("SELECT events.heartbeat(%s, %s)", (lease_ids, lease)).fetchone()[0]


def orphaned(conn: psycopg.Connection, consumers: list[str]) -> int:
    """Deliveries of these consumers leased by workers whose session has ended."""
    return conn.execute("SELECT events.orphaned_leases(%s)", (consumers,)).fetchone()[0]


def replay(conn: psycopg.Connection, consumer: str, start: datetime, end: datetime) -> int:
    return conn.execute("SELECT events.replay(%s, %s, %s)", (consumer, start, end)).fetchone()[0]
