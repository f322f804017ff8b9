-- Bad input fails with a named constraint or a stable code, never silently.
BEGIN;
SELECT plan(19);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('ana@a.test') AS ana \gset

SELECT throws_ok($$SELECT tests.create_org('Clinic-Upper')$$, '23514',
    'new row for relation "organizations" violates check constraint "organizations_slug_format"',
    'an uppercase slug is refused');
SELECT throws_ok($$SELECT tests.create_org('ab')$$, '23514', NULL, 'a 2-character slug is refused');
SELECT throws_ok(format('SELECT tests.create_org(%L)', repeat('a', 64)), '23514', NULL, 'a 64-character slug is refused');
SELECT throws_ok($$SELECT tests.create_org('-abc')$$, '23514', NULL, 'a slug starting with a hyphen is refused');
SELECT throws_ok($$SELECT tests.create_org('a--b')$$, '23514', NULL, 'a slug with a double hyphen is refused');
SELECT throws_ok($$SELECT tests.create_org('www')$$, '23514',
    'new row for relation "organizations" violates check constraint "organizations_slug_not_reserved"',
    'a reserved slug is refused');
SELECT throws_ok($$SELECT tests.create_org('clinic-a')$$, '23505',
    'duplicate key value violates unique constraint "organizations_slug_key"',
    'a taken slug is refused');
SELECT lives_ok($$SELECT tests.create_org(repeat('b', 63))$$, 'a 63-character slug is accepted');

-- Domains: lowercase, valid labels, verified ones unique across the platform, one primary, verified first.
INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (:'org_a', 'physio-a.ro');
UPDATE tenancy.organization_domains SET verified_at = now() WHERE domain = 'physio-a.ro';
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at) VALUES (%L, 'physio-a.ro', now())$$, :'org_b'),
    '23505', 'duplicate key value violates unique constraint "organization_domains_verified_key"',
    'a verified domain belongs to one organization on the whole platform');
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'Physio-B.ro')$$, :'org_b'),
    '23514', NULL, 'an uppercase domain is refused');
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (%L, 'no_underscore.ro')$$, :'org_b'),
    '23514', NULL, 'an invalid host name is refused');
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain, is_primary) VALUES (%L, 'b.ro', true)$$, :'org_b'),
    '23514', 'new row for relation "organization_domains" violates check constraint "organization_domains_primary_is_verified"',
    'an unverified domain cannot be primary');
INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at, is_primary) VALUES (:'org_b', 'b1.ro', now(), TRUE);
SELECT throws_ok(format($$INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at, is_primary) VALUES (%L, 'b2.ro', now(), true)$$, :'org_b'),
    '23505', 'duplicate key value violates unique constraint "organization_domains_one_primary"',
    'an organization has at most one primary domain');

-- One hat: one membership per principal per organization.
SELECT tests.add_member(:'org_a', :'ana', 'specialist');
SELECT throws_ok(format($$SELECT tests.add_member(%L, %L, 'admin')$$, :'org_a', :'ana'),
    '23505', 'duplicate key value violates unique constraint "organization_memberships_one_hat"',
    'a second membership in the same organization is refused');
SELECT lives_ok(format($$SELECT tests.add_member(%L, %L, 'admin')$$, :'org_b', :'ana'),
    'the same principal may hold a membership in another organization');

-- A custom role of org B cannot be given in org A.
INSERT INTO iam.roles (organization_id, code, name) VALUES (:'org_b', 'physio_lead', 'Physio lead');
SELECT tests.create_human('dan@a.test') AS dan \gset
SELECT throws_ok(
    format($$INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id)
             SELECT %L, %L, id FROM iam.roles WHERE code = 'physio_lead'$$, :'org_a', :'dan'),
    '23514', 'role ' || (SELECT id FROM iam.roles WHERE code = 'physio_lead') || ' belongs to another organization',
    'a membership cannot take a custom role of another organization');

-- Humans and principals.
SELECT throws_ok($$SELECT tests.create_human('not-an-email')$$, '23514', NULL, 'an invalid email is refused');
SELECT throws_ok($$SELECT tests.create_human('ANA@a.test')$$, '23505', NULL, 'emails are unique regardless of case');
SELECT throws_ok($$INSERT INTO iam.principals (kind) VALUES ('system')$$, '23505', NULL,
    'there is exactly one system principal');

SELECT * FROM finish();
ROLLBACK;
