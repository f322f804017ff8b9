-- The unauthenticated path: host or slug to the public fields of an active organization.
BEGIN;
SELECT plan(8);

SELECT tests.create_org('clinic-a', 'Clinic A') AS org_a \gset
SELECT tests.create_org('clinic-s') AS org_s \gset
SELECT tests.create_org('clinic-d') AS org_d \gset
UPDATE tenancy.organizations SET status = 'suspended' WHERE id = :'org_s';
UPDATE tenancy.organizations SET deleted_at = now() WHERE id = :'org_d';
INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at, is_primary)
VALUES (:'org_a', 'kineto-a.ro', now(), true);
INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (:'org_a', 'pending-a.ro');
INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at)
VALUES (:'org_s', 'kineto-s.ro', now());

-- Resolution needs no principal and only the narrow functions.
SELECT tests.authenticate_as(null, null);
SELECT results_eq(
    $$SELECT id, slug, name, primary_domain FROM tenancy.resolve_org('KINETO-A.ro:443')$$,
    format($$VALUES (%L::uuid, 'clinic-a', 'Clinic A', 'kineto-a.ro')$$, :'org_a'),
    'a verified custom domain resolves, case and port ignored'
);
SELECT results_eq(
    $$SELECT slug FROM tenancy.resolve_org('clinic-a.restartix.pro')$$, $$VALUES ('clinic-a')$$,
    'a slug subdomain resolves'
);
SELECT is_empty($$SELECT 1 FROM tenancy.resolve_org('pending-a.ro')$$, 'an unverified domain does not resolve');
SELECT is_empty($$SELECT 1 FROM tenancy.resolve_org('kineto-s.ro')$$, 'a suspended organization does not resolve');
SELECT is_empty($$SELECT 1 FROM tenancy.resolve_org_by_slug('clinic-d')$$, 'a deleted organization does not resolve');
SELECT is_empty($$SELECT 1 FROM tenancy.resolve_org(NULL)$$, 'a NULL host resolves nothing');
SELECT results_eq($$SELECT slug FROM tenancy.resolve_org_by_slug('Clinic-A')$$, $$VALUES ('clinic-a')$$,
    'resolve by slug is case-insensitive');
SELECT is(
    (SELECT array_agg(a ORDER BY a) FROM unnest(
        (SELECT proargnames FROM pg_proc WHERE oid = 'tenancy.resolve_org(text)'::regprocedure)) AS a
     WHERE a <> 'p_host'),
    ARRAY['id', 'name', 'primary_domain', 'slug'],
    'resolve returns only the public fields'
);

SELECT * FROM finish();
ROLLBACK;
