"""The platform console's humans: search, block, platform roles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page, contains_pattern
from app.api.scope import PLATFORM_STAFF, Db
from app.db.queries import catalogue

Q = catalogue("iam")


class Human(msgspec.Struct):
    principal_id: UUID
    email: str
    display_name: str
    locale: str
    platform_role: Literal["superadmin", "support"] | None
    blocked_at: datetime | None
    last_activity_at: datetime | None
    created_at: datetime


class PlatformRole(Body):
    role: Literal["superadmin", "support"] | None


@get("/v1/console/humans", operation_id="console_humans_list", tags=["console"], opt=PLATFORM_STAFF)
async def list_humans(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    blocked: FromQuery[bool | None] = None,
    inactive_days: Annotated[int | None, QueryParameter(ge=1, le=3650)] = None,
) -> Page[Human]:
    """Search humans by email or name; filter blocked or inactive ones (platform staff)."""
    pattern = contains_pattern(q) if q else None
    return await db.page(
        Q.humans_list, Human, listing, pattern=pattern, blocked=blocked, inactive_days=inactive_days
    )


async def _human(db: Db, principal_id: UUID) -> Human:
    human = await db.row(Q.human_by_id, Human, id=principal_id)
    if human is None:
        raise ApiError(404, "not_found", "No such human.")
    return human


@post(
    "/v1/console/humans/{principal_id:uuid}/block",
    operation_id="console_humans_block",
    tags=["console"],
    status_code=200,
)
async def block_human(db: NamedDependency[Db], principal_id: FromPath[UUID]) -> Human:
    """Block a human everywhere (platform admins)."""
    await db.execute(Q.human_set_blocked, id=principal_id, blocked=True)
    return await _human(db, principal_id)


@post(
    "/v1/console/humans/{principal_id:uuid}/unblock",
    operation_id="console_humans_unblock",
    tags=["console"],
    status_code=200,
)
async def unblock_human(db: NamedDependency[Db], principal_id: FromPath[UUID]) -> Human:
    """Unblock a human (platform admins)."""
    await db.execute(Q.human_set_blocked, id=principal_id, blocked=False)
    return await _human(db, principal_id)


@put(
    "/v1/console/humans/{principal_id:uuid}/platform-role",
    operation_id="console_humans_set_platform_role",
    tags=["console"],
)
async def set_platform_role(
    db: NamedDependency[Db], principal_id: FromPath[UUID], data: JSONBody[PlatformRole]
) -> Human:
    """Grant (`superadmin`, `support`) or revoke (`null`) a platform role."""
    await db.execute(Q.human_set_platform_role, id=principal_id, role=data.role)
    return await _human(db, principal_id)
