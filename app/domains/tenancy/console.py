"""The platform console's organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from app.api.lists import contains_pattern
from app.api.scope import PLATFORM_STAFF, Db
from app.db.queries import catalogue

Q = catalogue("tenancy")


class OrganizationSummary(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    status: Literal["active", "suspended"]
    members: int
    created_at: datetime


@get(
    "/v1/console/orgs",
    operation_id="console_organizations_list",
    tags=["console"],
    opt=PLATFORM_STAFF,
)
async def list_organizations(
    db: NamedDependency[Db],
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    status: FromQuery[Literal["active", "suspended"] | None] = None,
) -> list[OrganizationSummary]:
    """Every organization with its member count (platform staff)."""
    pattern = contains_pattern(q) if q else None
    return await db.rows(
        Q.console_organizations, OrganizationSummary, pattern=pattern, status=status
    )
