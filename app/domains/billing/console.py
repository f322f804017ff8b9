"""The console's billing surfaces: tiers and their versions, an organization's subscription,
add-ons, overrides and org entitlements (platform admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import SIGNED_IN, Body, Code
from app.api.errors import ApiError
from app.api.scope import Db

Reason = Annotated[str, msgspec.Meta(min_length=3, max_length=500)]
LimitCode = Annotated[str, msgspec.Meta(min_length=2, max_length=63, pattern=r"^[a-z][a-z0-9_.]*$")]


class TierVersion(msgspec.Struct):
    tier: FromPath[str]
    name: str
    kind: str
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
    id: str
    organization_id: str
    tier: FromPath[str]
    version: int
    latest_version: int
    kind: str
    status: str
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


class Created(msgspec.Struct):
    id: str


class OrgEntitlement(Body):
    enabled: bool
    reason: Reason


TIER_SQL = """
SELECT t.code, t.name, t.kind, v.version, v.monthly_price_cents,
       coalesce((SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
                 FROM billing.tier_entitlements AS e
                 WHERE e.tier_version_id = v.id), '{}'),
       coalesce((SELECT jsonb_object_agg(l.limit_code, l.value) FROM billing.tier_limits AS l
                 WHERE l.tier_version_id = v.id), '{}'),
       v.published_at
FROM billing.tiers AS t JOIN billing.tier_versions AS v ON v.tier_id = t.id
"""

SUBSCRIPTION_SQL = """
SELECT s.id::text, s.organization_id::text, t.code, v.version,
       (SELECT max(v2.version) FROM billing.tier_versions AS v2 WHERE v2.tier_id = t.id),
       s.kind, s.status, s.started_at, s.ended_at
FROM billing.organization_subscriptions AS s
JOIN billing.tier_versions AS v ON v.id = s.tier_version_id
JOIN billing.tiers AS t ON t.id = v.tier_id
"""


@get("/v1/console/tiers", **SIGNED_IN, tags=["console"])
async def list_tiers(db: NamedDependency[Db]) -> list[TierVersion]:
    """Every version of every tier."""
    await db.require_platform_admin()
    return [TierVersion(*r) for r in await db.all(TIER_SQL + " ORDER BY t.code, v.version")]


@post("/v1/console/tiers/{tier:str}/versions", **SIGNED_IN, tags=["console"])
async def publish_version(
    db: NamedDependency[Db], tier: FromPath[str], data: JSONBody[PublishVersion]
) -> Response[TierVersion]:
    """Publish a new version of a tier; live subscriptions keep their snapshot."""
    await db.require_platform_admin()
    version_id = await db.value(
        "SELECT billing.publish_tier_version(%s, %s::jsonb, %s::jsonb, %s)",
        (
            tier[:63],
            msgspec.json.encode(data.entitlements).decode(),
            msgspec.json.encode(data.limits).decode(),
            data.monthly_price_cents,
        ),
    )
    row = await db.one(TIER_SQL + " WHERE v.id = %s", (str(version_id),))
    return Response(TierVersion(*row), status_code=201)


async def _org_exists(db: Db, org_id: FromPath[UUID]) -> None:
    if not await db.value(
        "SELECT EXISTS (SELECT 1 FROM tenancy.organizations WHERE id = %s)", (str(org_id),)
    ):
        raise ApiError(404, "organization_not_found", "Organization not found.")


@get("/v1/console/orgs/{org_id:uuid}/subscriptions", **SIGNED_IN, tags=["console"])
async def list_subscriptions(db: NamedDependency[Db], org_id: FromPath[UUID]) -> list[Subscription]:
    """An organization's subscriptions, active and ended."""
    await db.require_platform_admin()
    await _org_exists(db, org_id)
    rows = await db.all(
        SUBSCRIPTION_SQL + " WHERE s.organization_id = %s ORDER BY s.started_at DESC",
        (str(org_id),),
    )
    return [Subscription(*r) for r in rows]


