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

from app.api.common import Body
from app.api.errors import ApiError
from app.api.scope import PLATFORM_STAFF, Db
from app.db.queries import catalogue
from app.domains.integrations.connections import Credentials, check_credentials_size
from app.domains.integrations.credentials import provider_context, seal

Q = catalogue("integrations")

Category = Literal["video", "email", "sms", "push", "pdf"]
CATEGORIES: tuple[str, ...] = ("video", "email", "sms", "push", "pdf")
ProviderCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{1,62}$")]
Config = Annotated[dict[str, Any], msgspec.Meta(max_length=50)]

MAX_CONFIG_BYTES = 8192


class ServiceProvider(msgspec.Struct):
    id: UUID
    organization_id: UUID | None
    category: Category
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
    category: Category
    provider_id: UUID | None
    provider: str | None
    source: Literal["platform", "organization"] | None
    config: dict[str, Any] | None


class _Scope(msgspec.Struct):
    """Where a provider row belongs: an organization's override, or (None) the platform."""

    organization_id: UUID | None
    category: Category


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
    request: Request, row_id: UUID, org_id: UUID | None, credentials: dict[str, str]
) -> bytes:
    check_credentials_size(credentials)
    cipher = request.app.state.resources.field_cipher()
    return await asyncio.to_thread(seal, cipher, credentials, provider_context(row_id, org_id))


@get(
    "/v1/console/service-providers",
    operation_id="console_service_providers_list",
    tags=["console"],
    opt=PLATFORM_STAFF,
)
async def list_service_providers(
    db: NamedDependency[Db],
    category: FromQuery[Category | None] = None,
    organization_id: FromQuery[UUID | None] = None,
) -> list[ServiceProvider]:
    """Platform provider accounts and override rows (platform staff), never their secrets."""
    return await db.rows(
        Q.service_providers_list,
        ServiceProvider,
        category=category,
        organization_id=organization_id,
    )


@post(
    "/v1/console/service-providers",
    operation_id="console_service_providers_create",
    tags=["console"],
)
async def create_service_provider(
    db: NamedDependency[Db], data: JSONBody[CreateServiceProvider], request: Request
) -> Response[ServiceProvider]:
    """Add a platform provider account, or an organization's override (`organization_id`)
    for a category; `is_default` makes it the platform default of its category."""
    row_id = uuid.uuid4()
    org_id = data.organization_id
    sealed = (
        await _sealed(request, row_id, org_id, data.credentials)
        if data.credentials is not None
        else None
    )
    if data.is_default and org_id is None:
        await db.execute(Q.service_provider_unset_default, category=data.category, id=row_id)
    provider = await db.row(
        Q.service_provider_create,
        ServiceProvider,
        id=row_id,
        organization_id=org_id,
        category=data.category,
        provider=data.provider,
        config=_config_json(data.config),
        credentials=sealed,
        enabled=data.enabled,
        is_default=data.is_default,
    )
    return Response(provider, status_code=201)


@patch(
    "/v1/console/service-providers/{provider_id:uuid}",
    operation_id="console_service_providers_update",
    tags=["console"],
)
async def update_service_provider(
    db: NamedDependency[Db],
    provider_id: FromPath[UUID],
    data: JSONBody[UpdateServiceProvider],
    request: Request,
) -> ServiceProvider:
    """Change a provider account: config, enabled, default, or replace its credentials."""
    scope = await db.row(Q.service_provider_scope, _Scope, id=provider_id)
    if scope is None:
        raise ApiError(404, "not_found", "No such service provider.")
    changes = {
        "id": provider_id,
        "provider": data.provider,
        "config": None if data.config is None else _config_json(data.config),
        "enabled": data.enabled,
        "is_default": data.is_default,
    }
    if data.is_default and scope.organization_id is None:
        await db.execute(Q.service_provider_unset_default, category=scope.category, id=provider_id)
    if data.credentials is None:
        provider = await db.row(Q.service_provider_update, ServiceProvider, **changes)
    else:
        sealed = await _sealed(request, provider_id, scope.organization_id, data.credentials)
        provider = await db.row(
            Q.service_provider_update_with_credentials,
            ServiceProvider,
            **changes,
            credentials=sealed,
        )
    assert provider is not None
    return provider


@delete(
    "/v1/console/service-providers/{provider_id:uuid}",
    operation_id="console_service_providers_remove",
    tags=["console"],
    status_code=204,
)
async def remove_service_provider(
    db: NamedDependency[Db], provider_id: FromPath[UUID]
) -> Response[None]:
    """Remove a provider account or override row."""
    if await db.scalar(Q.service_provider_remove, id=provider_id) is None:
        raise ApiError(404, "not_found", "No such service provider.")
    return Response(None, status_code=204)


@get(
    "/v1/console/orgs/{org_id:uuid}/providers",
    operation_id="console_resolved_providers_list",
    tags=["console"],
    opt=PLATFORM_STAFF,
)
async def resolved_providers(
    db: NamedDependency[Db], org_id: FromPath[UUID]
) -> list[ResolvedProvider]:
    """What each category resolves to for an organization: its override, else the platform
    default (platform staff)."""
    if not await db.scalar(Q.organization_exists, organization_id=org_id):
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return await db.rows(
        Q.resolved_providers,
        ResolvedProvider,
        categories=list(CATEGORIES),
        organization_id=org_id,
    )
