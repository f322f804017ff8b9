"""The organization's appointments: booking re-checks the slot in SQL under a per-specialist
lock, with the calendar's live holds minus the caller's own hold token; transitions follow
the state machine of docs/appointments.md."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
import psycopg
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError, database_error, envelope
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.scheduling import holds

Q = catalogue("appointments")

Status = Literal["requested", "confirmed", "inprogress", "done", "cancelled", "no_show"]
Modality = Literal["in_clinic", "video", "home_visit"]
Notes = Annotated[str, msgspec.Meta(max_length=4000)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class Appointment(msgspec.Struct):
    id: UUID
    organization_id: UUID
    calendar_id: UUID | None
    service_id: UUID
    specialist_id: UUID
    patient_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: Status
    modality: Modality
    notes: str | None
    cancellation_reason: str | None
    cancelled_by: Literal["clinic", "patient"] | None
    patient_service_plan_id: UUID | None
    # A guest's public booking: the contact as typed, and when the request expires.
    guest_name: str | None
    guest_phone: str | None
    guest_email: str | None
    request_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


class Book(Body, kw_only=True):
    """`start` is one the calendar's availability offers; `hold_token` is the caller's own
    hold of that slot (not counted against it, released after booking); `specialist_id` is
    required by a patient-choice calendar."""

    calendar_id: UUID
    patient_id: UUID
    start: datetime
    specialist_id: UUID | None = None
    modality: Modality | None = None
    notes: Notes | None = None
    hold_token: Token | None = None


class Transition(Body, kw_only=True):
    status: Literal["confirmed", "inprogress", "done", "no_show"]


class Reschedule(Body, kw_only=True):
    start: datetime
    hold_token: Token | None = None


class Cancel(Body, kw_only=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]


class Cancelled(msgspec.Struct):
    appointment: Appointment
    session_returned: bool


class MissingConsent(msgspec.Struct):
    purpose: Literal["org_terms", "org_privacy_notice"]
    document_id: UUID
    document_version: int


class MissingForm(msgspec.Struct):
    form_template_id: UUID
    form_template_version_id: UUID
    form_id: UUID | None = msgspec.field(default=None)


class Requirements(msgspec.Struct):
    """What the patient still lacks to book the calendar: `consents` to the clinic's current
    terms and privacy notice, and required `forms` to sign (each with the pending form to
    fill, made on the first ask). `ready` when both are empty."""

    ready: bool
    consents: list[MissingConsent]
    forms: list[MissingForm]
    patient_id: UUID | None = None


APPOINTMENTS = "/v1/orgs/{org_id:uuid}/appointments"
APPOINTMENT = APPOINTMENTS + "/{appointment_id:uuid}"


def aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None:
        raise ApiError(400, "invalid_field", f"{name}: a date-time with its UTC offset.")
    return value


async def _holds(request: Request, db: Db, token: str | None) -> str:
    resources = request.app.state.resources
    live = await holds.live(resources.redis, resources.settings.redis_prefix, db.org_id)
    return holds.as_parameter(live, except_token=token)


async def _release(request: Request, db: Db, token: str | None) -> None:
    if token is not None:
        resources = request.app.state.resources
        await holds.release(resources.redis, resources.settings.redis_prefix, db.org_id, token)


async def gated(
    request: Request,
    db: Db,
    book: Callable[[], Awaitable[Any]],
    requirements: Callable[[], Awaitable[Requirements]],
) -> tuple[Any, Response | None]:
    """Books in a savepoint. A `forms_required` refusal rolls back only the booking; the
    missing forms are then made pending in the request's transaction, which commits, and the
    409 lists them with their form ids (the refusal is returned, not raised, so the pending
    forms survive it). Every other refusal is raised as usual."""
    try:
        async with db.conn.transaction():
            return await book(), None
    except psycopg.Error as exc:
        error = database_error(exc)
        if error is None or error.code != "forms_required":
            raise
    missing = await requirements()
    error.details = {"forms": msgspec.to_builtins(missing.forms)}
    return None, envelope(request, error)


async def _load(db: Db, appointment_id: UUID) -> Appointment:
    found = await db.row(Q.appointment_by_id, Appointment, id=appointment_id)
    if found is None:
        raise ApiError(404, "appointment_not_found", "No such appointment in this organization.")
    return found


def _query_time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "invalid_query", f"{name}: not an RFC 3339 date-time.") from None
    if parsed.tzinfo is None:
        raise ApiError(400, "invalid_query", f"{name}: a date-time with its UTC offset.")
    return parsed


@get(
    APPOINTMENTS,
    operation_id="appointments_list",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def list_appointments(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    specialist_id: Annotated[UUID | None, QueryParameter()] = None,
    patient_id: Annotated[UUID | None, QueryParameter()] = None,
    status: Annotated[Status | None, QueryParameter()] = None,
    from_: Annotated[str | None, QueryParameter(name="from", description="RFC 3339")] = None,
    to: Annotated[str | None, QueryParameter(description="RFC 3339, exclusive")] = None,
) -> Page[Appointment]:
    """The organization's appointments, by start (`appointments.read` and `patients.read`)."""
    return await db.page(
        Q.appointments_list,
        Appointment,
        listing,
        specialist=specialist_id,
        patient=patient_id,
        status=status,
        starts_from=_query_time(from_, "from"),
        starts_before=_query_time(to, "to"),
    )


