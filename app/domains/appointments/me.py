"""The patient's side: /v1/me/appointments lists the signed-in human's appointments, and
those of people they care for with the `book` permission, upcoming or past, books a public
calendar of a clinic they are registered with (requested, or confirmed when the calendar
auto-confirms), says what is missing to book (consents, forms), and cancels one before its
start (the clinic's cancellation window decides whether the session comes back)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.appointments.appointments import (
    Modality,
    Requirements,
    Status,
    Token,
    aware,
    gated,
)
from app.domains.scheduling import holds

Q = catalogue("appointments")


class MyAppointment(msgspec.Struct):
    id: UUID
    organization_id: UUID
    service_id: UUID
    specialist_id: UUID
    patient_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: Status
    modality: Modality
    cancelled_by: Literal["clinic", "patient"] | None


class CancelMine(Body, kw_only=True):
    reason: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class MyCancelled(msgspec.Struct):
    appointment: MyAppointment
    session_returned: bool


class BookMine(Body, kw_only=True):
    """`patient_id` is the patient record you book for (one you care for with `book`); left
    out, your own record at the calendar's clinic. `hold_token` is your hold of the slot
    (`POST /v1/public/calendars/{id}/holds`), released after booking."""

    calendar_id: UUID
    start: datetime
    patient_id: UUID | None = None
    specialist_id: UUID | None = None
    modality: Modality | None = None
    hold_token: Token | None = None


async def _calendar_org(db: Db, calendar_id: UUID) -> str:
    org = await db.scalar(Q.my_calendar_org, calendar=calendar_id)
    if org is None:
        raise ApiError(404, "calendar_not_found", "No such public calendar.")
    return str(org)


async def _my_requirements(db: Db, calendar_id: UUID, patient_id: UUID | None) -> Requirements:
    found = await db.scalar(Q.my_booking_requirements, calendar=calendar_id, patient=patient_id)
    return msgspec.convert(found, Requirements)


@get("/v1/me/appointments", operation_id="my_appointments_list", tags=["me"])
async def list_my_appointments(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    when: Annotated[Literal["upcoming", "past"], QueryParameter()] = "upcoming",
) -> Page[MyAppointment]:
    """Your appointments and those of people you book for: `upcoming` (not yet ended) or
    `past`."""
    return await db.page(Q.my_appointments, MyAppointment, listing, upcoming=when == "upcoming")


@post(
    "/v1/me/appointments/{appointment_id:uuid}/cancel",
    operation_id="my_appointments_cancel",
    tags=["me"],
    status_code=200,
)
async def cancel_my_appointment(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], data: JSONBody[CancelMine]
) -> MyCancelled:
    """Cancel before the start; the used plan session comes back when you cancel before the
    clinic's cancellation window."""
    returned = await db.scalar(Q.my_appointment_cancel, id=appointment_id, reason=data.reason)
    found = await db.row(Q.my_appointment_by_id, MyAppointment, id=appointment_id)
    if found is None:
        raise ApiError(404, "appointment_not_found", "No such appointment of yours.")
    return MyCancelled(found, bool(returned))


@post("/v1/me/appointments", operation_id="my_appointments_book", tags=["me"])
async def book_my_appointment(
    request: Request, db: NamedDependency[Db], data: JSONBody[BookMine]
) -> Response[MyAppointment]:
    """Book a slot of a public calendar of a clinic you are registered with, for yourself or
    someone you care for with `book`: `confirmed` when the calendar auto-confirms, else
    `requested` for the clinic to confirm. 409 `consent_required` / `forms_required` list
    what is missing (see `GET /v1/me/calendars/{id}/requirements`); 409 `slot_taken` when
    availability does not offer the slot."""
    start = aware(data.start, "start")
    org = await _calendar_org(db, data.calendar_id)
    resources = request.app.state.resources
    live = await holds.live(resources.redis, resources.settings.redis_prefix, org)
    new_id, refused = await gated(
        request,
        db,
        lambda: db.scalar(
            Q.my_appointment_book,
            calendar=data.calendar_id,
            start=start,
            holds=holds.as_parameter(live, except_token=data.hold_token),
            patient=data.patient_id,
            specialist=data.specialist_id,
            modality=data.modality,
        ),
        lambda: _my_requirements(db, data.calendar_id, data.patient_id),
    )
    if refused is not None:
        return refused
    found = await db.row(Q.my_appointment_by_id, MyAppointment, id=new_id)
    if data.hold_token is not None:
        await holds.release(resources.redis, resources.settings.redis_prefix, org, data.hold_token)
    return Response(found, status_code=201)


@get(
    "/v1/me/calendars/{calendar_id:uuid}/requirements",
    operation_id="my_calendar_requirements",
    tags=["me"],
)
async def my_calendar_requirements(
    db: NamedDependency[Db],
    calendar_id: FromPath[UUID],
    patient_id: Annotated[UUID | None, QueryParameter()] = None,
) -> Requirements:
    """What you (or the person you book for, `patient_id`) still lack to book this public
    calendar: consents to the clinic's current terms and privacy notice, and required forms
    to sign. The missing forms are made pending for you on the first ask (later asks find
    them); fill and sign them through `/v1/me/forms`."""
    return await _my_requirements(db, calendar_id, patient_id)
