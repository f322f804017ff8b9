"""Organizations: platform admins provision them; members read and edit their own."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from app.api.common import Body, Name, Slug
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.tenancy import public

Q = catalogue("tenancy")


class Organization(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    status: Literal["active", "suspended"]
    created_at: datetime
    updated_at: datetime


class CreateOrganization(Body):
    slug: Slug
    name: Name
    owner_principal_id: UUID | None = None


class UpdateOrganization(Body):
    name: Name | None = None
    status: Literal["active", "suspended"] | None = None


async def load(db: Db, org_id: UUID | str) -> Organization:
    organization = await db.row(Q.organization_by_id, Organization, id=org_id)
    if organization is None:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return organization


@post("/v1/orgs", operation_id="organizations_create", tags=["organizations"])
async def create_organization(
    db: NamedDependency[Db], data: JSONBody[CreateOrganization]
) -> Response[Organization]:
    """Provision an organization (platform admins), optionally with its first owner."""
    org_id = await db.scalar(
        Q.organization_create, slug=data.slug, name=data.name, owner=data.owner_principal_id
    )
    return Response(await load(db, org_id), status_code=201)


@get("/v1/orgs/{org_id:uuid}", operation_id="organizations_get", tags=["organizations"])
async def get_organization(db: NamedDependency[Db]) -> Organization:
    """The organization, for its members and platform staff."""
    return await load(db, db.org_id)


@patch("/v1/orgs/{org_id:uuid}", operation_id="organizations_update", tags=["organizations"])
async def update_organization(
    db: NamedDependency[Db], data: JSONBody[UpdateOrganization], request: Request
) -> Organization:
    """Rename the organization (`organizations.update`); status is for platform admins."""
    await db.execute(Q.organization_update, name=data.name, status=data.status)
    organization = await load(db, db.org_id)
    request.state.invalidate_orgs = [db.org_id]
    request.state.invalidate_keys = [public.slug_key(organization.slug)]
    return organization