async def _subscription(db: Db, sub_id: str) -> Subscription:
    return Subscription(*await db.one(SUBSCRIPTION_SQL + " WHERE s.id = %s", (sub_id,)))


@put("/v1/console/orgs/{org_id:uuid}/subscription", **SIGNED_IN, tags=["console"])
async def change_tier(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[ChangeTier]
) -> Subscription:
    """Move the organization to another base tier (its newest version, snapshotted)."""
    await db.require_platform_admin()
    await _org_exists(db, org_id)
    sub_id = await db.value("SELECT billing.change_tier(%s, %s)", (str(org_id), data.tier))
    return await _subscription(db, str(sub_id))


@post("/v1/console/orgs/{org_id:uuid}/addons", **SIGNED_IN, tags=["console"])
async def attach_addon(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[ChangeTier]
) -> Response[Subscription]:
    """Attach an add-on tier."""
    await db.require_platform_admin()
    await _org_exists(db, org_id)
    sub_id = await db.value("SELECT billing.attach_addon(%s, %s)", (str(org_id), data.tier))
    return Response(await _subscription(db, str(sub_id)), status_code=201)


@post(
    "/v1/console/subscriptions/{subscription_id:uuid}/migrate",
    **SIGNED_IN,
    tags=["console"],
    status_code=200,
)
async def migrate_subscription(
    db: NamedDependency[Db], subscription_id: FromPath[UUID]
) -> Subscription:
    """Move a subscription to its tier's newest version (a fresh snapshot)."""
    await db.require_platform_admin()
    sub_id = await db.value("SELECT billing.migrate_subscription(%s)", (str(subscription_id),))
    return await _subscription(db, str(sub_id))


@delete(
    "/v1/console/subscriptions/{subscription_id:uuid}",
    **SIGNED_IN,
    tags=["console"],
    status_code=204,
)
async def end_subscription(
    db: NamedDependency[Db], subscription_id: FromPath[UUID]
) -> Response[None]:
    """End a subscription (detach an add-on)."""
    await db.require_platform_admin()
    await db.value("SELECT billing.end_subscription(%s)", (str(subscription_id),))
    return Response(None, status_code=204)


@post("/v1/console/orgs/{org_id:uuid}/overrides", **SIGNED_IN, tags=["console"])
async def grant_override(
    db: NamedDependency[Db], org_id: FromPath[UUID], data: JSONBody[GrantOverride]
) -> Response[Created]:
    """Override one entitlement (`entitlement`, `enabled`) or limit (`limit`, `value`; null:
    unlimited), with a reason and an optional expiry."""
    await db.require_platform_admin()
    await _org_exists(db, org_id)
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
    override_id = await db.value(
        "SELECT billing.grant_override(%s, %s, %s, %s, %s, %s, %s)",
        (
            str(org_id),
            data.entitlement,
            data.limit,
            data.enabled if data.entitlement else None,
            data.value if data.limit else None,
            data.reason,
            data.expires_at,
        ),
    )
    return Response(Created(str(override_id)), status_code=201)


@delete("/v1/console/overrides/{override_id:uuid}", **SIGNED_IN, tags=["console"], status_code=204)
async def revoke_override(db: NamedDependency[Db], override_id: FromPath[UUID]) -> Response[None]:
    """Revoke an override before it expires."""
    await db.require_platform_admin()
    await db.value("SELECT billing.revoke_override(%s)", (str(override_id),))
    return Response(None, status_code=204)


@put("/v1/console/orgs/{org_id:uuid}/entitlements/{code:str}", **SIGNED_IN, tags=["console"])
async def set_org_entitlement(
    db: NamedDependency[Db],
    org_id: FromPath[UUID],
    code: FromPath[str],
    data: JSONBody[OrgEntitlement],
) -> Response[None]:
    """Switch an org-scoped entitlement on or off (audited as `org_entitlement_change`)."""
    await db.require_platform_admin()
    await _org_exists(db, org_id)
    await db.value(
        "SELECT billing.set_org_entitlement(%s, %s, %s, %s)",
        (str(org_id), code[:63], data.enabled, data.reason),
    )
    return Response(None, status_code=204)
