-- Issue 14, finding 2: the request pool writes no table whose rules live in functions.
-- Owner-only, last-owner and subset-of-own-permissions rules exist only inside the
-- SECURITY DEFINER functions of tenancy, iam and billing, so a direct INSERT, UPDATE or
-- DELETE by restartix_app would skip them. Revoking a table privilege revokes its column
-- privileges too. What the request pool may still write directly, and why, is listed in
-- db/tests/test_app_privileges.sql.

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON
tenancy.organizations, tenancy.organization_domains, tenancy.organization_memberships,
tenancy.invitations, tenancy.organization_settings,
iam.humans, iam.roles, iam.role_permissions, iam.platform_memberships,
billing.organization_billing, billing.patient_tiers, billing.patient_tier_versions,
billing.patient_tier_entitlements, billing.patient_tier_limits
FROM restartix_app;
