"""Public two-phase booking: a guest with a live hold books a public calendar's slot into
`requested` (`POST /v1/public/bookings`, no sign-in, rate-limited, on the system pool through
`appointments.book_guest`), and the clinic confirms it (`POST .../appointments/{id}/confirm`),
which invites the guest to claim their profile (`patient.claim_invited`)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from psycopg.rows import kwargs_row

from app.api.common import Body
from app.api.errors import ApiError, request_id_of
from app.api.scope import Db, requires
from app.api.scope import _ip as evidence_ip
from app.db.queries import catalogue
from app.domains.appointments.appointments import APPOINTMENT, Appointment, Notes
from app.domains.scheduling import holds
from app.domains.scheduling.public import PUBLIC
from app.domains.scheduling.public import Token as HoldToken
from app.domains.scheduling.public import _calendar as public_calendar

Q = catalogue("appointments")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ().-]{3,32}$")]


class Guest(Body, kw_only=True):
    """The guest's contact: it becomes (or finds) their guest profile in the clinic."""

    first_name: Name
    last_name: Name
    email: Email
    phone: Phone
    date_of_birth: date | None = None
    locale: Literal["en", "ro"] | None = None


class PublicBooking(Body, kw_only=True):
    """`start` and `hold_token` are the guest's live hold of this calendar (placed through
    `POST /v1/public/calendars/{id}/holds`); `consents` are the ids of the clinic's current
    terms and privacy notice documents the guest accepted; `forms` maps each before-booking
    form template of the calendar to the guest's answers."""

    calendar_id: UUID
    start: datetime
    hold_token: HoldToken
    guest: Guest
    consents: Annotated[list[UUID], msgspec.Meta(max_length=10)] = msgspec.field(
        default_factory=list
    )
    forms: Annotated[dict[UUID, dict[str, Any]], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=dict
    )
    notes: Notes | None = None


class PublicBooked(msgspec.Struct):
    appointment_id: UUID
    status: Literal["requested", "confirmed", "inprogress", "done", "cancelled", "no_show"]
    request_expires_at: datetime | None


def _hold(found: list[holds.Hold], token: str) -> dict[str, str] | None:
    """The live hold of this token, as book_guest checks it; None when it holds nothing."""
    for h in found:
        if h.token == token:
            return {
                "specialist_id": h.specialist_id,
                "start": datetime.fromtimestamp(h.start, UTC).isoformat(),
                "end": datetime.fromtimestamp(h.end, UTC).isoformat(),
            }
    return None


@post("/v1/public/bookings", operation_id="public_bookings_create", **PUBLIC)
async def book_publicly(request: Request, data: JSONBody[PublicBooking]) -> Response[PublicBooked]:
    """Book a held slot of a public calendar as a guest: the appointment is `requested` until
    the clinic confirms it, and expires (freeing the slot) after the calendar's
    `request_expiry_hours` (48 by default). 409 `hold_invalid` without a live hold of this
    slot, `consent_required`, `forms_required`, `sign_in_required` (the e-mail has an
    account), `slot_taken`; 422 `form_invalid` naming the items. A repeat with the same hold
    token answers the same appointment (200)."""
    if data.start.tzinfo is None:
        raise ApiError(400, "invalid_field", "start: a date-time with its UTC offset.")
    resources = request.app.state.resources
    prefix = resources.settings.redis_prefix
    async with resources.system_pool.connection() as conn:
        cal = await public_calendar(conn, data.calendar_id)
        org = str(cal.organization_id)
        live = await holds.live(resources.redis, prefix, org)
        hold = _hold(live, data.hold_token)
        async with conn.transaction(), conn.cursor(row_factory=kwargs_row(_Booked)) as cur:
            await cur.execute(
                Q.public_booking.sql,
                {
                    "calendar": data.calendar_id,
                    "start": data.start,
                    "hold_sha256": hashlib.sha256(data.hold_token.encode()).hexdigest(),
                    "hold": None if hold is None else json.dumps(hold),
                    "holds": holds.as_parameter(live, except_token=data.hold_token),
                    "guest": msgspec.json.encode(data.guest).decode(),
                    "consents": json.dumps([str(d) for d in data.consents]),
                    "forms": msgspec.json.encode(data.forms).decode(),
                    "notes": data.notes,
                    "ip": evidence_ip(request),
                    "agent": (request.headers.get("user-agent") or "")[:512],
                    "request_id": request_id_of(request),
                },
            )
            booked = await cur.fetchone()
    if not booked.replayed:
        await holds.release(resources.redis, prefix, org, data.hold_token)
        await resources.redis.publish(holds.channel(prefix, str(data.calendar_id)), b"release")
    answer = PublicBooked(booked.appointment_id, booked.status, booked.request_expires_at)
    return Response(answer, status_code=200 if booked.replayed else 201)


class _Booked(msgspec.Struct):
    appointment_id: UUID
    status: str
    request_expires_at: datetime | None
    replayed: bool


@post(
    APPOINTMENT + "/confirm",
    operation_id="appointments_confirm",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
)
async def confirm_appointment(
    db: NamedDependency[Db], appointment_id: FromPath[UUID]
) -> Appointment:
    """Confirm a requested appointment (`appointments.manage`); a guest's booking then
    invites the guest to claim their profile (`patient.claim_invited`). 409
    `invalid_transition` from any other status."""
    await db.scalar(Q.appointment_transition, id=appointment_id, status="confirmed")
    found = await db.row(Q.appointment_by_id, Appointment, id=appointment_id)
    if found is None:
        raise ApiError(404, "appointment_not_found", "No such appointment in this organization.")
    return found
