-- Two clinics, people with different roles in each: nobody sees or changes the other clinic.
BEGIN;
SELECT plan(31);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('outsider@x.test') AS outsider \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') AS m_owner_a \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') AS m_recept_a \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') AS m_owner_b \gset
INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES
(:'org_a', 'clinic-a.example.com'), (:'org_b', 'clinic-b.example.com');

-- No principal: the request pool sees nothing at all.
SELECT tests.authenticate_as(NULL, NULL);
SELECT is_empty('SELECT 1 FROM tenancy.organizations', 'no principal: no organizations');
SELECT is_empty('SELECT 1 FROM tenancy.organization_memberships', 'no principal: no memberships');
SELECT is_empty('SELECT 1 FROM iam.humans', 'no principal: no humans');
SELECT is_empty('SELECT 1 FROM iam.roles', 'no principal: no roles');
SELECT is_empty('SELECT 1 FROM iam.permissions', 'no principal: no permission catalog');

-- The owner of A, acting in A.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT results_eq(
    'SELECT slug FROM tenancy.organizations ORDER BY slug', $$VALUES ('clinic-a')$$,
    'owner A sees only organization A'
);
SELECT results_eq(
    'SELECT count(*)::int FROM tenancy.organization_memberships', 'VALUES (2)',
    'owner A sees the two memberships of A'
);
SELECT results_eq(
    'SELECT domain FROM tenancy.organization_domains', $$VALUES ('clinic-a.example.com')$$,
    'owner A sees only the domains of A'
);
SELECT is_empty(
    format('SELECT 1 FROM iam.humans WHERE principal_id = %L', :'owner_b'),
    'owner A does not see the humans of B'
);
SELECT throws_ok(
    format('UPDATE tenancy.organizations SET name = $n$taken$n$ WHERE id = %L RETURNING id', :'org_b'),
    '42501', NULL, 'owner A cannot rename B (no direct write grant)');
SELECT throws_ok(
    format('DELETE FROM tenancy.organization_memberships WHERE organization_id = %L RETURNING id', :'org_b'),
    '42501', NULL, 'owner A cannot remove members of B (no direct write grant)');
SELECT throws_ok(
    format(
        $$INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id)
          SELECT %L, %L, id FROM iam.roles WHERE code = 'owner' AND organization_id IS NULL$$,
        :'org_b', :'outsider'
    ),
    '42501', NULL, 'owner A cannot invite into B'
);
SELECT throws_ok(
    format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'evil.example.com')$$, :'org_b'),
    '42501', NULL, 'owner A cannot add a domain to B'
);

-- Claiming org B in the session without a membership there gives nothing.
SELECT tests.authenticate_as(:'owner_a', :'org_b');
SELECT is_empty('SELECT 1 FROM tenancy.organization_domains', 'owner A claiming B sees no domains of B');
SELECT is(
    (SELECT count(*)::int FROM tenancy.organization_memberships WHERE organization_id = :'org_b'), 0,
    'owner A claiming B sees no memberships of B'
);
SELECT ok(NOT iam.has_permission('members.manage'), 'owner A claiming B holds no permission in B');

-- Mutation gating: the receptionist of A reads but cannot manage.
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT results_eq(
    'SELECT count(*)::int FROM tenancy.organization_memberships', 'VALUES (2)',
    'receptionist A reads the memberships of A'
);
SELECT throws_ok(
    format($$UPDATE tenancy.organization_memberships SET status = 'suspended' WHERE id = %L RETURNING id$$, :'m_owner_a'),
    '42501', NULL, 'receptionist A cannot suspend a member (members.manage) (no direct write grant)');
SELECT throws_ok(
    format('UPDATE tenancy.organizations SET name = $n$x$n$ WHERE id = %L RETURNING id', :'org_a'),
    '42501', NULL, 'receptionist A cannot rename A (organizations.update) (no direct write grant)');
SELECT throws_ok(
    format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'new.example.com')$$, :'org_a'),
    '42501', NULL, 'receptionist A cannot add a domain (domains.manage)'
);

-- The owner of A may do what the receptionist may not.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT lives_ok(
    format($$SELECT tenancy.set_member_status(%L, 'suspended')$$, :'m_recept_a'),
    'owner A suspends the receptionist'
);

-- A blocked human holds nothing anywhere.
SELECT tests.clear_authentication();
UPDATE iam.humans SET blocked_at = now() WHERE principal_id = :'owner_a';
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is_empty('SELECT 1 FROM tenancy.organizations WHERE slug = $$clinic-a$$ AND id = iam.current_member_org_id()',
    'a blocked owner is no member of A');
SELECT ok(NOT iam.has_permission('members.read'), 'a blocked owner holds no permission');
SELECT throws_ok(
    format('UPDATE tenancy.organizations SET name = $n$x$n$ WHERE id = %L RETURNING id', :'org_a'),
    '42501', NULL, 'a blocked owner cannot rename A (no direct write grant)');

-- Platform staff read across organizations; support changes nothing.
SELECT tests.clear_authentication();
SELECT tests.make_platform(:'outsider', 'support');
SELECT tests.authenticate_as(:'outsider', NULL);
SELECT results_eq(
    'SELECT count(*)::int FROM tenancy.organizations', 'VALUES (2)',
    'support staff read every organization'
);
SELECT throws_ok(
    format('UPDATE tenancy.organizations SET name = $n$x$n$ WHERE id = %L RETURNING id', :'org_b'),
    '42501', NULL, 'support staff cannot rename an organization (no direct write grant)');
SELECT throws_ok(
    format('SELECT iam.set_human_blocked(%L, true)', :'owner_b'),
    '42501', 'permission_denied', 'support staff cannot block a human'
);

-- A superadmin may block; an ordinary member editing their own row may not touch blocked_at.
SELECT tests.clear_authentication();
SELECT tests.make_platform(:'owner_b', 'superadmin');
SELECT tests.authenticate_as(:'owner_b', NULL);
SELECT lives_ok(
    format('SELECT iam.set_human_blocked(%L, true)', :'recept_a'),
    'a superadmin blocks a human'
);
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT throws_ok(
    format('UPDATE iam.humans SET display_name = $n$x$n$ WHERE principal_id = %L RETURNING 1', :'recept_a'),
    '42501', NULL, 'a blocked human cannot edit their own profile (no direct write grant)');
SELECT tests.clear_authentication();
SELECT tests.create_human('plain@x.test') AS plain \gset
SELECT tests.authenticate_as(:'plain', NULL);
SELECT throws_ok(
    format('UPDATE iam.humans SET blocked_at = now() WHERE principal_id = %L', :'plain'),
    '42501', NULL, 'a human cannot change their own blocked_at'
);
SELECT throws_ok(
    format('UPDATE iam.humans SET display_name = $n$Me$n$ WHERE principal_id = %L', :'plain'),
    '42501', NULL, 'nobody edits a profile directly (no direct write grant; a function will carry it)'
);

SELECT * FROM finish();
ROLLBACK;
