"""Members of an organization: list with filters, change role, suspend, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page, contains_pattern
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("tenancy")


class Member(msgspec.Struct):
    id: UUID
    principal_id: UUID
    email: str | None
    display_name: str | None
    role_id: UUID
    role: str
    status: Literal["invited", "active", "suspended"]
    invited_at: datetime | None
    invited_by: UUID | None
    accepted_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime


class UpdateMember(Body):
    role_id: UUID | None = None
    status: Literal["active", "suspended"] | None = None


@get(
    "/v1/orgs/{org_id:uuid}/members",
    operation_id="members_list",
    tags=["members"],
    opt=requires("members.read"),
)
async def list_members(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    status: FromQuery[Literal["invited", "active", "suspended"] | None] = None,
    role: Annotated[str | None, QueryParameter(max_length=63)] = None,
    q: Annotated[
        str | None, QueryParameter(max_length=200, description="email or name contains")
    ] = None,
) -> Page[Member]:
    """Members of the organization (`members.read`), filtered, sorted and paginated."""
    pattern = contains_pattern(q) if q else None
    # The busiest list: its rows go from PostgreSQL to the client as JSON, a Page[Member].
    return await db.json_page(
        Q.members_list, Member, listing, status=status, role=role, pattern=pattern
    )


async def _load(db: Db, membership_id: UUID) -> Member:
    member = await db.row(Q.member_by_id, Member, id=membership_id)
    if member is None:
        raise ApiError(404, "member_not_found", "No such member in this organization.")
    return member


@patch(
    "/v1/orgs/{org_id:uuid}/members/{membership_id:uuid}",
    operation_id="members_update",
    tags=["members"],
)
async def update_member(
    db: NamedDependency[Db], membership_id: FromPath[UUID], data: JSONBody[UpdateMember]
) -> Member:
    """Change a member's role and/or status (`members.manage`; only owners touch owners)."""
    await _load(db, membership_id)
    if data.role_id is not None:
        await db.execute(Q.member_change_role, id=membership_id, role=data.role_id)
    if data.status is not None:
        await db.execute(Q.member_set_status, id=membership_id, status=data.status)
    return await _load(db, membership_id)


@delete(
    "/v1/orgs/{org_id:uuid}/members/{membership_id:uuid}",
    operation_id="members_remove",
    tags=["members"],
    status_code=204,
)
async def remove_member(db: NamedDependency[Db], membership_id: FromPath[UUID]) -> Response[None]:
    """Remove a member (`members.manage`; never the last active owner)."""
    await _load(db, membership_id)
    await db.execute(Q.member_remove, id=membership_id)
    return Response(None, status_code=204)
