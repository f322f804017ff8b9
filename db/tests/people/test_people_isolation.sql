-- Cross-organization isolation for every people table: another organization's member sees
-- nothing of A's patients, profiles or caregivers and can change nothing; platform staff
-- read no patient data; the request pool writes nothing directly.
BEGIN;
SELECT plan(25);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'support');
SELECT tests.make_platform(:'root', 'superadmin');

SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.create_patient('Ana', 'Pop', '+40 722 000 001', 'ana@pop.test', 'A-1', 'knee') AS patient_a \gset
SELECT patient_profile_id AS profile_a FROM people.patients WHERE id = :'patient_a' \gset
SELECT people.add_caregiver(:'patient_a', 'mum@home.test', 'parent', ARRAY['book']) AS caregiver_a \gset
SELECT is((SELECT count(*)::int FROM people.org_patients()), 1, 'A''s receptionist sees A''s patient through the gate');
SELECT is((SELECT count(*)::int FROM people.patients), 1, 'A''s receptionist reads A''s patient row');
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'members never read profiles around the gate');
SELECT is((SELECT count(*)::int FROM people.patient_caregivers), 1, 'A''s receptionist sees the caregivers of A''s patients');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'B sees none of A''s patients through the gate');
SELECT is_empty(format('SELECT 1 FROM people.org_patients(%L)', :'patient_a'), 'B cannot fetch A''s patient by id');
SELECT is_empty('SELECT 1 FROM people.patients', 'B reads no patient row of A');
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'B reads no profile');
SELECT is_empty('SELECT 1 FROM people.patient_caregivers', 'B reads no caregiver of A''s patient');
SELECT throws_ok(
    format($$SELECT people.update_patient(%L, '{"notes": "x"}')$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot change A''s patient'
);
SELECT throws_ok(
    format($$SELECT people.delete_patient(%L)$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot delete A''s patient'
);
SELECT throws_ok(
    format($$SELECT people.add_caregiver(%L, 'owner-b@b.test', 'other', '{}')$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot add a caregiver to A''s patient'
);
SELECT throws_ok(
    format($$SELECT people.end_caregiver(%L, %L)$$, :'patient_a', :'caregiver_a'),
    'P0001', 'patient_not_found', 'B cannot end a caregiver of A''s patient'
);
SELECT throws_ok(
    format($$INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%L, %L)$$, :'org_b', :'profile_a'),
    '42501', NULL, 'no direct insert into patients (write through the functions)'
);
SELECT throws_ok(
    format($$UPDATE people.patient_profiles SET first_name = 'x' WHERE id = %L$$, :'profile_a'),
    '42501', NULL, 'no direct update of profiles'
);

SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'B claiming A in the session sees nothing');
SELECT throws_ok(
    $$SELECT people.create_patient('Eve', 'Spy')$$, '42501', NULL, 'B claiming A in the session registers nothing'
);

SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'A''s billing role (no patients.read) sees no patient');
SELECT throws_ok(
    $$SELECT people.create_patient('Ion', 'Ionescu')$$, '42501', NULL, 'A''s billing role registers no patient'
);

SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'platform support reads no patient through the gate');
SELECT is_empty('SELECT 1 FROM people.patients', 'platform support reads no patient row');
SELECT is_empty('SELECT 1 FROM people.patient_caregivers', 'platform support reads no caregiver');

SELECT tests.authenticate_as(:'root', :'org_a');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'a platform admin reads no patient either');
SELECT throws_ok(
    $$SELECT people.create_patient('Root', 'Made')$$, '42501', NULL, 'a platform admin registers no patient in a clinic'
);

SELECT tests.authenticate_as(NULL, NULL);
SELECT is_empty('SELECT 1 FROM people.patients UNION ALL SELECT 1 FROM people.patient_profiles', 'no principal sees nothing');

SELECT * FROM finish();
ROLLBACK;
