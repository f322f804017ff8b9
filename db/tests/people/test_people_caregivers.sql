-- Caregivers act for a profile while their link is active; own profiles are one per human;
-- soft delete hides a patient everywhere and restore brings it back; every write publishes
-- its event and is audited; patients.max holds in the writing transaction.
BEGIN;
SELECT plan(26);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.create_human('stranger@x.test') AS stranger \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset

-- Mum creates her child's profile: she becomes its caregiver.
SELECT tests.authenticate_as(:'mum', NULL);
SELECT people.create_my_profile('{"first_name": "Matei", "last_name": "Pop"}', 'parent') AS child \gset
SELECT is((SELECT human_id FROM people.patient_profiles WHERE id = :'child'), NULL, 'a child''s profile has no account');
SELECT ok(:'child'::uuid IN (SELECT people.current_human_patient_profile_ids()), 'mum acts for the child');
SELECT is((SELECT permissions FROM people.patient_caregivers WHERE patient_profile_id = :'child'),
    ARRAY['book', 'sign_forms', 'view_records'], 'with every permission');
SELECT lives_ok(
    format($$SELECT people.update_my_profile(%L, '{"date_of_birth": "2018-03-01"}')$$, :'child'),
    'mum edits the child''s profile'
);
SELECT people.create_my_profile('{"first_name": "Maria", "last_name": "Pop"}') AS own \gset
SELECT throws_ok(
    $$SELECT people.create_my_profile('{"first_name": "Maria", "last_name": "Again"}')$$,
    'P0001', 'profile_exists', 'one own profile per human'
);
SELECT is((SELECT count(*)::int FROM people.patient_profiles), 2, 'mum sees her own and her child''s profile');

SELECT tests.authenticate_as(:'stranger', NULL);
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'a stranger sees no profile');
SELECT throws_ok(
    format($$SELECT people.update_my_profile(%L, '{"city": "Iasi"}')$$, :'child'),
    'P0001', 'profile_not_found', 'a stranger edits no profile'
);

-- The clinic registers the child, links the aunt, then ends the link.
SELECT tests.clear_authentication();
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'child') RETURNING id AS patient \gset
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.add_caregiver(:'patient', 'aunt@home.test', 'relative', ARRAY['view_records', 'book', 'book']) AS aunt_link \gset
SELECT is((SELECT permissions FROM people.patient_caregivers WHERE id = :'aunt_link'), ARRAY['book', 'view_records'], 'permissions kept once, sorted');
SELECT throws_ok(
    format($$SELECT people.add_caregiver(%L, 'aunt@home.test', 'relative', '{}')$$, :'patient'),
    '23505', NULL, 'one open link per caregiver and profile'
);
SELECT throws_ok(
    format($$SELECT people.add_caregiver(%L, 'nobody@x.test', 'relative', '{}')$$, :'patient'),
    'P0001', 'caregiver_unknown', 'a caregiver needs an account'
);
SELECT throws_ok(
    format($$SELECT people.add_caregiver(%L, 'aunt@home.test', 'relative', ARRAY['drive'])$$, :'patient'),
    '23514', NULL, 'unknown caregiver permissions are refused'
);
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT is((SELECT count(*)::int FROM people.patients), 1, 'the aunt sees where the child is a patient');
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT lives_ok(format($$SELECT people.end_caregiver(%L, %L)$$, :'patient', :'aunt_link'), 'the clinic ends the aunt''s link');
SELECT throws_ok(
    format($$SELECT people.end_caregiver(%L, %L)$$, :'patient', :'aunt_link'),
    'P0001', 'caregiver_not_found', 'an ended link cannot be ended again'
);
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'after the link ends the aunt sees the profile no more');
SELECT is_empty('SELECT 1 FROM people.patients', 'nor where the child is a patient');
SELECT throws_ok(
    format($$SELECT people.update_my_profile(%L, '{"city": "Iasi"}')$$, :'child'),
    'P0001', 'profile_not_found', 'nor may she edit it'
);

-- Staff edits: the child's profile has no account, so contact fields are theirs to correct.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT lives_ok(
    format($$SELECT people.update_patient(%L, '{"consumer_id": "A-9", "phone": "+40 700 000 000"}')$$, :'patient'),
    'staff correct a guest profile''s phone and set their reference'
);
-- Soft delete and restore.
SELECT people.delete_patient(:'patient');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'a deleted patient vanishes from the gate');
SELECT throws_ok(format($$SELECT people.delete_patient(%L)$$, :'patient'), 'P0001', 'patient_not_found', 'and cannot be deleted twice');
SELECT people.restore_patient(:'patient');
SELECT is((SELECT consumer_id FROM people.org_patients()), 'A-9', 'restore brings it back');

SELECT tests.clear_authentication();
SELECT is(
    (SELECT array_agg(type ORDER BY position) FROM events.outbox
     WHERE organization_id = :'org_a' AND (type LIKE 'patient.%' OR type LIKE 'caregiver.%')),
    ARRAY['caregiver.added', 'caregiver.removed', 'patient.updated', 'patient.deleted', 'patient.restored'],
    'every staff write published its event'
);
SELECT is(
    (SELECT payload -> 'changed' FROM events.outbox WHERE type = 'patient.updated'),
    '["consumer_id", "phone"]'::jsonb, 'patient.updated names the fields, never their values'
);
SELECT ok(
    (SELECT count(*) FROM audit.audit_log WHERE entity_type = 'people.patients' AND entity_id = :'patient') >= 3,
    'the patient''s writes are audited'
);

-- patients.max (Free: 50) holds in the writing transaction.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.create_patient('P', 'N' || g) FROM generate_series(2, 50) AS g;
SELECT throws_ok($$SELECT people.create_patient('One', 'Toomany')$$, 'P0001', 'limit_exceeded', 'the 51st patient exceeds patients.max');

SELECT * FROM finish();
ROLLBACK;
