-- Specialists, specialties and their links: another organization's member sees nothing and
-- changes nothing; the request pool writes nothing directly; the time zone, the login's
-- membership and the specialty's organization are checked; specialists.max is in every
-- subscription snapshot and holds in the writing transaction.
BEGIN;
SELECT plan(47);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('physio-a@a.test') AS physio_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('left@a.test') AS left_a \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'physio_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'left_a', 'specialist', 'suspended') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');

-- The limit is in the catalog for every base tier version and in every subscription snapshot.
SELECT is_empty(
    $$SELECT v.id FROM billing.tier_versions AS v INNER JOIN billing.tiers AS t ON t.id = v.tier_id
      WHERE t.kind = 'base' AND NOT EXISTS (
          SELECT 1 FROM billing.tier_limits AS l WHERE l.tier_version_id = v.id AND l.limit_code = 'specialists.max')$$,
    'every base tier version sets specialists.max'
);
SELECT is_empty(
    $$SELECT s.id FROM billing.organization_subscriptions AS s
      INNER JOIN billing.tier_versions AS v ON v.id = s.tier_version_id
      INNER JOIN billing.tiers AS t ON t.id = v.tier_id AND t.kind = 'base'
      WHERE NOT EXISTS (
          SELECT 1 FROM billing.organization_subscription_limits AS l
          WHERE l.subscription_id = s.id AND l.limit_code = 'specialists.max')$$,
    'every base subscription snapshot holds specialists.max'
);
SELECT results_eq(
    format($$SELECT value, source FROM billing.effective_limit(%L, 'specialists.max')$$, :'org_a'),
    $$VALUES (3::bigint, 'subscription'::text)$$,
    'a Free organization may have 3 specialists (a missing limit would read as 0)'
);

SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT people.create_specialist('Dr. Ana Pop', 'Kinetoterapeut', 'Knees.', 'Europe/Bucharest', TRUE, :'physio_a') AS spec_a \gset
SELECT people.create_specialty('physio', 'Physiotherapy', '{"ro": {"name": "Kinetoterapie"}}') AS specialty_a \gset
SELECT lives_ok(format($$SELECT people.set_specialist_specialties(%L, ARRAY[%L]::uuid[])$$, :'spec_a', :'specialty_a'),
    'A''s admin gives the specialist a specialty of A');
SELECT is((SELECT human_id FROM people.specialists WHERE id = :'spec_a'), :'physio_a'::uuid, 'the specialist is linked to the member''s login');
SELECT is((SELECT count(*)::int FROM people.specialist_specialties), 1, 'the link is recorded');
SELECT tests.clear_authentication();
SELECT is(
    (SELECT array_agg(type ORDER BY position) FROM events.outbox WHERE organization_id = :'org_a' AND type ~ '^special'),
    ARRAY['specialist.created', 'specialty.created', 'specialist.updated'],
    'creation and links are published'
);
SELECT ok(
    (SELECT count(*) FROM audit.audit_log WHERE entity_type IN ('people.specialists', 'people.specialties', 'people.specialist_specialties')) >= 3,
    'every new row is audited'
);
SELECT tests.authenticate_as(:'admin_a', :'org_a');

-- Time zones are checked against the server's zone list, not just their shape.
SELECT throws_ok($$SELECT people.create_specialist('Ion', NULL, NULL, 'Europe/Atlantis')$$, 'P0001', 'invalid_timezone',
    'an unknown zone is refused on create');
SELECT throws_ok(format($$SELECT people.update_specialist(%L, '{"scheduling_timezone": "Mars/Olympus"}')$$, :'spec_a'),
    'P0001', 'invalid_timezone', 'an unknown zone is refused on update');
SELECT throws_ok($$SELECT people.create_specialist('Ion', NULL, NULL, NULL)$$, 'P0001', 'invalid_timezone', 'a null zone is refused');
SELECT lives_ok(format($$SELECT people.update_specialist(%L, '{"scheduling_timezone": "America/New_York"}')$$, :'spec_a'),
    'a real zone is taken');
-- The login must be an active member of this organization.
SELECT throws_ok(format($$SELECT people.create_specialist('Spy', NULL, NULL, 'UTC', FALSE, %L)$$, :'owner_b'),
    'P0001', 'specialist_human_not_member', 'a login from another organization is refused');
SELECT throws_ok(format($$SELECT people.create_specialist('Gone', NULL, NULL, 'UTC', FALSE, %L)$$, :'left_a'),
    'P0001', 'specialist_human_not_member', 'a suspended member''s login is refused');
SELECT throws_ok(format($$SELECT people.update_specialist(%L, jsonb_build_object('human_id', %L))$$, :'spec_a', :'owner_b'),
    'P0001', 'specialist_human_not_member', 'relinking to a non-member is refused');
SELECT throws_ok(format($$SELECT people.create_specialist('Twin', NULL, NULL, 'UTC', FALSE, %L)$$, :'physio_a'),
    '23505', NULL, 'one live specialist per login and organization');
-- Change sets are checked key by key.
SELECT throws_ok(format($$SELECT people.update_specialist(%L, '{"organization_id": "x"}')$$, :'spec_a'),
    'P0001', 'invalid_field', 'a field that cannot change is refused');
SELECT throws_ok(format($$SELECT people.update_specialist(%L, '{"scheduling_active": "yes"}')$$, :'spec_a'),
    'P0001', 'invalid_field', 'a field of the wrong type is refused');
SELECT throws_ok(format($$SELECT people.update_specialist(%L, jsonb_build_object('bio', repeat('x', 4001)))$$, :'spec_a'),
    '23514', NULL, 'an oversize bio is refused');
