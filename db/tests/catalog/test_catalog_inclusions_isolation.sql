-- Cross-organization isolation of the service specialists and the tier inclusions: another
-- organization's member sees none of A's rows and can change none; a specialist or plan of
-- another organization, or a deleted specialist, is refused; the request pool writes nothing
-- directly.
BEGIN;
SELECT plan(22);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT people.create_specialist('Dr B') AS spec_b \gset
SELECT catalog.create_plan('session_pack', '{"name": "Pack B", "price_amount": 1, "currency": "RON", "sessions_total": 1, "validity_days": 3}') AS plan_b \gset

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "currency": "RON"}') AS service_a \gset
SELECT people.create_specialist('Dr A') AS spec_a \gset
SELECT people.create_specialist('Dr Gone') AS spec_gone \gset
SELECT people.delete_specialist(:'spec_gone');
SELECT catalog.create_plan('session_pack', '{"name": "Pack", "price_amount": 1, "currency": "RON", "sessions_total": 1, "validity_days": 3}') AS plan_a \gset
SELECT billing.save_patient_tier(NULL, 'gold', 'Gold', '', '{}', '{}') AS tier_a \gset

-- An attachment: a checked file of A (marked ready as the owner, as a confirm would).
SELECT catalog.begin_attachment_upload(:'service_a', format('orgs/%s/service_attachment/%s', :'org_a', gen_random_uuid()),
    'application/pdf', now() + interval '5 minutes') AS file_a \gset
RESET ROLE;
UPDATE storage.files SET status = 'ready', detected_mime = 'application/pdf', size_bytes = 10,
    sha256 = repeat('0', 64), verified_at = now() WHERE id = :'file_a';
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT lives_ok(format($$SELECT catalog.attach_file(%L, %L)$$, :'service_a', :'file_a'), 'A attaches its file');
SELECT is((SELECT count(*)::int FROM catalog.service_attachment_files(:'service_a')), 1, 'A reads its attachment');
SELECT lives_ok(format($$SELECT catalog.set_service_specialists(%L, ARRAY[%L]::uuid[])$$, :'service_a', :'spec_a'),
    'A sets its own specialist on its service');
SELECT throws_ok(format($$SELECT catalog.set_service_specialists(%L, ARRAY[%L, %L]::uuid[])$$, :'service_a', :'spec_a', :'spec_b'),
    'P0001', 'specialist_not_found', 'a specialist of another organization is refused');
SELECT throws_ok(format($$SELECT catalog.set_service_specialists(%L, ARRAY[%L]::uuid[])$$, :'service_a', :'spec_gone'),
    'P0001', 'specialist_not_found', 'a deleted specialist is refused');
SELECT lives_ok(format($$SELECT catalog.set_tier_inclusions(%L, '[{"service_plan_id": "%s", "quantity": 2}]')$$, :'tier_a', :'plan_a'),
    'A includes its own plan in its tier');
SELECT throws_ok(format($$SELECT catalog.set_tier_inclusions(%L, '[{"service_plan_id": "%s"}]')$$, :'tier_a', :'plan_b'),
    'P0001', 'service_plan_not_found', 'a plan of another organization is refused');
SELECT is((SELECT count(*)::int FROM catalog.service_specialists), 1, 'A reads its service''s specialist');
SELECT is((SELECT count(*)::int FROM catalog.patient_tier_inclusions), 1, 'A reads its tier''s inclusion');
SELECT throws_ok(format($$INSERT INTO catalog.service_specialists (organization_id, service_id, specialist_id) VALUES (%L, %L, %L)$$,
    :'org_a', :'service_a', :'spec_a'), '42501', NULL, 'the request pool cannot write service_specialists directly');
SELECT throws_ok(format($$DELETE FROM catalog.patient_tier_inclusions WHERE organization_id = %L$$, :'org_a'),
    '42501', NULL, 'the request pool cannot write tier inclusions directly');

-- A deleted specialist stays in the table (a restore brings it back) but is not offered.
RESET ROLE;
INSERT INTO catalog.service_specialists (organization_id, service_id, specialist_id) VALUES (:'org_a', :'service_a', :'spec_gone');
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is((SELECT count(*)::int FROM catalog.service_specialists AS ss INNER JOIN people.specialists AS sp ON ss.specialist_id = sp.id),
    1, 'a deleted specialist is not offered (the join a reader makes drops it)');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM catalog.service_specialists', 'B reads no service specialist of A');
SELECT is_empty('SELECT 1 FROM catalog.patient_tier_inclusions', 'B reads no tier inclusion of A');
SELECT is_empty('SELECT 1 FROM catalog.service_attachments', 'B reads no attachment of A');
SELECT is_empty(format('SELECT 1 FROM catalog.service_attachment_files(%L)', :'service_a'), 'B reads no attachment file of A');
SELECT throws_ok(format($$SELECT catalog.remove_attachment(%L, %L)$$, :'service_a', :'file_a'),
    'P0001', 'service_not_found', 'B cannot remove A''s attachment');
SELECT throws_ok(format($$SELECT catalog.set_service_specialists(%L, ARRAY[%L]::uuid[])$$, :'service_a', :'spec_b'),
    'P0001', 'service_not_found', 'B cannot set specialists on A''s service');
SELECT throws_ok(format($$SELECT catalog.set_tier_inclusions(%L, '[]')$$, :'tier_a'),
    'P0001', 'patient_tier_not_found', 'B cannot change A''s tier inclusions');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM catalog.service_specialists WHERE organization_id = :'org_a'), 2, 'A''s rows are all still there');
SELECT is((SELECT count(*)::int FROM catalog.service_attachments AS a INNER JOIN storage.files AS f ON a.file_id = f.id
    WHERE a.organization_id = :'org_a' AND f.deleted_at IS NULL), 1, 'A''s attachment is still there');
-- The org-inclusive key refuses a cross-organization pair even to the owner.
SELECT throws_ok(format($$INSERT INTO catalog.service_specialists (organization_id, service_id, specialist_id) VALUES (%L, %L, %L)$$,
    :'org_a', :'service_a', :'spec_b'), '23503', NULL, 'the key refuses another organization''s specialist');

SELECT * FROM finish();
ROLLBACK;
