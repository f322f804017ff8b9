"""Joining a video appointment: the room's URL and a meeting token minted for the caller by
the provider, only while the appointment is in progress and its room created (otherwise 409
`video_room_not_ready`). The clinic (`appointments.manage`) joins as the room's owner, the
patient (or a caregiver who books for them) as a participant. Tokens are never stored."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import Query, catalogue
from app.domains.appointments import video
from app.domains.appointments.appointments import APPOINTMENT
from app.domains.integrations.credentials import open_sealed, provider_context

Q = catalogue("appointments")
INTEGRATIONS = catalogue("integrations")

# What the provider shows as the participant's name: a role, not a person (no name of a
# patient or clinician leaves for the provider).
CLINIC_NAME = "Clinic"
PATIENT_NAME = "Patient"


class Room(msgspec.Struct):
    room_name: str
    room_url: str
    provider_id: UUID
    provider: str | None
    config: dict[str, Any] | None
    expires_at: datetime


class VideoJoin(msgspec.Struct):
    room_url: str
    token: str
    is_owner: bool
    expires_at: datetime


def _unavailable(message: str) -> ApiError:
    return ApiError(503, "video_provider_unavailable", message)


async def _join(
    request: Request, db: Db, query: Query, appointment_id: UUID, owner: bool
) -> VideoJoin:
    room = await db.row(query, Room, id=appointment_id)
    if room is None:  # the provider account was removed after the room was created
        raise _unavailable("The video provider account of this room no longer exists.")
    resources = request.app.state.resources
    async with resources.system_pool.connection() as conn:
        cursor = await conn.execute(
            INTEGRATIONS.provider_sealed_credentials.sql, {"id": str(room.provider_id)}
        )
        sealed = await cursor.fetchone()
    credentials = None
    if sealed is not None and sealed[1] is not None:
        context = provider_context(room.provider_id, sealed[0])
        cipher = resources.field_cipher()
        credentials = await asyncio.to_thread(open_sealed, cipher, sealed[1], context)
    try:
        acct = video.account(room.provider, room.config, credentials)
        async with httpx.AsyncClient(timeout=video.TIMEOUT) as client:
            token = await video.meeting_token(
                client,
                acct,
                room.room_name,
                room.expires_at,
                is_owner=owner,
                user_name=CLINIC_NAME if owner else PATIENT_NAME,
            )
    except video.ProviderError:
        raise _unavailable("The video provider did not issue a meeting token; try again.") from None
    return VideoJoin(room.room_url, token, owner, room.expires_at)


@get(
    APPOINTMENT + "/video",
    operation_id="appointments_video_join",
    tags=["appointments"],
    opt=requires("appointments.manage"),
)
async def join_video(
    request: Request, db: NamedDependency[Db], appointment_id: FromPath[UUID]
) -> VideoJoin:
    """Join a video appointment as the clinic (`appointments.manage`): the room URL and an
    owner meeting token, while the appointment is in progress and its room created."""
    return await _join(request, db, Q.video_join, appointment_id, owner=True)


@get(
    "/v1/me/appointments/{appointment_id:uuid}/video",
    operation_id="my_appointments_video_join",
    tags=["me"],
)
async def join_my_video(
    request: Request, db: NamedDependency[Db], appointment_id: FromPath[UUID]
) -> VideoJoin:
    """Join your video appointment (or that of someone you book for): the room URL and a
    participant meeting token, while the appointment is in progress and its room created."""
    return await _join(request, db, Q.my_video_join, appointment_id, owner=False)
