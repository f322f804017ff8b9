-- Issue 14, findings 1 and 2: an administrator cannot raise their own (or anyone's) rights
-- beyond their own, through the functions or by writing the tables directly.
BEGIN;
SELECT plan(22);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner@a.test') AS owner_a \gset
SELECT tests.create_human('admin@a.test') AS admin_a \gset
SELECT tests.create_human('billing@a.test') AS billing_a \gset
SELECT tests.create_human('spec@a.test') AS spec_a \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') AS owner_m \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') AS admin_m \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') AS billing_m \gset
SELECT tests.add_member(:'org_a', :'spec_a', 'specialist') AS spec_m \gset
SELECT id AS owner_role FROM iam.roles WHERE code = 'owner' AND organization_id IS NULL \gset
SELECT id AS billing_role FROM iam.roles WHERE code = 'billing' AND organization_id IS NULL \gset
SELECT id AS receptionist_role FROM iam.roles WHERE code = 'receptionist' AND organization_id IS NULL \gset
SELECT array_agg(code ORDER BY code)::text AS every_code FROM iam.permissions \gset

-- Through the functions.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(
    format($$SELECT iam.save_role(NULL, 'god', 'God', '', %L::text[])$$, :'every_code'),
    '42501', 'permission_denied', 'an admin cannot create a role with permissions they lack');
SELECT lives_ok(
    $$SELECT iam.save_role(NULL, 'front_desk', 'Front desk', '', ARRAY['members.read', 'files.read'])$$,
    'an admin creates a role within their own permissions');
SELECT id AS front_desk FROM iam.roles WHERE code = 'front_desk' \gset
SELECT throws_ok(
    format($$SELECT iam.save_role(%L, NULL, NULL, NULL, ARRAY['members.read', 'organizations.manage_billing'])$$, :'front_desk'),
    '42501', 'permission_denied', 'an admin cannot add a permission they lack to a role');
SELECT throws_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'admin_m', :'front_desk'),
    'P0001', 'cannot_change_own_role', 'nobody changes the role of their own membership');
SELECT throws_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'spec_m', :'billing_role'),
    '42501', 'permission_denied', 'an admin cannot give a role with permissions they lack');
SELECT throws_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'billing_m', :'receptionist_role'),
    '42501', 'permission_denied', 'an admin cannot change the role of someone holding permissions they lack');
SELECT lives_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'spec_m', :'receptionist_role'),
    'an admin gives a role within their own permissions');
SELECT throws_ok(
    format($$SELECT tenancy.create_invitation('new@a.test', %L)$$, :'billing_role'),
    '42501', 'permission_denied', 'an admin cannot invite into a role with permissions they lack');

-- The owner is excepted from the subset rule.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT lives_ok(
    format($$SELECT iam.save_role(NULL, 'everything', 'Everything', '', %L::text[])$$, :'every_code'),
    'an owner creates a role with any permission');
SELECT id AS everything FROM iam.roles WHERE code = 'everything' \gset
SELECT lives_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'admin_m', :'everything'),
    'an owner gives any role');
SELECT throws_ok(
    format($$SELECT tenancy.change_member_role(%L, %L)$$, :'owner_m', :'everything'),
    'P0001', 'cannot_change_own_role', 'an owner cannot change their own membership either');
SELECT tenancy.change_member_role(:'admin_m', (SELECT id FROM iam.roles WHERE code = 'admin' AND organization_id IS NULL));
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(
    format($$SELECT iam.save_role(%L, NULL, 'Renamed', NULL, NULL)$$, :'everything'),
    '42501', 'permission_denied', 'an admin cannot edit a role holding permissions they lack');

-- Directly, as the request pool: the rules live in the functions, so the tables refuse.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(
    format('UPDATE tenancy.organization_memberships SET role_id = %L WHERE id = %L', :'owner_role', :'admin_m'),
    '42501', NULL, 'an admin cannot make themselves owner with a plain UPDATE');
SELECT throws_ok(
    format($$UPDATE tenancy.organization_memberships SET status = 'suspended' WHERE id = %L$$, :'owner_m'),
    '42501', NULL, 'an admin cannot suspend the owner with a plain UPDATE');
SELECT throws_ok(
    format('DELETE FROM tenancy.organization_memberships WHERE id = %L', :'owner_m'),
    '42501', NULL, 'an admin cannot delete the owner''s membership with a plain DELETE');
SELECT throws_ok(
    format($$INSERT INTO tenancy.invitations (organization_id, email, role_id, token_hash, invited_by, expires_at)
             VALUES (%L, 'x@evil.test', %L, '\x00', %L, now() + interval '10 years')$$, :'org_a', :'owner_role', :'admin_a'),
    '42501', NULL, 'an admin cannot write an owner invitation directly');
SELECT throws_ok(
    format($$UPDATE tenancy.invitations SET role_id = %L, expires_at = now() + interval '10 years'$$, :'owner_role'),
    '42501', NULL, 'an admin cannot rewrite invitations directly');
SELECT throws_ok(
    format($$INSERT INTO iam.role_permissions (role_id, permission_code) VALUES (%L, 'organizations.manage_billing')$$, :'front_desk'),
    '42501', NULL, 'an admin cannot grant a permission to a role directly');
SELECT throws_ok(
    format($$UPDATE iam.roles SET name = 'x' WHERE id = %L$$, :'front_desk'),
    '42501', NULL, 'an admin cannot edit a role directly');
SELECT throws_ok(
    format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'evil.test')$$, :'org_a'),
    '42501', NULL, 'an admin cannot add a domain directly');

-- Nothing changed.
SELECT tests.clear_authentication();
SELECT is(
    (SELECT role_id FROM tenancy.organization_memberships WHERE id = :'admin_m'),
    (SELECT id FROM iam.roles WHERE code = 'admin' AND organization_id IS NULL),
    'the admin is still an admin');
SELECT is(
    (SELECT status FROM tenancy.organization_memberships WHERE id = :'owner_m'), 'active',
    'the owner is still an active owner');

SELECT * FROM finish();
ROLLBACK;