-- Translations follow the convention.
SELECT throws_ok($$SELECT people.create_specialty('bad_locale', 'X', '{"fr": {"name": "X"}}')$$, '23514', NULL,
    'a locale the platform does not serve is refused');
SELECT throws_ok($$SELECT people.create_specialty('bad_field', 'X', '{"ro": {"title": "X"}}')$$, '23514', NULL,
    'a field that is not translatable is refused');
SELECT throws_ok($$SELECT people.create_specialty('bad_type', 'X', '{"ro": {"name": 5}}')$$, '23514', NULL,
    'a translation that is not text is refused');
SELECT throws_ok($$SELECT people.create_specialty('blank', 'X', '{"ro": {"name": "  "}}')$$, '23514', NULL,
    'a blank translation is refused');
SELECT throws_ok($$SELECT people.create_specialty('long', 'X', jsonb_build_object('en', jsonb_build_object('name', repeat('x', 101))))$$,
    '23514', NULL, 'an oversize translation is refused');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT people.create_specialty('physio', 'Physiotherapy') AS specialty_b \gset
SELECT people.create_specialist('Dr. B') AS spec_b \gset
SELECT is_empty(format('SELECT 1 FROM people.specialists WHERE id = %L', :'spec_a'), 'B reads no specialist of A');
SELECT is_empty(format('SELECT 1 FROM people.specialties WHERE id = %L', :'specialty_a'), 'B reads no specialty of A');
SELECT is_empty('SELECT 1 FROM people.specialist_specialties', 'B reads no link of A');
SELECT is_empty(format('SELECT 1 FROM people.specialist_signature(%L)', :'spec_a'), 'B reads no signature of A');
SELECT throws_ok(format($$SELECT people.update_specialist(%L, '{"title": "x"}')$$, :'spec_a'),
    'P0001', 'specialist_not_found', 'B cannot change A''s specialist');
SELECT throws_ok(format($$SELECT people.delete_specialist(%L)$$, :'spec_a'),
    'P0001', 'specialist_not_found', 'B cannot delete A''s specialist');
SELECT throws_ok(format($$SELECT people.set_specialist_specialties(%L, '{}')$$, :'spec_a'),
    'P0001', 'specialist_not_found', 'B cannot unlink A''s specialties');
SELECT throws_ok(format($$SELECT people.set_specialist_specialties(%L, ARRAY[%L]::uuid[])$$, :'spec_b', :'specialty_a'),
    'P0001', 'specialty_unknown', 'B cannot give its specialist a specialty of A');
SELECT throws_ok(format($$SELECT people.update_specialty(%L, '{"name": "x"}')$$, :'specialty_a'),
    'P0001', 'specialty_not_found', 'B cannot rename A''s specialty');
SELECT throws_ok(format($$SELECT people.delete_specialty(%L)$$, :'specialty_a'),
    'P0001', 'specialty_not_found', 'B cannot delete A''s specialty');
SELECT throws_ok(format($$UPDATE people.specialists SET title = 'x' WHERE id = %L$$, :'spec_b'),
    '42501', NULL, 'no direct update of specialists, even one''s own');
SELECT throws_ok(format($$INSERT INTO people.specialties (organization_id, code, name) VALUES (%L, 'x1', 'X')$$, :'org_b'),
    '42501', NULL, 'no direct insert into specialties');
SELECT throws_ok(format($$DELETE FROM people.specialist_specialties WHERE organization_id = %L$$, :'org_b'),
    '42501', NULL, 'no direct delete of links');

-- The junction's keys name the organization: even the owner cannot cross it.
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$INSERT INTO people.specialist_specialties (organization_id, specialist_id, specialty_id) VALUES (%L, %L, %L)$$,
           :'org_b', :'spec_b', :'specialty_a'),
    '23503', NULL, 'a link to another organization''s specialty breaks its foreign key'
);

-- A receptionist reads the specialists but changes nothing; a platform admin neither.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT is((SELECT count(*)::int FROM people.specialists), 1, 'any member of A reads A''s specialists');
SELECT throws_ok($$SELECT people.create_specialist('Desk Made')$$, '42501', NULL, 'a receptionist adds no specialist');
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT throws_ok($$SELECT people.create_specialist('Root Made')$$, '42501', NULL, 'a platform admin adds no specialist in a clinic');

-- specialists.max (Free: 3) holds in the writing transaction, restore counts again.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT people.create_specialist('Two') AS spec_two \gset
SELECT people.create_specialist('Three') AS spec_three \gset
SELECT throws_ok($$SELECT people.create_specialist('Four')$$, 'P0001', 'limit_exceeded', 'the 4th specialist exceeds specialists.max');
SELECT lives_ok(format('SELECT people.delete_specialist(%L)', :'spec_three'), 'deleting one frees a place');
SELECT people.create_specialist('Four') AS spec_four \gset
SELECT throws_ok(format('SELECT people.restore_specialist(%L)', :'spec_three'), 'P0001', 'limit_exceeded',
    'restoring beyond the limit is refused');
SELECT is(billing.limit_usage(:'org_a', 'specialists.max'), 3::bigint, 'usage counts live specialists only');

-- A restore drops a login that left the organization while the row was deleted.
SELECT people.delete_specialist(:'spec_a');
SELECT tests.clear_authentication();
UPDATE tenancy.organization_memberships SET status = 'suspended' WHERE principal_id = :'physio_a';
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT lives_ok(format('SELECT people.restore_specialist(%L)', :'spec_a'), 'a specialist whose login left is restored');
SELECT is((SELECT human_id FROM people.specialists WHERE id = :'spec_a'), NULL, '... without the login');

SELECT * FROM finish();
ROLLBACK;
