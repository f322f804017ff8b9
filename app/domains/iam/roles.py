"""Roles: system templates (read-only here) and the organization's custom roles; the
permission catalog."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    ERRORS,
    HUMAN,
    ORG_SCOPED,
    PAYMENT_REQUIRED,
    SIGNED_IN,
    Body,
    Code,
    Description,
    Name,
)
from app.api.errors import ApiError
from app.api.scope import Db
from app.domains.billing.entitlements import require_tier_entitlement

PermissionCode = Annotated[
    str, msgspec.Meta(min_length=3, max_length=100, pattern=r"^[a-z_]+\.[a-z_]+$")
]
PermissionList = Annotated[list[PermissionCode], msgspec.Meta(max_length=200)]


class Permission(msgspec.Struct):
    code: str
    description: str


class Role(msgspec.Struct):
    id: str
    code: str
    name: str
    description: str
    system: bool
    permissions: list[str]


class CreateRole(Body):
    code: Code
    name: Name
    description: Description = ""
    permissions: PermissionList = msgspec.field(default_factory=list)


class UpdateRole(Body):
    name: Name | None = None
    description: Description | None = None
    permissions: PermissionList | None = None


ROLE_SQL = """
SELECT r.id::text, r.code, r.name, r.description, r.organization_id IS NULL,
       coalesce(array_agg(rp.permission_code ORDER BY rp.permission_code)
                FILTER (WHERE rp.permission_code IS NOT NULL), '{}')
FROM iam.roles AS r LEFT JOIN iam.role_permissions AS rp ON rp.role_id = r.id
WHERE (r.organization_id IS NULL OR r.organization_id = %s)
"""


@get("/v1/permissions", **SIGNED_IN, tags=["roles"])
async def list_permissions(db: NamedDependency[Db]) -> list[Permission]:
    """The permission catalog."""
    rows = await db.all("SELECT code, description FROM iam.permissions ORDER BY code")
    return [Permission(*row) for row in rows]


@get(
    "/v1/orgs/{org_id:uuid}/roles",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["roles"],
)
async def list_roles(db: NamedDependency[Db]) -> list[Role]:
    """System role templates and the organization's custom roles, with their permissions."""
    rows = await db.all(
        ROLE_SQL + " GROUP BY r.id ORDER BY r.organization_id NULLS FIRST, r.code", (db.org_id,)
    )
    return [Role(*row) for row in rows]


async def _load(db: NamedDependency[Db], role_id: FromPath[str]) -> Role:
    row = await db.one(ROLE_SQL + " AND r.id = %s GROUP BY r.id", (db.org_id, role_id))
    if row is None:
        raise ApiError(404, "role_not_found", "No such role in this organization.")
    return Role(*row)


@post(
    "/v1/orgs/{org_id:uuid}/roles",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses={**ERRORS, **PAYMENT_REQUIRED},
    tags=["roles"],
)
async def create_role(db: NamedDependency[Db], data: JSONBody[CreateRole]) -> Response[Role]:
    """Create a custom role with a permission set (`roles.manage`)."""
    await require_tier_entitlement(db, "custom_roles")
    role_id = await db.value(
        "SELECT iam.save_role(NULL, %s, %s, %s, %s)",
        (data.code, data.name, data.description, data.permissions),
    )
    return Response(await _load(db, str(role_id)), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/roles/{role_id:uuid}",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["roles"],
)
async def update_role(
    db: NamedDependency[Db], role_id: FromPath[UUID], data: JSONBody[UpdateRole]
) -> Role:
    """Edit a custom role; system templates are read-only (`role_not_found`)."""
    await db.value(
        "SELECT iam.save_role(%s, NULL, %s, %s, %s)",
        (str(role_id), data.name, data.description, data.permissions),
    )
    return await _load(db, str(role_id))


@delete(
    "/v1/orgs/{org_id:uuid}/roles/{role_id:uuid}",
    dependencies=ORG_SCOPED,
    guards=HUMAN,
    responses=ERRORS,
    tags=["roles"],
    status_code=204,
)
async def delete_role(db: NamedDependency[Db], role_id: FromPath[UUID]) -> Response[None]:
    """Delete a custom role no member holds (`role_in_use` otherwise)."""
    await db.value("SELECT iam.delete_role(%s)", (str(role_id),))
    return Response(None, status_code=204)
