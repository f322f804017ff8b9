"""Request scope: one transaction per request on the request pool, with who, where and why
set transaction-locally before any query, so every policy and audit row sees them.

Per-org routes take the organization from the URL; the scope resolves the acting
principal's membership for exactly that organization, and a principal who is not a member
(and is not platform staff) gets 404, so the existence of an organization never leaks.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from litestar import Request
from litestar.params import FromPath
from psycopg import AsyncConnection

from app.api.auth import current_identity
from app.api.errors import ApiError, request_id_of
from app.api.requester import client_ip

SET_SCOPE_SQL = """
SELECT set_config('app.current_principal_id', %(principal)s, true),
       set_config('app.current_org_id', %(org)s, true),
       set_config('app.request_id', %(request_id)s, true),
       set_config('app.action_context', %(context)s, true),
       set_config('app.client_ip', %(ip)s, true),
       set_config('app.user_agent', %(agent)s, true)
"""

ORG_ACCESS_SQL = """
SELECT iam.current_member_org_id() IS NOT NULL AS member,
       iam.is_platform_staff() AS staff,
       EXISTS (SELECT 1 FROM tenancy.organizations WHERE id = %s) AS visible
"""


@dataclass
class Db:
    """The request's connection, inside its transaction, and the scope it acts in."""

    conn: AsyncConnection
    principal_id: str
    org_id: FromPath[str] | None
    request_id: str

    async def one(self, query: str, params: object = None) -> tuple | None:
        cursor = await self.conn.execute(query, params)
        return await cursor.fetchone()

    async def all(self, query: str, params: object = None) -> list[tuple]:
        cursor = await self.conn.execute(query, params)
        return await cursor.fetchall()

    async def value(self, query: str, params: object = None) -> object:
        row = await self.one(query, params)
        return row[0] if row else None

    async def require_permission(self, code: str) -> None:
        """403 `permission_denied` unless the acting principal holds `code` here."""
        if not await self.value("SELECT iam.has_permission(%s)", (code,)):
            raise ApiError(403, "permission_denied", f"This needs the {code} permission.")

    async def require_platform_admin(self) -> None:
        """403 `permission_denied` unless an unblocked platform superadmin acts."""
        if not await self.value("SELECT iam.is_platform_admin()"):
            raise ApiError(403, "permission_denied", "This is for platform administrators.")

    async def require_platform_staff(self) -> None:
        """403 `permission_denied` unless platform staff (superadmin or support) act."""
        if not await self.value("SELECT iam.is_platform_staff()"):
            raise ApiError(403, "permission_denied", "This is for platform staff.")

    async def set_context(self, context: str) -> None:
        """Why this request acts (e.g. org_entitlement_change), carried into the audit log."""
        await self.conn.execute("SELECT set_config('app.action_context', %s, true)", (context,))


def _ip(request: Request) -> str:
    """The peer address for the audit log's inet column, or '' when the peer is not an IP
    (a unix socket, a test transport): a non-address would fail every audited write."""
    ip = client_ip(request.scope).split("/")[0]
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return ""
    return ip


async def _open(request: Request, org_id: FromPath[str] | None) -> AsyncIterator[Db]:
    identity = current_identity(request)
    if identity.blocked:
        raise ApiError(403, "human_blocked", "This account is blocked.")
    resources = request.app.state.resources
    async with resources.app_pool.connection() as conn, conn.transaction():
        await conn.execute(
            SET_SCOPE_SQL,
            {
                "principal": identity.principal_id,
                "org": org_id or "",
                "request_id": request_id_of(request),
                "context": "",
                "ip": _ip(request),
                "agent": (request.headers.get("user-agent") or "")[:512],
            },
        )
        db = Db(conn, identity.principal_id, org_id, request_id_of(request))
        if org_id is not None:
            member, staff, visible = await db.one(ORG_ACCESS_SQL, (org_id,))
            if not (member or (staff and visible)):
                raise ApiError(404, "organization_not_found", "Organization not found.")
            request.state.org_id = org_id
        await resources.activity.touch(identity.principal_id, org_id if org_id else None)
        yield db


async def provide_db(request: Request) -> AsyncIterator[Db]:
    """The request transaction for routes outside an organization (me, console, accept)."""
    async for db in _open(request, None):
        yield db


async def provide_org_db(request: Request, org_id: FromPath[UUID]) -> AsyncIterator[Db]:
    """The request transaction scoped to the organization named in the URL."""
    async for db in _open(request, str(org_id)):
        yield db
