"""The person's side: /v1/me/plans, what they (and those they care for) have left, in every
organization where they are a patient."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import get
from litestar.di import NamedDependency

from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.catalog.common import PlanType

Q = catalogue("catalog")


class MyPlan(msgspec.Struct):
    """`state` is derived now; `sessions_remaining` is null when there is no cap."""

    id: UUID
    organization_id: UUID
    patient_id: UUID
    patient_profile_id: UUID
    service_plan_id: UUID
    service_plan_version_id: UUID
    plan_type: PlanType
    name: str
    translations: dict[str, dict[str, str]]
    state: Literal["active", "scheduled", "expired", "exhausted", "revoked"]
    period_start: datetime
    period_end: datetime
    sessions_total: int | None
    sessions_used: int
    sessions_remaining: int | None
    assignments_total: int | None
    assignments_used: int
    telerehab_access: bool
    library_access: bool


@get("/v1/me/plans", operation_id="my_plans_list", tags=["me"])
async def list_my_plans(db: NamedDependency[Db]) -> list[MyPlan]:
    """Your plans and those of the people you care for, in every clinic, with what is left."""
    return await db.rows(Q.my_plans, MyPlan)
