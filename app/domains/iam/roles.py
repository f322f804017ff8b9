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
    PAYMENT_REQUIRED,
    Body,
    Code,
    Description,
    Name,
)
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.billing.entitlements import require_tier_entitlement

Q = catalogue("iam")

PermissionCode = Annotated[
    str, msgspec.Meta(min_length=3, max_length=100, pattern=r"^[a-z_]+\.[a-z_]+$")
]
PermissionList = Annotated[list[PermissionCode], msgspec.Meta(max_length=200)]


class Permission(msgspec.Struct):
    code: str
    description: str


class Role(msgspec.Struct):
    id: UUID
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


@get("/v1/permissions", operation_id="permissions_list", tags=["roles"])
async def list_permissions(db: NamedDependency[Db]) -> list[Permission]:
    """The permission catalog."""
    return await db.rows(Q.permissions_list, Permission)


@get("/v1/orgs/{org_id:uuid}/roles", operation_id="roles_list", tags=["roles"])
async def list_roles(db: NamedDependency[Db]) -> list[Role]:
    """System role templates and the organization's custom roles, with their permissions."""
    return await db.rows(Q.roles_list, Role)


async def _load(db: Db, role_id: UUID) -> Role:
    role = await db.row(Q.role_by_id, Role, id=role_id)
    if role is None:
        raise ApiError(404, "role_not_found", "No such role in this organization.")
    return role


@post(
    "/v1/orgs/{org_id:uuid}/roles",
    operation_id="roles_create",
    tags=["roles"],
    responses=PAYMENT_REQUIRED,
)
async def create_role(db: NamedDependency[Db], data: JSONBody[CreateRole]) -> Response[Role]:
    """Create a custom role with a permission set (`roles.manage`)."""
    await require_tier_entitlement(db, "custom_roles")
    role_id = await db.scalar(
        Q.role_save,
        id=None,
        code=data.code,
        name=data.name,
        description=data.description,
        permissions=data.permissions,
    )
    return Response(await _load(db, role_id), status_code=201)


@patch("/v1/orgs/{org_id:uuid}/roles/{role_id:uuid}", operation_id="roles_update", tags=["roles"])
async def update_role(
    db: NamedDependency[Db], role_id: FromPath[UUID], data: JSONBody[UpdateRole]
) -> Role:
    """Edit a custom role; system templates are read-only (`role_not_found`)."""
    await db.execute(
        Q.role_save,
        id=role_id,
        code=None,
        name=data.name,
        description=data.description,
        permissions=data.permissions,
    )
    return await _load(db, role_id)


@delete(
    "/v1/orgs/{org_id:uuid}/roles/{role_id:uuid}",
    operation_id="roles_delete",
    tags=["roles"],
    status_code=204,
)
async def delete_role(db: NamedDependency[Db], role_id: FromPath[UUID]) -> Response[None]:
    """Delete a custom role no member holds (`role_in_use` otherwise)."""
    await db.execute(Q.role_delete, id=role_id)
    return Response(None, status_code=204)
