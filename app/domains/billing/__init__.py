"""Tiers, subscriptions and snapshots, entitlements, limits, overrides, patient tiers, billing."""

from app.domains import Domain

DOMAIN = Domain(
    name="billing",
    summary=__doc__,
    depends=("iam", "tenancy", "events"),
    errors={
        "limit_exceeded": 402,
        "tier_entitlement_unavailable": 402,
        "org_entitlement_disabled": 403,
    },
)
