-- Another clinic's owner sees none of A's invitations and billing rows and changes none.
BEGIN;
SELECT plan(16);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner');
SELECT tests.add_member(:'org_b', :'owner_b', 'owner');
SELECT tests.make_platform(:'root', 'superadmin');

-- Give A one row in every table that starts empty.
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.grant_override(:'org_a', 'api_access', NULL, TRUE, NULL, 'pilot customer');
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT id AS invitation_a FROM tenancy.create_invitation('new@a.test', (SELECT id FROM iam.roles WHERE code = 'specialist' AND organization_id IS NULL)) \gset
SELECT billing.save_patient_tier(NULL, 'gold', 'Gold', '', '{"priority_booking": true}', '{"bookings.monthly": 8}') AS tier_a \gset

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty(format('SELECT 1 FROM tenancy.invitations WHERE organization_id = %L', :'org_a'), 'no invitation of A');
SELECT is_empty(format('SELECT 1 FROM billing.organization_billing WHERE organization_id = %L', :'org_a'), 'no billing profile of A');
SELECT is_empty(format('SELECT 1 FROM billing.organization_entitlements WHERE organization_id = %L', :'org_a'), 'no entitlement toggle of A');
SELECT is_empty(format('SELECT 1 FROM billing.organization_subscription_entitlements WHERE organization_id = %L', :'org_a'), 'no entitlement snapshot of A');
SELECT is_empty(format('SELECT 1 FROM billing.organization_subscription_limits WHERE organization_id = %L', :'org_a'), 'no limit snapshot of A');
SELECT is_empty(format('SELECT 1 FROM billing.organization_subscription_overrides WHERE organization_id = %L', :'org_a'), 'no override of A');
SELECT is_empty(format('SELECT 1 FROM billing.patient_tier_versions WHERE organization_id = %L', :'org_a'), 'no patient tier version of A');
SELECT is_empty(format('SELECT 1 FROM billing.patient_tier_entitlements WHERE organization_id = %L', :'org_a'), 'no patient tier perk of A');
SELECT is_empty(format('SELECT 1 FROM billing.patient_tier_limits WHERE organization_id = %L', :'org_a'), 'no patient tier limit of A');

SELECT throws_ok(format('UPDATE tenancy.invitations SET revoked_at = now() WHERE id = %L RETURNING 1', :'invitation_a'),
    '42501', NULL, 'owner B cannot revoke an invitation of A (no direct write grant)');
SELECT throws_ok(format($$UPDATE billing.organization_billing SET legal_name = 'taken' WHERE organization_id = %L RETURNING 1$$, :'org_a'),
    '42501', NULL, 'owner B cannot edit the billing profile of A (no direct write grant)');
SELECT throws_ok(format($$UPDATE tenancy.organization_settings SET brand_color = '#000000' WHERE organization_id = %L RETURNING 1$$, :'org_a'),
    '42501', NULL, 'owner B cannot edit the settings of A (no direct write grant)');
SELECT throws_ok(format($$UPDATE billing.patient_tiers SET name = 'taken' WHERE id = %L RETURNING 1$$, :'tier_a'),
    '42501', NULL, 'owner B cannot rename a patient tier of A (no direct write grant)');
SELECT throws_ok(
    format($$INSERT INTO billing.patient_tiers (organization_id, code, name) VALUES (%L, 'evil', 'Evil')$$, :'org_a'),
    '42501', NULL, 'owner B cannot create a patient tier in A');
SELECT throws_ok(
    format($$SELECT billing.save_patient_tier(%L, NULL, 'taken', NULL, '{}', NULL)$$, :'tier_a'),
    'P0001', 'not_found', 'saving A''s patient tier from B finds nothing');
SELECT throws_ok(
    format($$SELECT tenancy.revoke_invitation(%L)$$, :'invitation_a'),
    'P0001', 'invitation_invalid', 'revoking A''s invitation from B finds nothing');

SELECT * FROM finish();
ROLLBACK;
