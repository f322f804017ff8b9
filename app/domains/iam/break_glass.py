"""Break-glass: platform staff open a recorded, time-boxed, read-only grant on one
organization's patient data, list and close grants; the organization's auditors list the
grants on it. Who may do what is decided in SQL (`iam.open_break_glass`,
`iam.close_break_glass`, the policies of `iam.break_glass_grants`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import PLATFORM_STAFF, Db, requires
from app.db.queries import catalogue

Q = catalogue("iam")

Reason = Annotated[str, msgspec.Meta(min_length=10, max_length=1000)]
# Minutes, up to the four hours the table allows.
Minutes = Annotated[int, msgspec.Meta(ge=1, le=240)]


class Grant(msgspec.Struct):
    id: UUID
    principal_id: UUID
    organization_id: UUID
    reason: str
    opened_by: UUID
    opened_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    closed_by: UUID | None
    active: bool


class OpenGrant(Body):
    organization_id: UUID
    reason: Reason
    duration_minutes: Minutes = 60
    # A superadmin may open a grant for a support staff member; support opens for themselves.
    principal_id: UUID | None = None


async def _grant(db: Db, grant_id: UUID) -> Grant:
    grant = await db.row(Q.break_glass_by_id, Grant, id=grant_id)
    if grant is None:
        raise ApiError(404, "break_glass_not_found", "No such break-glass grant.")
    return grant


@post(
    "/v1/console/break-glass",
    operation_id="console_break_glass_open",
    tags=["console"],
    opt=PLATFORM_STAFF,
)
async def open_grant(db: NamedDependency[Db], data: JSONBody[OpenGrant]) -> Response[Grant]:
    """Open a read-only break-glass grant on an organization (platform staff; a reason, at most
    4 hours). Every request made into the organization under it is audited."""
    grant_id = await db.scalar(
        Q.break_glass_open,
        organization_id=data.organization_id,
        reason=data.reason,
        minutes=data.duration_minutes,
        principal_id=data.principal_id,
    )
    return Response(await _grant(db, grant_id), status_code=201)


@get(
    "/v1/console/break-glass",
    operation_id="console_break_glass_list",
    tags=["console"],
    opt=PLATFORM_STAFF,
)
async def list_grants(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    organization_id: FromQuery[UUID | None] = None,
    principal_id: FromQuery[UUID | None] = None,
    active: FromQuery[bool | None] = None,
) -> Page[Grant]:
    """Break-glass grants, newest first: one's own (support staff) or all (superadmins)."""
    return await db.page(
        Q.break_glass_list,
        Grant,
        listing,
        organization_id=organization_id,
        principal_id=principal_id,
        active=active,
    )


@post(
    "/v1/console/break-glass/{grant_id:uuid}/close",
    operation_id="console_break_glass_close",
    tags=["console"],
    status_code=200,
    opt=PLATFORM_STAFF,
)
async def close_grant(db: NamedDependency[Db], grant_id: FromPath[UUID]) -> Grant:
    """Close an open grant before it expires (the grantee or a superadmin)."""
    await db.execute(Q.break_glass_close, id=grant_id)
    return await _grant(db, grant_id)


@get(
    "/v1/orgs/{org_id:uuid}/break-glass",
    operation_id="break_glass_list",
    tags=["audit"],
    opt=requires("audit.read"),
)
async def org_grants(db: NamedDependency[Db], listing: NamedDependency[Listing]) -> Page[Grant]:
    """The break-glass grants platform staff opened on this organization (`audit.read`)."""
    return await db.page(Q.org_break_glass_list, Grant, listing)
