"""The SQL calls of a consumer's life cycle (db/functions/events/consumers.sql), one each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import kwargs_row

from app.db.queries import Query, catalogue
from app.domains.events.envelope import Event, decode_payload
from workers.registry import Consumer

CHANNEL = "restartix_events"
Q = catalogue("events")


def _value(conn: psycopg.Connection, query: Query, **params):
    """The one value a catalogued call answers."""
    return conn.execute(query.sql, params).fetchone()[0]


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
    return _value(
        conn,
        Q.consumer_register,
        name=consumer.name,
        types=list(consumer.types),
        max_attempts=consumer.max_attempts,
        lease=consumer.lease,
        backoff_base=consumer.backoff_base,
        backoff_max=consumer.backoff_max,
    )


def hold_session(conn: psycopg.Connection, key: int | None = None) -> int:
    """Hold a worker session on `conn` (the LISTEN connection) for as long as it stays open.

    Returns its key: `key` again when nobody else holds it (after a reconnect), else a new one.
    """
    return _value(conn, Q.session_hold, key=key)


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
    with conn.cursor(row_factory=kwargs_row(Delivery)) as cur:
        params = {
            "consumer": consumer,
            "worker": worker,
            "batch": limit,
            "per_lane": per_lane,
            "lease": lease,
            "session": session,
        }
        return cur.execute(Q.deliveries_claim.sql, params).fetchall()


def complete(conn: psycopg.Connection, lease_id: uuid.UUID, event_id: uuid.UUID) -> bool:
    return _value(conn, Q.delivery_complete, lease_id=lease_id, event_id=event_id)


def fail(
    conn: psycopg.Connection, lease_id: uuid.UUID, event_id: uuid.UUID, error: str
) -> str | None:
    """The delivery's new state (`pending` or `dead`), or None when the lease was lost."""
    return _value(conn, Q.delivery_fail, lease_id=lease_id, event_id=event_id, error=error)


def release(conn: psycopg.Connection, lease_id: uuid.UUID) -> int:
    return _value(conn, Q.lease_release, lease_id=lease_id)


def heartbeat(conn: psycopg.Connection, lease_ids: list[uuid.UUID], lease: timedelta | None) -> int:
    return _value(conn, Q.leases_heartbeat, lease_ids=lease_ids, lease=lease)


def orphaned(conn: psycopg.Connection, consumers: list[str]) -> int:
    """Deliveries of these consumers leased by workers whose session has ended."""
    return _value(conn, Q.leases_orphaned, consumers=consumers)


def replay(conn: psycopg.Connection, consumer: str, start: datetime, end: datetime) -> int:
    return _value(conn, Q.deliveries_replay, consumer=consumer, since=start, until=end)
