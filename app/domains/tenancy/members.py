"""Members of an organization: list with filters, change role, suspend, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from psycopg import sql

from app.api.common import IN_ORG, Body
from app.api.errors import ApiError
from app.api.pagination import (
    Page,
    contains_pattern,
    decode_cursor,
    encode_cursor,
    parse_limit,
    parse_sort,
)
from app.api.scope import Db

SORTABLE = {
    "created_at": "m.created_at",
    "email": "h.email::text",
    "display_name": "h.display_name",
}


class Member(msgspec.Struct):
    id: str
    principal_id: str
    email: str | None
    display_name: str | None
    role_id: str
    role: str
    status: str
    invited_at: datetime | None
    invited_by: str | None
    accepted_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime


class UpdateMember(Body):
    role_id: UUID | None = None
    status: Literal["active", "suspended"] | None = None


MEMBER_COLUMNS = """
SELECT m.id::text, m.principal_id::text, h.email::text, h.display_name, m.role_id::text, r.code,
       m.status, m.invited_at, m.invited_by::text, m.accepted_at, m.last_used_at, m.created_at
FROM tenancy.organization_memberships AS m
JOIN iam.roles AS r ON r.id = m.role_id
LEFT JOIN iam.humans AS h ON h.principal_id = m.principal_id
"""


@get(
    "/v1/orgs/{org_id:uuid}/members",
    **IN_ORG,
    tags=["members"],
)
async def list_members(
    db: NamedDependency[Db],
    status: FromQuery[Literal["invited", "active", "suspended"] | None] = None,
    role: Annotated[str | None, QueryParameter(max_length=63)] = None,
    q: Annotated[
        str | None, QueryParameter(max_length=200, description="email or name contains")
    ] = None,
    sort: Annotated[str | None, QueryParameter(max_length=100)] = None,
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[Member]:
    """Members of the organization (`members.read`), filtered, sorted and paginated."""
    await db.require_permission("members.read")
    order = parse_sort(sort, SORTABLE, "created_at", "m.id::text")
    size = parse_limit(limit)
    after, after_params = order.after(decode_cursor(cursor))
    filters = [sql.SQL("m.organization_id = %s"), after]
    params: list = [db.org_id, *after_params]
    if status:
        filters.append(sql.SQL("m.status = %s"))
        params.append(status)
    if role:
        filters.append(sql.SQL("r.code = %s"))
        params.append(role)
    if q:
        filters.append(sql.SQL("(h.email::text ILIKE %s OR h.display_name ILIKE %s)"))
        like = contains_pattern(q)
        params += [like, like]
    query = (
        sql.SQL(MEMBER_COLUMNS)
        + sql.SQL(" WHERE ")
        + sql.SQL(" AND ").join(filters)
        + sql.SQL(" ORDER BY ")
        + order.order_by()
        + sql.SQL(" LIMIT %s")
    )
    rows = await db.all(query, [*params, size + 1])
    items = [Member(*row) for row in rows[:size]]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        values = {
            "m.created_at": last.created_at.isoformat(),
            "h.email::text": last.email,
            "h.display_name": last.display_name,
            "m.id::text": last.id,
        }
        next_cursor = encode_cursor([values[col] for col, _ in order.columns])
    return Page(items, next_cursor)


async def _load(db: NamedDependency[Db], membership_id: FromPath[UUID]) -> Member:
    row = await db.one(
        MEMBER_COLUMNS + " WHERE m.id = %s AND m.organization_id = %s",
        (str(membership_id), db.org_id),
    )
    if row is None:
        raise ApiError(404, "member_not_found", "No such member in this organization.")
    return Member(*row)


@patch(
    "/v1/orgs/{org_id:uuid}/members/{membership_id:uuid}",
    **IN_ORG,
    tags=["members"],
)
async def update_member(
    db: NamedDependency[Db], membership_id: FromPath[UUID], data: JSONBody[UpdateMember]
) -> Member:
    """Change a member's role and/or status (`members.manage`; only owners touch owners)."""
    await _load(db, membership_id)
    if data.role_id is not None:
        await db.value(
            "SELECT tenancy.change_member_role(%s, %s)", (str(membership_id), str(data.role_id))
        )
    if data.status is not None:
        await db.value(
            "SELECT tenancy.set_member_status(%s, %s)", (str(membership_id), data.status)
        )
    return await _load(db, membership_id)


@delete(
    "/v1/orgs/{org_id:uuid}/members/{membership_id:uuid}",
    **IN_ORG,
    tags=["members"],
    status_code=204,
)
async def remove_member(db: NamedDependency[Db], membership_id: FromPath[UUID]) -> Response[None]:
    """Remove a member (`members.manage`; never the last active owner)."""
    await _load(db, membership_id)
    await db.value("SELECT tenancy.remove_member(%s)", (str(membership_id),))
    return Response(None, status_code=204)
