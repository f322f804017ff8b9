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
        # Claimed here so that no other domain can give the code another status: revoking an
        # override that is not active (or not there) is refused as unprocessable.
        "override_not_found": 422,
        "tier_not_found": 422,
        "tier_not_base": 422,
        "tier_not_addon": 422,
        "invalid_catalog": 422,
        "subscription_not_found": 404,
        "entitlement_not_found": 422,
        "limit_not_measured": 422,
        "unknown_limit": 422,
        "unknown_entitlement": 422,
        "unknown_setting": 422,
        "invalid_timezone": 422,
    },
)
