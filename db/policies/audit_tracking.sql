-- The tables whose every mutation is written to the audit log. Applied last, so that each
-- trigger carries the masked columns of the registry loaded by this migrate.
-- The catalog test in db/tests/test_audit_catalog.sql fails for an app table missing here.

SELECT audit.track('iam.principals', p_org_column => NULL);
SELECT audit.track('iam.humans', p_org_column => NULL, p_quiet => ARRAY['last_activity_at']);
SELECT audit.track('iam.permissions', p_org_column => NULL);
SELECT audit.track('iam.roles');
SELECT audit.track('iam.role_permissions', p_org_column => NULL);
SELECT audit.track('iam.platform_memberships', p_org_column => NULL);
SELECT audit.track('tenancy.organizations', p_org_column => 'id');
SELECT audit.track('tenancy.organization_domains');
SELECT audit.track('tenancy.organization_memberships', p_quiet => ARRAY['last_used_at']);
SELECT audit.track('events.consumers', p_org_column => NULL);
SELECT audit.track('tenancy.invitations');
SELECT audit.track('crypto.organization_data_keys');
SELECT audit.track('tenancy.organization_settings');
SELECT audit.track('billing.organization_billing');
SELECT audit.track('billing.organization_entitlements');
SELECT audit.track('billing.entitlements', p_org_column => NULL);
SELECT audit.track('billing.limit_definitions', p_org_column => NULL);
SELECT audit.track('billing.tiers', p_org_column => NULL);
SELECT audit.track('billing.tier_versions', p_org_column => NULL);
SELECT audit.track('billing.tier_entitlements', p_org_column => NULL);
SELECT audit.track('billing.tier_limits', p_org_column => NULL);
SELECT audit.track('billing.organization_subscriptions');
SELECT audit.track('billing.organization_subscription_entitlements');
SELECT audit.track('billing.organization_subscription_limits');
SELECT audit.track('billing.organization_subscription_overrides');
SELECT audit.track('billing.patient_tiers');
SELECT audit.track('billing.patient_tier_versions');
SELECT audit.track('billing.patient_tier_entitlements');
SELECT audit.track('billing.patient_tier_limits');
SELECT audit.track('consent.purposes', p_org_column => NULL);
SELECT audit.track('consent.documents');
SELECT audit.track('consent.consents');
SELECT audit.track('integrations.platform_service_providers');
SELECT audit.track('integrations.organization_integrations');
SELECT audit.track('storage.files');
SELECT audit.track('metering.meters', p_org_column => NULL);
