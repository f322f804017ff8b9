"""The events the iam domain publishes: one payload struct per (type, version)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload


class RoleCreated(Payload):
    """A role was created: a custom role of the envelope's organization, or a system template."""

    TYPE: ClassVar[str] = "role.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "role_id": "iam.roles.id",
        "code": "iam.roles.code",
        "name": "iam.roles.name",
    }
    role_id: uuid.UUID
    code: str
    name: str


class RoleUpdated(Payload):
    """A role's code, name or description changed, or permissions were granted or revoked."""

    TYPE: ClassVar[str] = "role.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "role_id": "iam.roles.id",
        "code": "iam.roles.code",
        "name": "iam.roles.name",
        "changed": COLUMN_NAMES,
        "permissions_added": "iam.role_permissions.permission_code",
        "permissions_removed": "iam.role_permissions.permission_code",
    }
    role_id: uuid.UUID
    code: str
    name: str
    changed: list[Literal["code", "name", "description", "permissions"]]
    permissions_added: list[str]
    permissions_removed: list[str]


class RoleDeleted(Payload):
    """A role was deleted (its permission grants went with it)."""

    TYPE: ClassVar[str] = "role.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "role_id": "iam.roles.id",
        "code": "iam.roles.code",
    }
    role_id: uuid.UUID
    code: str


class BreakGlassOpened(Payload):
    """A platform staff member opened a read-only break-glass grant on the envelope's
    organization (the reason stays in the grant, read under RLS)."""

    TYPE: ClassVar[str] = "break_glass.opened"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "grant_id": "iam.break_glass_grants.id",
        "principal_id": "iam.break_glass_grants.principal_id",
        "opened_by": "iam.break_glass_grants.opened_by",
        "expires_at": "iam.break_glass_grants.expires_at",
    }
    grant_id: uuid.UUID
    principal_id: uuid.UUID
    opened_by: uuid.UUID
    expires_at: datetime


class BreakGlassClosed(Payload):
    """A break-glass grant on the envelope's organization was closed before it expired."""

    TYPE: ClassVar[str] = "break_glass.closed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "grant_id": "iam.break_glass_grants.id",
        "principal_id": "iam.break_glass_grants.principal_id",
        "closed_by": "iam.break_glass_grants.closed_by",
    }
    grant_id: uuid.UUID
    principal_id: uuid.UUID
    closed_by: uuid.UUID
