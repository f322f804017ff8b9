-- Issue 14, finding 6: an unverified claim neither blocks the real owner nor reveals
-- another organization's claim; verifying one claim releases the others.
BEGIN;
SELECT plan(11);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_org('clinic-c') AS org_c \gset
SELECT tests.create_human('admin@a.test') AS admin_a \gset
SELECT tests.create_human('admin@b.test') AS admin_b \gset
SELECT tests.create_human('admin@c.test') AS admin_c \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin');
SELECT tests.add_member(:'org_b', :'admin_b', 'admin');
SELECT tests.add_member(:'org_c', :'admin_c', 'admin');

SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT tenancy.add_domain('physio-b.ro') AS squat \gset

SELECT tests.authenticate_as(:'admin_b', :'org_b');
SELECT lives_ok($$SELECT tenancy.add_domain('physio-b.ro')$$,
    'a pending claim of another organization neither blocks nor reveals itself');
SELECT id AS real_claim FROM tenancy.organization_domains WHERE domain = 'physio-b.ro' \gset
SELECT throws_ok($$SELECT tenancy.add_domain('Physio-B.ro ')$$, 'P0001', 'domain_already_added',
    'an organization claims a domain once');
SELECT tests.authenticate_as(:'admin_c', :'org_c');
SELECT lives_ok($$SELECT tenancy.add_domain('physio-b.ro')$$, 'several organizations hold pending claims');

SELECT tests.authenticate_as(:'admin_b', :'org_b');
SELECT lives_ok(format('SELECT tenancy.mark_domain_verified(%L)', :'real_claim'),
    'the real owner verifies despite the squatters');

SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT organization_id FROM tenancy.organization_domains WHERE domain = 'physio-b.ro'$$,
    format('VALUES (%L::uuid)', :'org_b'),
    'verifying a claim releases the other pending claims');

SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok($$SELECT tenancy.add_domain('physio-b.ro')$$, 'P0001', 'domain_unavailable',
    'a verified domain cannot be claimed again (a stable code, no constraint name)');
SELECT throws_ok(format('SELECT tenancy.mark_domain_verified(%L)', :'squat'), 'P0001', 'not_found',
    'the released claim is gone');

-- The index behind it: unique among verified domains only.
SELECT tests.clear_authentication();
SELECT hasnt_index('tenancy', 'organization_domains', 'organization_domains_domain_key',
    'no platform-wide uniqueness of unverified domains');
SELECT lives_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'physio-b.ro')$$, :'org_c'),
    'a pending duplicate row is allowed');
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at) VALUES (%L, 'physio-b.ro', now())$$, :'org_a'),
    '23505', NULL, 'a second verified row for one domain is refused');
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'physio-b.ro')$$, :'org_c'),
    '23505', NULL, 'one organization holds a domain once');

SELECT * FROM finish();
ROLLBACK;
