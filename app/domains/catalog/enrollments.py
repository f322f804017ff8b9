"""A patient's plans in an organization: enroll, list, get, revoke, use a session, and the
consumption history. Reading needs `patients.read` (and `catalog.read`, which the policies
check); enrolling and using sessions `plans.enroll`; revoking `catalog.manage`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.common import PlanType

Q = catalogue("catalog")

State = Literal["active", "scheduled", "expired", "exhausted", "revoked"]


class Enrollment(msgspec.Struct):
    """`status` is what is stored; `state` is derived now (`expired` once the period ended,
    `scheduled` before it starts). `sessions_remaining` is null when there is no cap."""

    id: UUID
    organization_id: UUID
    patient_id: UUID
    service_plan_id: UUID
    service_plan_version_id: UUID
    version: int
    name: str
    plan_type: PlanType
    status: Literal["active", "exhausted", "revoked"]
    state: State
    period_start: datetime
    period_end: datetime
    sessions_total: int | None
    sessions_used: int
    sessions_remaining: int | None
    assignments_total: int | None
    assignments_used: int
    price_amount: int
    currency: str
    source_tier_subscription_id: UUID | None
    revoked_at: datetime | None
    revoke_reason: str | None
    created_at: datetime


class Enroll(Body, kw_only=True):
    """Enrolls in the plan's current version; `starts_at` defaults to now (within a year)."""

    service_plan_id: UUID
    starts_at: datetime | None = None


class Revoke(Body, kw_only=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]


class Consume(Body, kw_only=True):
    """The appointment the session is for; the same appointment again changes nothing."""

    appointment_id: UUID


class Consumption(msgspec.Struct):
    id: UUID
    patient_service_plan_id: UUID
    appointment_id: UUID
    consumed_by: UUID | None
    consumed_at: datetime


class Consumed(msgspec.Struct):
    consumption_id: UUID
    sessions_used: int
    sessions_remaining: int | None
    status: str
    replayed: bool


async def _patient(db: Db, patient_id: UUID) -> None:
    if not await db.scalar(Q.patient_is_visible, patient=patient_id):
        raise ApiError(404, "patient_not_found", "No such patient in this organization.")


async def _load(db: Db, patient_id: UUID, enrollment_id: UUID) -> Enrollment:
    row = await db.row(Q.enrollment_by_id, Enrollment, id=enrollment_id, patient=patient_id)
    if row is None:
        raise ApiError(404, "plan_enrollment_not_found", "No such plan enrollment of this patient.")
    return row


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans",
    operation_id="patient_plans_list",
    tags=["catalog"],
    opt=requires("patients.read"),
)
async def list_enrollments(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    patient_id: FromPath[UUID],
    derived: Annotated[State | None, QueryParameter(name="state")] = None,
) -> Page[Enrollment]:
    """A patient's plans in this organization, newest first (`patients.read` and
    `catalog.read`), optionally in one derived state."""
    await _patient(db, patient_id)
    return await db.page(
        Q.enrollments_of_patient, Enrollment, listing, patient=patient_id, state=derived
    )


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans/{enrollment_id:uuid}",
    operation_id="patient_plans_get",
    tags=["catalog"],
    opt=requires("patients.read"),
)
async def get_enrollment(
    db: NamedDependency[Db], patient_id: FromPath[UUID], enrollment_id: FromPath[UUID]
) -> Enrollment:
    """One of a patient's plans (`patients.read` and `catalog.read`)."""
    await _patient(db, patient_id)
    return await _load(db, patient_id, enrollment_id)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans",
    operation_id="patient_plans_enroll",
    tags=["catalog"],
    opt=requires("plans.enroll"),
)
async def enroll(
    db: NamedDependency[Db], patient_id: FromPath[UUID], data: JSONBody[Enroll]
) -> Response[Enrollment]:
    """Enroll a patient in a plan's current version (`plans.enroll`)."""
    enrollment_id = await db.scalar(
        Q.enrollment_create,
        patient=patient_id,
        plan=data.service_plan_id,
        starts_at=data.starts_at,
    )
    return Response(await _load(db, patient_id, enrollment_id), status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans/{enrollment_id:uuid}/revoke",
    operation_id="patient_plans_revoke",
    tags=["catalog"],
    status_code=200,
    opt=requires("catalog.manage"),
)
async def revoke(
    db: NamedDependency[Db],
    patient_id: FromPath[UUID],
    enrollment_id: FromPath[UUID],
    data: JSONBody[Revoke],
) -> Enrollment:
    """Revoke a patient's plan (`catalog.manage`): no session can be used after it."""
    await _load(db, patient_id, enrollment_id)
    await db.execute(Q.enrollment_revoke, id=enrollment_id, reason=data.reason)
    return await _load(db, patient_id, enrollment_id)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans/{enrollment_id:uuid}/consumptions",
    operation_id="patient_plans_consume",
    tags=["catalog"],
    opt=requires("plans.enroll"),
)
async def consume(
    db: NamedDependency[Db],
    patient_id: FromPath[UUID],
    enrollment_id: FromPath[UUID],
    data: JSONBody[Consume],
) -> Response[Consumed]:
    """Use one session for an appointment (`plans.enroll`): 201 when used, 200 when this
    appointment already used it (nothing changes)."""
    await _load(db, patient_id, enrollment_id)
    done = await db.row(
        Q.enrollment_consume, Consumed, id=enrollment_id, appointment=data.appointment_id
    )
    return Response(done, status_code=200 if done.replayed else 201)


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/plans/{enrollment_id:uuid}/consumptions",
    operation_id="patient_plans_consumptions",
    tags=["catalog"],
    opt=requires("patients.read"),
)
async def list_consumptions(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    patient_id: FromPath[UUID],
    enrollment_id: FromPath[UUID],
) -> Page[Consumption]:
    """The sessions a plan used, newest first (`patients.read` and `catalog.read`)."""
    await _load(db, patient_id, enrollment_id)
    return await db.page(
        Q.consumptions_of_enrollment, Consumption, listing, enrollment=enrollment_id
    )