@get(
    APPOINTMENT,
    operation_id="appointments_get",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def get_appointment(db: NamedDependency[Db], appointment_id: FromPath[UUID]) -> Appointment:
    """One appointment (`appointments.read` and `patients.read`)."""
    return await _load(db, appointment_id)


@post(
    APPOINTMENTS,
    operation_id="appointments_book",
    tags=["appointments"],
    opt=requires("appointments.book"),
)
async def book_appointment(
    request: Request, db: NamedDependency[Db], data: JSONBody[Book]
) -> Response[Appointment]:
    """Book a slot of a calendar for a patient (`appointments.book`): 409 `slot_taken` when
    availability does not offer it (taken, held, closed, off the grid, too soon); 409
    `consent_required` when the patient has not consented to the clinic's current terms or
    privacy notice, `forms_required` when a required form is not signed (its pending form is
    made and listed)."""
    start = aware(data.start, "start")
    live = await _holds(request, db, data.hold_token)
    new_id, refused = await gated(
        request,
        db,
        lambda: db.scalar(
            Q.appointment_book,
            calendar=data.calendar_id,
            patient=data.patient_id,
            start=start,
            holds=live,
            specialist=data.specialist_id,
            modality=data.modality,
            notes=data.notes,
        ),
        lambda: _requirements(db, data.calendar_id, data.patient_id),
    )
    if refused is not None:
        return refused
    found = await _load(db, new_id)
    await _release(request, db, data.hold_token)
    return Response(found, status_code=201)


async def _requirements(db: Db, calendar_id: UUID, patient_id: UUID) -> Requirements:
    found = await db.scalar(Q.booking_requirements, calendar=calendar_id, patient=patient_id)
    return msgspec.convert(found, Requirements)


@get(
    "/v1/orgs/{org_id:uuid}/calendars/{calendar_id:uuid}/requirements",
    operation_id="calendars_requirements",
    tags=["appointments"],
    opt=requires("appointments.book"),
)
async def calendar_requirements(
    db: NamedDependency[Db],
    calendar_id: FromPath[UUID],
    patient_id: Annotated[UUID, QueryParameter()],
) -> Requirements:
    """What a patient still lacks to book this calendar (`appointments.book`): consents to
    the current terms and privacy notice, and required forms to sign. The missing forms are
    made pending for the patient on the first ask (idempotent: later asks find them)."""
    return await _requirements(db, calendar_id, patient_id)


@post(
    APPOINTMENT + "/transition",
    operation_id="appointments_transition",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
)
async def transition_appointment(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], data: JSONBody[Transition]
) -> Appointment:
    """Confirm, start, complete or mark a no-show (`appointments.manage`); 409
    `invalid_transition` for a move the state machine does not allow."""
    await db.scalar(Q.appointment_transition, id=appointment_id, status=data.status)
    return await _load(db, appointment_id)


@post(
    APPOINTMENT + "/reschedule",
    operation_id="appointments_reschedule",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
)
async def reschedule_appointment(
    request: Request,
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    data: JSONBody[Reschedule],
) -> Appointment:
    """Move an appointment to another start with the same specialist, with booking's checks
    (`appointments.manage`); a refusal keeps the old time."""
    await db.execute(
        Q.appointment_reschedule,
        id=appointment_id,
        start=aware(data.start, "start"),
        holds=await _holds(request, db, data.hold_token),
    )
    found = await _load(db, appointment_id)
    await _release(request, db, data.hold_token)
    return found


@post(
    APPOINTMENT + "/cancel",
    operation_id="appointments_cancel",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
)
async def cancel_appointment(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], data: JSONBody[Cancel]
) -> Cancelled:
    """The clinic cancels with a reason (`appointments.manage`); the used plan session comes
    back (once)."""
    returned = await db.scalar(Q.appointment_cancel, id=appointment_id, reason=data.reason)
    return Cancelled(await _load(db, appointment_id), bool(returned))
