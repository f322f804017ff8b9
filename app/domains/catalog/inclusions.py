"""Who performs a service, and the plans a patient tier includes. Both are replaced whole by
a PUT; the catalog functions check the permission and that every id is the organization's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.events import PlanType

Q = catalogue("catalog")


class ServiceSpecialist(msgspec.Struct):
    specialist_id: UUID
    display_name: str
    title: str | None


class SetSpecialists(Body, kw_only=True):
    """The whole set: specialists left out no longer perform the service."""

    specialist_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)]


class Inclusion(msgspec.Struct):
    service_plan_id: UUID
    plan_type: PlanType
    quantity: int
    version: int


class InclusionIn(Body, kw_only=True):
    service_plan_id: UUID
    quantity: Annotated[int, msgspec.Meta(ge=1, le=10)] = 1


class SetInclusions(Body, kw_only=True):
    """The whole set for the tier's next version (each plan once)."""

    inclusions: Annotated[list[InclusionIn], msgspec.Meta(max_length=50)]


async def _specialists(db: Db, service_id: UUID) -> list[ServiceSpecialist]:
    if await db.scalar(Q.service_by_id, id=service_id) is None:
        raise ApiError(404, "service_not_found", "No such service in this organization.")
    return await db.rows(Q.service_specialists, ServiceSpecialist, id=service_id)


@get(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/specialists",
    operation_id="service_specialists_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_service_specialists(
    db: NamedDependency[Db], service_id: FromPath[UUID]
) -> list[ServiceSpecialist]:
    """The live specialists who perform a service (`catalog.read`)."""
    return await _specialists(db, service_id)


@put(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/specialists",
    operation_id="service_specialists_set",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def set_service_specialists(
    db: NamedDependency[Db], service_id: FromPath[UUID], data: JSONBody[SetSpecialists]
) -> list[ServiceSpecialist]:
    """Set who performs a service (`catalog.manage`): live specialists of this organization."""
    await db.execute(Q.service_specialists_set, id=service_id, specialists=data.specialist_ids)
    return await _specialists(db, service_id)


async def _inclusions(db: Db, tier_id: UUID) -> list[Inclusion]:
    version = await db.scalar(Q.tier_newest_version, id=tier_id)
    if version is None:
        raise ApiError(404, "patient_tier_not_found", "No such patient tier in this organization.")
    return await db.rows(Q.tier_inclusions, Inclusion, id=tier_id, version=version)


@get(
    "/v1/orgs/{org_id:uuid}/patient-tiers/{tier_id:uuid}/inclusions",
    operation_id="patient_tier_inclusions_list",
    tags=["catalog"],
    opt=requires("patient_tiers.read"),
)
async def list_tier_inclusions(db: NamedDependency[Db], tier_id: FromPath[UUID]) -> list[Inclusion]:
    """The plans the tier's newest version includes (`patient_tiers.read`; the rows also need
    `catalog.read`)."""
    return await _inclusions(db, tier_id)


@put(
    "/v1/orgs/{org_id:uuid}/patient-tiers/{tier_id:uuid}/inclusions",
    operation_id="patient_tier_inclusions_set",
    tags=["catalog"],
    opt=requires("patient_tiers.manage"),
)
async def set_tier_inclusions(
    db: NamedDependency[Db], tier_id: FromPath[UUID], data: JSONBody[SetInclusions]
) -> list[Inclusion]:
    """Publish the tier's next version with these inclusions (`patient_tiers.manage`); current
    subscribers keep their version, new subscribers and tier changes get this one."""
    payload = msgspec.json.encode(data.inclusions).decode()
    await db.execute(Q.tier_inclusions_set, id=tier_id, inclusions=payload)
    return await _inclusions(db, tier_id)
