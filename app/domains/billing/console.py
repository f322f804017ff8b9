"""The console's billing surfaces: tiers and their versions, an organization's subscription,
add-ons, overrides and org entitlements (platform admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body, Code
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue

Q = catalogue("billing")

Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=500)]
LimitCode = Annotated[str, msgspec.Meta(min_length=2, max_length=63, pattern=r"^[a-z][a-z0-9_.]*$")]


class TierVersion(msgspec.Struct):
    tier: str
    name: str
    kind: Literal["base", "addon"]
    version: int
    monthly_price_cents: int
    entitlements: dict[str, bool]
    limits: dict[str, int | None]
    published_at: datetime


class PublishVersion(Body):
    entitlements: Annotated[dict[LimitCode, bool], msgspec.Meta(max_length=100)]
    limits: Annotated[
        dict[LimitCode, Annotated[int, msgspec.Meta(ge=0, le=10**15)] | None],
        msgspec.Meta(max_length=100),
    ]
    monthly_price_cents: Annotated[int, msgspec.Meta(ge=0, le=10**9)] | None = None


class Subscription(msgspec.Struct):
    id: UUID
    organization_id: UUID
    tier: str
    version: int
    latest_version: int
    kind: Literal["base", "addon"]
    status: Literal["active", "ended"]
    started_at: datetime
    ended_at: datetime | None


class ChangeTier(Body):
    tier: Code


class GrantOverride(Body):
    reason: Reason
    entitlement: LimitCode | None = None
    enabled: bool | None = None
    limit: LimitCode | None = None
    value: Annotated[int, msgspec.Meta(ge=0, le=10**15)] | None = None
    expires_at: datetime | None = None


def override_params(data: GrantOverride) -> dict[str, object]:
    """The parameters of an override grant (organization or patient side): it names one
    entitlement (with `enabled`) or one limit, else 400."""
    if (data.entitlement is None) == (data.limit is None) or (
        data.entitlement is not None and data.enabled is None
    ):
        raise ApiError(
            400,
            "validation_failed",
            "Give either entitlement and enabled, or limit and value.",
            {
                "fields": [
                    {"field": "entitlement", "source": "body", "message": "entitlement xor limit"}
                ]
            },
        )
    return {
        "entitlement": data.entitlement,
        "limit_code": data.limit,
        "enabled": data.enabled if data.entitlement else None,
        "value": data.value if data.limit else None,
        "reason": data.reason,
        "expires_at": data.expires_at,
    }


class Created(msgspec.Struct):
    id: UUID


class OrgEntitlement(Body):
    enabled: bool
    reason: Reason


@get("/v1/console/tiers", operation_id="console_tiers_list", tags=["console"])
async def list_tiers(db: NamedDependency[Db]) -> list[TierVersion]:
    """Every version of every tier."""
    return await db.rows(Q.tier_versions_list, TierVersion)


@post(
    "/v1/console/tiers/{tier:str}/versions",
    operation_id="console_tier_versions_publish",
    tags=["console"],
)
async def publish_version(
    db: NamedDependency[Db], tier: FromPath[str], data: JSONBody[PublishVersion]
) -> Response[TierVersion]:
    """Publish a new version of a tier; live subscriptions keep their snapshot."""
    version_id = await db.scalar(
        Q.tier_version_publish,
        tier=tier[:63],
        entitlements=msgspec.json.encode(data.entitlements).decode(),
        limits=msgspec.json.encode(data.limits).decode(),
        monthly_price_cents=data.monthly_price_cents,
    )
    version = await db.row(Q.tier_version_by_id, TierVersion, id=version_id)
    return Response(version, status_code=201)


async def _org_exists(db: Db, org_id: UUID) -> None:
    if not await db.scalar(Q.organization_exists, organization=org_id):
        raise ApiError(404, "organization_not_found", "Organization not found.")


@get(
    "/v1/console/orgs/{org_id:uuid}/subscriptions",
    operation_id="console_subscriptions_list",
    tags=["console"],
)
async def list_subscriptions(db: NamedDependency[Db], org_id: FromPath[UUID]) -> list[Subscription]:
    """An organization's subscriptions, active and ended."""
    await _org_exists(db, org_id)
    return await db.rows(Q.subscriptions_of_org, Subscription, organization=org_id)


