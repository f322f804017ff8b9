"""The audit log viewer: an organization's own log, and the console's cross-tenant view."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from app.api.common import console_router, org_router
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("audit")


class AuditEntry(msgspec.Struct):
    id: UUID
    created_at: datetime
    organization_id: UUID | None
    actor_id: UUID
    actor_type: Literal["human", "agent", "service_account", "system"]
    action: str
    entity_type: str
    entity_id: str | None
    changed_columns: list[str] | None
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    request_id: str | None
    action_context: str | None
    break_glass_id: UUID | None


Text = Annotated[str | None, QueryParameter(max_length=200)]
Action = Annotated[str | None, QueryParameter(max_length=63)]


@get(
    "/v1/orgs/{org_id:uuid}/audit-log",
    operation_id="audit_log_list",
    tags=["audit"],
    opt=requires("audit.read"),
)
async def org_audit_log(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    actor_id: FromQuery[UUID | None] = None,
    entity_type: Text = None,
    entity_id: Text = None,
    action: Action = None,
    break_glass_id: FromQuery[UUID | None] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
) -> Page[AuditEntry]:
    """The organization's audit log, newest first (`audit.read`)."""
    return await db.page(
        Q.org_audit_log,
        AuditEntry,
        listing,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        break_glass_id=break_glass_id,
        since=since,
        until=until,
    )


@get("/v1/console/audit-log", operation_id="console_audit_log_list", tags=["console"])
async def console_audit_log(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    organization_id: FromQuery[UUID | None] = None,
    actor_id: FromQuery[UUID | None] = None,
    entity_type: Text = None,
    entity_id: Text = None,
    action: Action = None,
    break_glass_id: FromQuery[UUID | None] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
) -> Page[AuditEntry]:
    """Every organization's audit log, newest first, for platform admins."""
    return await db.page(
        Q.console_audit_log,
        AuditEntry,
        listing,
        organization_id=organization_id,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        break_glass_id=break_glass_id,
        since=since,
        until=until,
    )


ROUTERS = [org_router(org_audit_log), console_router(console_audit_log)]
