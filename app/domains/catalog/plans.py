"""Service plans: list, get, create (publishes version 1), publish a new version, put on or
off sale, soft delete; and the versions of a plan. Terms never change in place: a new
version is published and enrollments keep theirs."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import PAYMENT_REQUIRED, Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.common import (
    Amount,
    Currency,
    ItemName,
    LongText,
    Period,
    PlanType,
    SortOrder,
    Translations,
    fields_of,
)

Q = catalogue("catalog")

Days = Annotated[int, msgspec.Meta(ge=1, le=3660)]
Sessions = Annotated[int, msgspec.Meta(ge=1, le=1000)]
Assignments = Annotated[int, msgspec.Meta(ge=0, le=1000)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=1000)]


class PlanProduct(Body, kw_only=True):
    product_id: UUID
    quantity: Quantity = 1


class Plan(msgspec.Struct):
    """A plan with the terms of its current version."""

    id: UUID
    organization_id: UUID
    plan_type: PlanType
    active: bool
    sort_order: int
    current_version: int
    current_version_id: UUID
    name: str
    description: str
    translations: dict[str, dict[str, str]]
    price_amount: int
    currency: str
    validity_days: int | None
    sessions_total: int | None
    period: Period | None
    sessions_per_period: int | None
    renews: bool
    telerehab_access: bool
    library_access: bool
    treatment_plan_assignments_total: int | None
    created_at: datetime
    updated_at: datetime


class PlanVersionProduct(msgspec.Struct):
    product_id: UUID
    quantity: int


class PlanVersion(msgspec.Struct):
    id: UUID
    service_plan_id: UUID
    plan_type: PlanType
    version: int
    name: str
    description: str
    translations: dict[str, dict[str, str]]
    price_amount: int
    currency: str
    validity_days: int | None
    sessions_total: int | None
    period: Period | None
    sessions_per_period: int | None
    renews: bool
    telerehab_access: bool
    library_access: bool
    treatment_plan_assignments_total: int | None
    published_at: datetime
    service_ids: list[UUID]
    products: list[PlanVersionProduct]


class PlanTerms(Body, kw_only=True):
    """The terms of a version. A `session_pack` needs `sessions_total` and `validity_days`; a
    `membership` a `period` (optionally `sessions_per_period`, `renews`); a
    `telerehab_program` `validity_days` and at least one access grant."""

    name: ItemName
    description: LongText | None = None
    translations: Translations | None = None
    price_amount: Amount
    currency: Currency
    validity_days: Days | None = None
    sessions_total: Sessions | None = None
    period: Period | None = None
    sessions_per_period: Sessions | None = None
    renews: bool | None = None
    telerehab_access: bool | None = None
    library_access: bool | None = None
    treatment_plan_assignments_total: Assignments | None = None
    service_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)] | None = None
    products: Annotated[list[PlanProduct], msgspec.Meta(max_length=100)] | None = None


class CreatePlan(PlanTerms, kw_only=True):
    plan_type: PlanType
    sort_order: SortOrder = 0


class UpdatePlan(Body, kw_only=True):
    """Only what is not a term of sale: on sale or not, and the position in lists."""

    active: bool | None = None
    sort_order: SortOrder | None = None


async def _load(db: Db, plan_id: UUID) -> Plan:
    plan = await db.row(Q.plan_by_id, Plan, id=plan_id)
    if plan is None:
        raise ApiError(404, "service_plan_not_found", "No such service plan in this organization.")
    return plan


async def _version(db: Db, plan_id: UUID, version: int) -> PlanVersion:
    rows = await db.rows(Q.plan_versions, PlanVersion, id=plan_id, version=version)
    if not rows:
        raise ApiError(404, "service_plan_not_found", "No such version of this service plan.")
    return rows[0]


@get(
    "/v1/orgs/{org_id:uuid}/service-plans",
    operation_id="service_plans_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_plans(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    plan_type: FromQuery[PlanType | None] = None,
    active: FromQuery[bool | None] = None,
) -> Page[Plan]:
    """The organization's live plans with their current terms (`catalog.read`)."""
    return await db.page(Q.plans_list, Plan, listing, plan_type=plan_type, active=active)


@get(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}",
    operation_id="service_plans_get",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def get_plan(db: NamedDependency[Db], plan_id: FromPath[UUID]) -> Plan:
    """One plan with its current terms (`catalog.read`)."""
    return await _load(db, plan_id)


@post(
    "/v1/orgs/{org_id:uuid}/service-plans",
    operation_id="service_plans_create",
    tags=["catalog"],
    opt=requires("catalog.manage"),
    responses=PAYMENT_REQUIRED,
)
async def create_plan(db: NamedDependency[Db], data: JSONBody[CreatePlan]) -> Response[Plan]:
    """Create a plan and publish its version 1 (`catalog.manage`; `service_plans.max`)."""
    plan_id = await db.scalar(
        Q.plan_create,
        plan_type=data.plan_type,
        terms=fields_of(data, skip=("plan_type", "sort_order")),
        sort_order=data.sort_order,
    )
    return Response(await _load(db, plan_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}",
    operation_id="service_plans_update",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def update_plan(
    db: NamedDependency[Db], plan_id: FromPath[UUID], data: JSONBody[UpdatePlan]
) -> Plan:
    """Put a plan on or off sale, or move it in lists (`catalog.manage`)."""
    await db.execute(Q.plan_update, id=plan_id, changes=fields_of(data))
    return await _load(db, plan_id)


@delete(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}",
    operation_id="service_plans_delete",
    tags=["catalog"],
    status_code=204,
    opt=requires("catalog.manage"),
)
async def delete_plan(db: NamedDependency[Db], plan_id: FromPath[UUID]) -> Response[None]:
    """Soft-delete a plan (`catalog.manage`); its enrollments go on."""
    await db.execute(Q.plan_delete, id=plan_id)
    return Response(None, status_code=204)


@get(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}/versions",
    operation_id="service_plan_versions_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_versions(db: NamedDependency[Db], plan_id: FromPath[UUID]) -> list[PlanVersion]:
    """Every published version of a plan, newest first (`catalog.read`)."""
    await _load(db, plan_id)
    return await db.rows(Q.plan_versions, PlanVersion, id=plan_id, version=None)


@get(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}/versions/{version:str}",
    operation_id="service_plan_versions_get",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def get_version(
    db: NamedDependency[Db], plan_id: FromPath[UUID], version: FromPath[str]
) -> PlanVersion:
    """One published version of a plan (`catalog.read`)."""
    if not re.fullmatch(r"[1-9][0-9]{0,5}", version):
        raise ApiError(
            400,
            "validation_failed",
            "The version is a whole number from 1.",
            {"fields": [{"field": "version", "source": "path", "message": "1 to 999999"}]},
        )
    await _load(db, plan_id)
    return await _version(db, plan_id, int(version))


@post(
    "/v1/orgs/{org_id:uuid}/service-plans/{plan_id:uuid}/versions",
    operation_id="service_plan_versions_publish",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def publish_version(
    db: NamedDependency[Db], plan_id: FromPath[UUID], data: JSONBody[PlanTerms]
) -> Response[PlanVersion]:
    """Publish new terms as the plan's next version (`catalog.manage`); it becomes current,
    and existing enrollments keep the version they bought."""
    await db.scalar(Q.plan_publish, id=plan_id, terms=fields_of(data))
    plan = await _load(db, plan_id)
    return Response(await _version(db, plan_id, plan.current_version), status_code=201)
