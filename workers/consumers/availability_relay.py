"""`availability_relay`: tells the public booking pages' live streams to refetch.

Holds publish on a calendar's Redis channel themselves (they live only in Redis). Bookings,
cancellations, reschedules, expiries and hour changes happen in SQL, on any path (the clinic,
a patient, a guest, a worker), and each publishes its event in its transaction; this consumer
turns those events into a message on the channel of every calendar they touched, so one
mechanism covers every path and every API process's streams hear it (docs/scheduling.md).
"""

from __future__ import annotations

import psycopg
import redis

from app.db.queries import catalogue
from app.domains.events.envelope import Event
from app.domains.scheduling.holds import channel
from workers.registry import Consumer

Q = catalogue("scheduling")


class Relay:
    """Publishes `event.type` on each touched calendar's channel; a redelivered event only
    makes the streams refetch once more, so the handler is idempotent."""

    def __init__(self, client: redis.Redis | None = None, prefix: str | None = None) -> None:
        self._client = client
        self._prefix = prefix

    def _redis(self) -> tuple[redis.Redis, str]:
        if self._client is None or self._prefix is None:
            from app.config import Settings

            settings = Settings.from_env()
            self._client = self._client or redis.Redis.from_url(settings.redis_url)
            self._prefix = self._prefix if self._prefix is not None else settings.redis_prefix
        return self._client, self._prefix

    def handle(self, conn: psycopg.Connection, event: Event) -> None:
        if event.organization_id is None:
            return
        payload = event.payload_dict()
        rows = conn.execute(
            Q.touched_calendars.sql,
            {
                "org": event.organization_id,
                "calendar": payload.get("calendar_id"),
                "appointment": payload.get("appointment_id"),
                "specialist": payload.get("specialist_id"),
            },
        ).fetchall()
        client, prefix = self._redis()
        for (calendar_id,) in rows:
            client.publish(channel(prefix, str(calendar_id)), event.type)


def consumer(relay: Relay | None = None) -> Consumer:
    """The relay consumer (a test passes its own Redis client and prefix)."""
    return Consumer(
        name="availability_relay",
        handler=(relay or Relay()).handle,
        types=("appointment.*", "availability.changed"),
        with_connection=True,
        max_attempts=5,
    )


CONSUMER = consumer()