async def _subscription(db: Db, sub_id: UUID) -> Subscription:
    return await db.row(Q.subscription_by_id, Subscription, id=sub_id)


@put(
    "/v1/console/orgs/{org_id:uuid}/subscription",
    operation_id="console_subscriptions_change_tier",
    tags=["console"],
)
async def change_tier(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[ChangeTier]
) -> Subscription:
    """Move the organization to another base tier (its newest version, snapshotted)."""
    await _org_exists(db, org_id)
    sub_id = await db.scalar(Q.subscription_change_tier, organization=org_id, tier=data.tier)
    return await _subscription(db, sub_id)


@post(
    "/v1/console/orgs/{org_id:uuid}/addons", operation_id="console_addons_attach", tags=["console"]
)
async def attach_addon(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[ChangeTier]
) -> Response[Subscription]:
    """Attach an add-on tier."""
    await _org_exists(db, org_id)
    sub_id = await db.scalar(Q.subscription_attach_addon, organization=org_id, tier=data.tier)
    return Response(await _subscription(db, sub_id), status_code=201)


@post(
    "/v1/console/subscriptions/{subscription_id:uuid}/migrate",
    operation_id="console_subscriptions_migrate",
    tags=["console"],
    status_code=200,
)
async def migrate_subscription(
    db: NamedDependency[Db], subscription_id: FromPath[UUID]
) -> Subscription:
    """Move a subscription to its tier's newest version (a fresh snapshot)."""
    sub_id = await db.scalar(Q.subscription_migrate, id=subscription_id)
    return await _subscription(db, sub_id)


@delete(
    "/v1/console/subscriptions/{subscription_id:uuid}",
    operation_id="console_subscriptions_end",
    tags=["console"],
    status_code=204,
)
async def end_subscription(
    db: NamedDependency[Db], subscription_id: FromPath[UUID]
) -> Response[None]:
    """End a subscription (detach an add-on)."""
    await db.execute(Q.subscription_end, id=subscription_id)
    return Response(None, status_code=204)


@post(
    "/v1/console/orgs/{org_id:uuid}/overrides",
    operation_id="console_overrides_grant",
    tags=["console"],
)
async def grant_override(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[GrantOverride]
) -> Response[Created]:
    """Override one entitlement (`entitlement`, `enabled`) or limit (`limit`, `value`; null:
    unlimited), with a reason and an optional expiry."""
    await _org_exists(db, org_id)
    override_id = await db.scalar(Q.override_grant, organization=org_id, **override_params(data))
    return Response(Created(override_id), status_code=201)


@delete(
    "/v1/console/overrides/{override_id:uuid}",
    operation_id="console_overrides_revoke",
    tags=["console"],
    status_code=204,
)
async def revoke_override(db: NamedDependency[Db], override_id: FromPath[UUID]) -> Response[None]:
    """Revoke an override before it expires."""
    await db.execute(Q.override_revoke, id=override_id)
    return Response(None, status_code=204)


@put(
    "/v1/console/orgs/{org_id:uuid}/entitlements/{code:str}",
    operation_id="console_entitlements_set",
    tags=["console"],
)
async def set_org_entitlement(
    db: NamedDependency[Db],
    org_id: FromPath[UUID],
    code: FromPath[str],
    data: JSONBody[OrgEntitlement],
) -> Response[None]:
    """Switch an org-scoped entitlement on or off (audited as `org_entitlement_change`)."""
    await _org_exists(db, org_id)
    await db.execute(
        Q.org_entitlement_set,
        organization=org_id,
        code=code[:63],
        enabled=data.enabled,
        reason=data.reason,
    )
    return Response(None, status_code=204)
