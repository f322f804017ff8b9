"""Organizations: platform admins provision them; members read and edit their own."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import ERRORS, HUMAN, ORG_SCOPED, SIGNED_IN, Body, Name, Slug
from app.api.errors import ApiError
from app.api.scope import Db
from app.domains.tenancy import public


class Organization(msgspec.Struct):
    id: str
    slug: str
    name: str
    status: str
    created_at: datetime
    updated_at: datetime


class CreateOrganization(Body):
    slug: Slug
    name: Name
    owner_principal_id: UUID | None = None


class UpdateOrganization(Body):
    name: Name | None = None
    status: Literal["active", "suspended"] | None = None


ORG_SQL = """
SELECT id::text, slug, name, status, created_at, updated_at
FROM tenancy.organizations WHERE id = %s AND deleted_at IS NULL
"""


async def load(db: NamedDependency[Db], org_id: FromPath[str]) -> Organization:
    row = await db.one(ORG_SQL, (org_id,))
    if row is None:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return Organization(*row)


@post("/v1/orgs", **SIGNED_IN, tags=["organizations"])
async def create_organization(
    db: NamedDependency[Db], data: JSONBody[CreateOrganization]
) -> Response[Organization]:
    """Provision an organization (platform admins), optionally with its first owner."""
    owner = str(data.owner_principal_id) if data.owner_principal_id else None
    org_id = await db.value(
        "SELECT tenancy.create_organization(%s, %s, %s)", (data.slug, data.name, owner)
    )
    return Response(await load(db, str(org_id)), status_code=201)


@get(
    "/v1/orgs/{org_id:uuid}",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["organizations"],
)
async def get_organization(db: NamedDependency[Db]) -> Organization:
    """The organization, for its members and platform staff."""
    return await load(db, db.org_id)


@patch(
    "/v1/orgs/{org_id:uuid}",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["organizations"],
)
async def update_organization(
    db: NamedDependency[Db], data: JSONBody[UpdateOrganization], request: Request
) -> Organization:
    """Rename the organization (`organizations.update`); status is for platform admins."""
    await db.value("SELECT tenancy.update_organization(%s, %s)", (data.name, data.status))
    organization = await load(db, db.org_id)
    request.state.invalidate_orgs = [db.org_id]
    request.state.invalidate_keys = [public.slug_key(organization.slug)]
    return organization
