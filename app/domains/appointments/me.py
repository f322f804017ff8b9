"""The patient's side: /v1/me/appointments lists the signed-in human's appointments, and
those of people they care for with the `book` permission, upcoming or past, and cancels one
before its start (the clinic's cancellation window decides whether the session comes back)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.appointments.appointments import Modality, Status

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
