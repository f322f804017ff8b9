"""The billing domain's HTTP routes."""

from app.api.common import console_router, org_router
from app.domains.billing import billing, console

ROUTERS = [
    org_router(
        billing.get_entitlements,
        billing.get_settings,
        billing.update_settings,
        billing.get_billing,
        billing.update_billing,
        billing.list_patient_tiers,
        billing.create_patient_tier,
        billing.update_patient_tier,
    ),
    console_router(
        console.list_tiers,
        console.publish_version,
        console.list_subscriptions,
        console.change_tier,
        console.attach_addon,
        console.migrate_subscription,
        console.end_subscription,
        console.grant_override,
        console.revoke_override,
        console.set_org_entitlement,
    ),
]
