"""The audit log viewer: an organization's own log, and the console's cross-tenant view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Router, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from psycopg import sql

from app.api.common import ERRORS, HUMAN, ORG_SCOPED, SIGNED_IN
from app.api.errors import ApiError
from app.api.pagination import Page, decode_cursor, encode_cursor, parse_limit
from app.api.scope import Db


class AuditEntry(msgspec.Struct):
    id: str
    created_at: datetime
    organization_id: str | None
    actor_id: str
    actor_type: str
    action: str
    entity_type: str
    entity_id: str | None
    changed_columns: list[str] | None
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    request_id: str | None
    action_context: str | None


COLUMNS = """
SELECT id::text, created_at, organization_id::text, actor_id::text, actor_type, action,
       entity_type, entity_id, changed_columns, old_values, new_values, request_id, action_context
FROM audit.audit_log
"""

Text = Annotated[str | None, QueryParameter(max_length=200)]


async def _page(
    db: NamedDependency[Db],
    scope: list[sql.Composable],
    params: list[Any],
    *,
    actor_id: UUID | None,
    entity_type: str | None,
    entity_id: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int | None,
    cursor: str | None,
) -> Page[AuditEntry]:
    size = parse_limit(limit)
    filters = list(scope)
    for column, value in (
        ("actor_id", str(actor_id) if actor_id else None),
        ("entity_type", entity_type),
        ("entity_id", entity_id),
        ("action", action),
    ):
        if value is not None:
            filters.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if since is not None:
        filters.append(sql.SQL("created_at >= %s"))
        params.append(since)
    if until is not None:
        filters.append(sql.SQL("created_at < %s"))
        params.append(until)
    after = decode_cursor(cursor)
    if after is not None:
        if len(after) != 2 or not all(isinstance(v, str) for v in after):
            raise ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")
        filters.append(sql.SQL("(created_at, id) < (%s::timestamptz, %s::uuid)"))
        params += after
    query = (
        sql.SQL(COLUMNS)
        + sql.SQL(" WHERE ")
        + sql.SQL(" AND ").join(filters or [sql.SQL("true")])
        + sql.SQL(" ORDER BY created_at DESC, id DESC LIMIT %s")
    )
    rows = await db.all(query, [*params, size + 1])
    items = [AuditEntry(*row) for row in rows[:size]]
    next_cursor = (
        encode_cursor([items[-1].created_at.isoformat(), items[-1].id])
        if len(rows) > size
        else None
    )
    return Page(items, next_cursor)


@get(
    "/v1/orgs/{org_id:uuid}/audit-log",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["audit"],
)
async def org_audit_log(
    db: NamedDependency[Db],
    actor_id: FromQuery[UUID | None] = None,
    entity_type: Text = None,
    entity_id: Text = None,
    action: Annotated[str | None, QueryParameter(max_length=63)] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[AuditEntry]:
    """The organization's audit log, newest first (`audit.read`)."""
    await db.require_permission("audit.read")
    return await _page(
        db,
        [sql.SQL("organization_id = %s")],
        [db.org_id],
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )


@get("/v1/console/audit-log", **SIGNED_IN, tags=["console"])
async def console_audit_log(
    db: NamedDependency[Db],
    organization_id: FromQuery[UUID | None] = None,
    actor_id: FromQuery[UUID | None] = None,
    entity_type: Text = None,
    entity_id: Text = None,
    action: Annotated[str | None, QueryParameter(max_length=63)] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[AuditEntry]:
    """Every organization's audit log, for platform admins."""
    await db.require_platform_admin()
    scope = [sql.SQL("organization_id = %s")] if organization_id else []
    params: list[Any] = [str(organization_id)] if organization_id else []
    return await _page(
        db,
        scope,
        params,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )


ROUTERS = [Router(path="/", route_handlers=[org_audit_log, console_audit_log])]
