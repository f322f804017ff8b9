"""Who am I: the human, their memberships and what they may do in each organization."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import get
from litestar.di import NamedDependency

from app.api.scope import Db
from app.db.queries import catalogue

Q = catalogue("iam")


class Membership(msgspec.Struct):
    organization_id: UUID
    organization_slug: str
    organization_name: str
    role: str
    status: Literal["invited", "active", "suspended"]
    permissions: list[str]


class Me(msgspec.Struct):
    principal_id: UUID
    email: str
    display_name: str
    locale: str
    platform_role: Literal["superadmin", "support"] | None
    last_activity_at: datetime | None
    memberships: list[Membership] = []


@get("/v1/me", operation_id="me_get", tags=["me"])
async def get_me(db: NamedDependency[Db]) -> Me:
    """The signed-in human, with every membership and the permissions each grants."""
    me = await db.row(Q.me, Me)
    me.memberships = await db.rows(Q.my_memberships, Membership)
    return me
