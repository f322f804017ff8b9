"""`video_rooms`: the provider side of video appointments (docs/appointments.md, "Video rooms").

The appointment's transition only writes the room's row (a trigger, in its own transaction).
This pump claims due rows, creates the room at the video provider (a pending row) or deletes it
(a row whose appointment ended), and records the answer: SQL moves the row on, applies the retry
schedule and publishes `appointment.video_room_created` / `appointment.video_room_deleted`. A
provider that is down leaves the row pending with its error, retried until it answers.

The consumer part takes the appointment events only so that the pump runs in every worker that
runs the consumer; the events themselves need nothing (the rows are the work, and the
notification of the transition's commit already wakes the pump).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import msgspec
import psycopg
from psycopg.rows import kwargs_row

from app.crypto import FieldCipher, build_field_cipher
from app.db.queries import catalogue
from app.domains.appointments import video
from app.domains.events.envelope import Event
from app.domains.integrations.credentials import provider_credentials
from workers.registry import Consumer, Pump

log = logging.getLogger("restartix.video")
Q = catalogue("appointments")

LEASE_SECONDS = 60
BATCH = 20


class Claimed(msgspec.Struct):
    id: UUID
    organization_id: UUID
    appointment_id: UUID
    provider_id: UUID | None
    provider: str | None
    config: dict[str, Any] | None
    room_name: str
    state: str
    attempt: int
    expires_at: datetime


class Rooms:
    """A pump round: claim, call the provider, record. Each pump thread has its own client."""

    def __init__(
        self, cipher: FieldCipher | None = None, timeout: httpx.Timeout = video.TIMEOUT
    ) -> None:
        self._cipher = cipher
        self._timeout = timeout
        self._clients: dict[int, httpx.Client] = {}

    def cipher(self) -> FieldCipher:
        if self._cipher is None:
            from app.config import Settings

            url = Settings.from_env().system_database_url
            self._cipher = build_field_cipher(lambda: psycopg.connect(url))
        return self._cipher

    def _client(self) -> httpx.Client:
        key = threading.get_ident()
        if key not in self._clients:
            self._clients[key] = httpx.Client(timeout=self._timeout)
        return self._clients[key]

    def round(self, conn: psycopg.Connection, worker: str, session: int | None = None) -> int:
        with conn.cursor(row_factory=kwargs_row(Claimed)) as cur:
            batch = cur.execute(
                Q.video_rooms_claim.sql,
                {"worker": worker, "batch": BATCH, "lease": f"{LEASE_SECONDS} seconds"},
            ).fetchall()
        for room in batch:
            self.work(conn, worker, room)
        return len(batch)

    def _account(self, conn: psycopg.Connection, room: Claimed) -> video.Account:
        if room.provider_id is None:
            raise video.ProviderError(
                "provider_gone: the provider account of this room was removed.", permanent=True
            )
        credentials = provider_credentials(conn, self.cipher(), room.provider_id)
        return video.account(room.provider, room.config, credentials)

    def work(self, conn: psycopg.Connection, worker: str, room: Claimed) -> str | None:
        operation = "create" if room.state == "pending" else "delete"
        room_url = None
        error = None
        permanent = False
        try:
            acct = self._account(conn, room)
            client = self._client()
            if operation == "create":
                if room.attempt > 1:
                    # An earlier attempt may have reached the provider before failing.
                    video.delete_room(client, acct, room.room_name)
                room_url = video.create_room(client, acct, room.room_name, room.expires_at)
            else:
                video.delete_room(client, acct, room.room_name)
        except video.ProviderError as exc:
            error, permanent = str(exc), exc.permanent
        state = conn.execute(
            Q.video_room_record.sql,
            {
                "id": room.id,
                "worker": worker,
                "operation": operation,
                "ok": error is None,
                "permanent": permanent,
                "room_url": room_url,
                "error": error,
            },
        ).fetchone()[0]
        log.info(
            "video room attempt",
            extra={
                "video_room_id": str(room.id),
                "organization_id": str(room.organization_id),
                "operation": operation,
                "attempt": room.attempt,
                "error": error,
                "state": state or "lease lost",
            },
        )
        return state


ROOMS = Rooms()


def _nothing(conn: psycopg.Connection, event: Event) -> None:
    """The pump does the work; see the module's docstring."""


CONSUMER = Consumer(
    name="video_rooms",
    handler=_nothing,
    types=("appointment.started", "appointment.completed"),
    with_connection=True,
    pump=Pump(name="video_room_worker", round=ROOMS.round, concurrency=1),
)
