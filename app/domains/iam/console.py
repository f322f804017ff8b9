"""The platform console: humans (search, block, platform roles) and organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from psycopg import sql

from app.api.common import ERRORS, HUMAN, SIGNED_IN, UNSCOPED, Body
from app.api.errors import ApiError
from app.api.pagination import Page, contains_pattern, decode_cursor, encode_cursor, parse_limit
from app.api.scope import Db


class Human(msgspec.Struct):
    principal_id: FromPath[str]
    email: str
    display_name: str
    locale: str
    platform_role: str | None
    blocked_at: datetime | None
    last_activity_at: datetime | None
    created_at: datetime


class PlatformRole(Body):
    role: Literal["superadmin", "support"] | None


class OrganizationSummary(msgspec.Struct):
    id: str
    slug: str
    name: str
    status: str
    members: int
    created_at: datetime


HUMAN_SQL = """
SELECT h.principal_id::text, h.email::text, h.display_name, h.locale, pm.role, h.blocked_at,
       h.last_activity_at, h.created_at
FROM iam.humans AS h LEFT JOIN iam.platform_memberships AS pm ON pm.principal_id = h.principal_id
"""


@get("/v1/console/humans", **SIGNED_IN, tags=["console"])
async def list_humans(
    db: NamedDependency[Db],
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    blocked: FromQuery[bool | None] = None,
    inactive_days: Annotated[int | None, QueryParameter(ge=1, le=3650)] = None,
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[Human]:
    """Search humans by email or name; filter blocked or inactive ones (platform staff)."""
    await db.require_platform_staff()
    size = parse_limit(limit)
    filters: list[sql.Composable] = [sql.SQL("true")]
    params: list = []
    if q:
        like = contains_pattern(q)
        filters.append(sql.SQL("(h.email::text ILIKE %s OR h.display_name ILIKE %s)"))
        params += [like, like]
    if blocked is not None:
        filters.append(sql.SQL("(h.blocked_at IS NOT NULL) = %s"))
        params.append(blocked)
    if inactive_days is not None:
        filters.append(
            sql.SQL(
                "coalesce(h.last_activity_at, h.created_at) < now() - make_interval(days => %s)"
            )
        )
        params.append(inactive_days)
    after = decode_cursor(cursor)
    if after is not None:
        if len(after) != 1 or not isinstance(after[0], str):
            raise ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")
        filters.append(sql.SQL("h.email::text > %s"))
        params.append(after[0])
    query = (
        sql.SQL(HUMAN_SQL)
        + sql.SQL(" WHERE ")
        + sql.SQL(" AND ").join(filters)
        + sql.SQL(" ORDER BY h.email::text LIMIT %s")
    )
    rows = await db.all(query, [*params, size + 1])
    items = [Human(*row) for row in rows[:size]]
    return Page(items, encode_cursor([items[-1].email]) if len(rows) > size else None)


async def _human(db: NamedDependency[Db], principal_id: FromPath[UUID]) -> Human:
    row = await db.one(HUMAN_SQL + " WHERE h.principal_id = %s", (str(principal_id),))
    if row is None:
        raise ApiError(404, "not_found", "No such human.")
    return Human(*row)


@post(
    "/v1/console/humans/{principal_id:uuid}/block",
    dependencies=UNSCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["console"],
    status_code=200,
)
async def block_human(db: NamedDependency[Db], principal_id: FromPath[UUID]) -> Human:
    """Block a human everywhere (platform admins)."""
    await db.value("SELECT iam.set_human_blocked(%s, true)", (str(principal_id),))
    return await _human(db, principal_id)


@post(
    "/v1/console/humans/{principal_id:uuid}/unblock",
    dependencies=UNSCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["console"],
    status_code=200,
)
async def unblock_human(db: NamedDependency[Db], principal_id: FromPath[UUID]) -> Human:
    """Unblock a human (platform admins)."""
    await db.value("SELECT iam.set_human_blocked(%s, false)", (str(principal_id),))
    return await _human(db, principal_id)


@put(
    "/v1/console/humans/{principal_id:uuid}/platform-role",
    dependencies=UNSCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["console"],
)
async def set_platform_role(
    db: NamedDependency[Db], principal_id: FromPath[UUID], data: JSONBody[PlatformRole]
) -> Human:
    """Grant (`superadmin`, `support`) or revoke (`null`) a platform role."""
    await db.value("SELECT iam.set_platform_role(%s, %s)", (str(principal_id), data.role))
    return await _human(db, principal_id)


@get("/v1/console/orgs", **SIGNED_IN, tags=["console"])
async def list_organizations(
    db: NamedDependency[Db],
    q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    status: FromQuery[Literal["active", "suspended"] | None] = None,
) -> list[OrganizationSummary]:
    """Every organization with its member count (platform staff)."""
    await db.require_platform_staff()
    like = None
    if q:
        like = contains_pattern(q)
    rows = await db.all(
        """
        SELECT o.id::text, o.slug, o.name, o.status,
               (SELECT count(*) FROM tenancy.organization_memberships AS m
                WHERE m.organization_id = o.id AND m.status = 'active')::int,
               o.created_at
        FROM tenancy.organizations AS o
        WHERE o.deleted_at IS NULL
          AND (%(like)s::text IS NULL OR o.slug ILIKE %(like)s OR o.name ILIKE %(like)s)
          AND (%(status)s::text IS NULL OR o.status = %(status)s)
        ORDER BY o.name LIMIT 500
        """,
        {"like": like, "status": status},
    )
    return [OrganizationSummary(*row) for row in rows]
