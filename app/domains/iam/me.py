"""Who am I: the human, their memberships and what they may do in each organization."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import get
from litestar.di import NamedDependency

from app.api.common import SIGNED_IN
from app.api.scope import Db


class Membership(msgspec.Struct):
    organization_id: str
    organization_slug: str
    organization_name: str
    role: str
    status: str
    permissions: list[str]


class Me(msgspec.Struct):
    principal_id: str
    email: str
    display_name: str
    locale: str
    platform_role: str | None
    memberships: list[Membership]
    last_activity_at: datetime | None


ME_SQL = """
SELECT h.principal_id::text, h.email::text, h.display_name, h.locale, iam.current_platform_role(),
       h.last_activity_at
FROM iam.humans AS h WHERE h.principal_id = iam.current_principal_id()
"""

MEMBERSHIPS_SQL = """
SELECT o.id::text, o.slug, o.name, r.code, m.status,
       coalesce(array_agg(rp.permission_code ORDER BY rp.permission_code)
                FILTER (WHERE rp.permission_code IS NOT NULL AND m.status = 'active'), '{}')
FROM tenancy.organization_memberships AS m
JOIN tenancy.organizations AS o ON o.id = m.organization_id
JOIN iam.roles AS r ON r.id = m.role_id
LEFT JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
WHERE m.principal_id = iam.current_principal_id() AND o.deleted_at IS NULL
GROUP BY o.id, o.slug, o.name, r.code, m.status
ORDER BY o.name
"""


@get("/v1/me", **SIGNED_IN, tags=["me"])
async def get_me(db: NamedDependency[Db]) -> Me:
    """The signed-in human, with every membership and the permissions each grants."""
    pid, email, name, locale, platform_role, last_activity = await db.one(ME_SQL)
    memberships = [Membership(*row) for row in await db.all(MEMBERSHIPS_SQL)]
    return Me(pid, email, name, locale, platform_role, memberships, last_activity)
