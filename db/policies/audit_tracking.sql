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
