"""The console's service providers (Cat A): platform accounts per category, per-organization
override rows, and what an organization resolves to. Credentials are write-only."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import SIGNED_IN, Body
from app.api.errors import ApiError
from app.api.scope import Db
from app.domains.integrations.connections import Credentials, check_credentials_size
from app.domains.integrations.credentials import provider_context, seal

Category = Literal["video", "email", "sms", "push", "pdf"]
CATEGORIES: tuple[str, ...] = ("video", "email", "sms", "push", "pdf")
ProviderCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{1,62}$")]
Config = Annotated[dict[str, Any], msgspec.Meta(max_length=50)]

MAX_CONFIG_BYTES = 8192


class ServiceProvider(msgspec.Struct):
    id: str
    organization_id: str | None
    category: str
    provider: str
    config: dict[str, Any]
    has_credentials: bool
    enabled: bool
    is_default: bool
    created_at: datetime
    updated_at: datetime


class CreateServiceProvider(Body):
    category: Category
    provider: ProviderCode
    config: Config = msgspec.field(default_factory=dict)
    credentials: Credentials | None = None
    enabled: bool = True
    is_default: bool = False
    organization_id: UUID | None = None


class UpdateServiceProvider(Body):
    provider: ProviderCode | None = None
    config: Config | None = None
    credentials: Credentials | None = None
    enabled: bool | None = None
    is_default: bool | None = None


class ResolvedProvider(msgspec.Struct):
    category: str
    provider_id: str | None
    provider: str | None
    source: str | None
    config: dict[str, Any] | None


COLUMNS = """
id::text, organization_id::text, category, provider, config, has_credentials, enabled,
is_default, created_at, updated_at
"""
UNSET_DEFAULT = """
UPDATE integrations.platform_service_providers SET is_default = false
WHERE organization_id IS NULL AND category = %s AND is_default AND id <> %s
"""


def _config_json(config: dict[str, Any]) -> str:
    encoded = msgspec.json.encode(config)
    if len(encoded) > MAX_CONFIG_BYTES:
        raise ApiError(
            400,
            "validation_failed",
            f"The config is at most {MAX_CONFIG_BYTES} bytes of JSON.",
            {"fields": [{"field": "config", "source": "body", "message": "too large"}]},
        )
    return encoded.decode()


async def _sealed(
    request: Request, row_id: str, org_id: str | None, credentials: dict[str, str]
) -> bytes:
    check_credentials_size(credentials)
    cipher = request.app.state.resources.field_cipher()
    return await asyncio.to_thread(seal, cipher, credentials, provider_context(row_id, org_id))


@get("/v1/console/service-providers", **SIGNED_IN, tags=["console"])
async def list_service_providers(
    db: NamedDependency[Db],
    category: FromQuery[Category | None] = None,
    organization_id: FromQuery[UUID | None] = None,
) -> list[ServiceProvider]:
    """Platform provider accounts and override rows (platform staff), never their secrets."""
    await db.require_platform_staff()
    rows = await db.all(
        f"SELECT {COLUMNS} FROM integrations.platform_service_providers"
        " WHERE (%(category)s::text IS NULL OR category = %(category)s)"
        "   AND (%(org)s::uuid IS NULL OR organization_id = %(org)s::uuid)"
        " ORDER BY category, organization_id NULLS FIRST, provider",
        {"category": category, "org": str(organization_id) if organization_id else None},
    )
    return [ServiceProvider(*row) for row in rows]


@post("/v1/console/service-providers", **SIGNED_IN, tags=["console"])
async def create_service_provider(
    db: NamedDependency[Db], data: JSONBody[CreateServiceProvider], request: Request
) -> Response[ServiceProvider]:
    """Add a platform provider account, or an organization's override (`organization_id`)
    for a category; `is_default` makes it the platform default of its category."""
    await db.require_platform_admin()
    row_id = str(uuid.uuid4())
    org_id = str(data.organization_id) if data.organization_id else None
    sealed = (
        await _sealed(request, row_id, org_id, data.credentials)
        if data.credentials is not None
        else None
    )
    if data.is_default and org_id is None:
        await db.conn.execute(UNSET_DEFAULT, (data.category, row_id))
    row = await db.one(
        f"""
        INSERT INTO integrations.platform_service_providers
            (id, organization_id, category, provider, config, credentials_encrypted, enabled,
             is_default, created_by)
        VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s, %s, iam.current_principal_id())
        RETURNING {COLUMNS}
        """,
        (
            row_id,
            org_id,
            data.category,
            data.provider,
            _config_json(data.config),
            sealed,
            data.enabled,
            data.is_default,
        ),
    )
    return Response(ServiceProvider(*row), status_code=201)


@patch("/v1/console/service-providers/{provider_id:uuid}", **SIGNED_IN, tags=["console"])
async def update_service_provider(
    db: NamedDependency[Db],
    provider_id: FromPath[UUID],
    data: JSONBody[UpdateServiceProvider],
    request: Request,
) -> ServiceProvider:
    """Change a provider account: config, enabled, default, or replace its credentials."""
    await db.require_platform_admin()
    current = await db.one(
        "SELECT organization_id::text, category FROM integrations.platform_service_providers"
        " WHERE id = %s",
        (str(provider_id),),
    )
    if current is None:
        raise ApiError(404, "not_found", "No such service provider.")
    org_id, category = current
    changes: dict[str, object] = {}
    if data.provider is not None:
        changes["provider"] = data.provider
    if data.config is not None:
        changes["config"] = _config_json(data.config)
    if data.enabled is not None:
        changes["enabled"] = data.enabled
    if data.is_default is not None:
        changes["is_default"] = data.is_default
        if data.is_default and org_id is None:
            await db.conn.execute(UNSET_DEFAULT, (category, str(provider_id)))
    if data.credentials is not None:
        changes["credentials_encrypted"] = await _sealed(
            request, str(provider_id), org_id, data.credentials
        )
    assignments = ", ".join(
        f"{column} = %s::jsonb" if column == "config" else f"{column} = %s" for column in changes
    )
    row = await db.one(
        f"UPDATE integrations.platform_service_providers SET {assignments or 'enabled = enabled'}"
        f" WHERE id = %s RETURNING {COLUMNS}",
        (*changes.values(), str(provider_id)),
    )
    return ServiceProvider(*row)


@delete(
    "/v1/console/service-providers/{provider_id:uuid}",
    **SIGNED_IN,
    tags=["console"],
    status_code=204,
)
async def remove_service_provider(
    db: NamedDependency[Db], provider_id: FromPath[UUID]
) -> Response[None]:
    """Remove a provider account or override row."""
    await db.require_platform_admin()
    removed = await db.value(
        "DELETE FROM integrations.platform_service_providers WHERE id = %s RETURNING id",
        (str(provider_id),),
    )
    if removed is None:
        raise ApiError(404, "not_found", "No such service provider.")
    return Response(None, status_code=204)


@get("/v1/console/orgs/{org_id:uuid}/providers", **SIGNED_IN, tags=["console"])
async def resolved_providers(
    db: NamedDependency[Db], org_id: FromPath[UUID]
) -> list[ResolvedProvider]:
    """What each category resolves to for an organization: its override, else the platform
    default (platform staff)."""
    await db.require_platform_staff()
    if not await db.value(
        "SELECT EXISTS (SELECT 1 FROM tenancy.organizations WHERE id = %s)", (str(org_id),)
    ):
        raise ApiError(404, "organization_not_found", "Organization not found.")
    rows = await db.all(
        """
        SELECT c.category, r.id::text, r.provider, r.source, r.config
        FROM unnest(%s::text[]) WITH ORDINALITY AS c (category, ord)
        LEFT JOIN LATERAL integrations.resolve_provider(c.category, %s) AS r ON true
        ORDER BY c.ord
        """,
        (list(CATEGORIES), str(org_id)),
    )
    return [ResolvedProvider(*row) for row in rows]
