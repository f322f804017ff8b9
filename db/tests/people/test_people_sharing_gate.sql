-- The profile_shared gate, column by column: contact fields always, the rest of the
-- profile only once the patient shared it; a second organization linked to the same person
-- sees only its own link, and nothing of the other's.
BEGIN;
SELECT plan(62);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('spec-a@a.test') AS spec_a \gset
SELECT tests.create_human('spec-b@b.test') AS spec_b \gset
SELECT tests.create_human('ana@pop.test') AS ana \gset
SELECT tests.add_member(:'org_a', :'spec_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'spec_b', 'specialist') IS NOT NULL AS added \gset

-- Ana fills in her own profile.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT people.create_my_profile('{
    "first_name": "Ana", "last_name": "Pop", "phone": "+40 722 000 001", "email": "ana@pop.test",
    "date_of_birth": "1990-05-17", "sex": "female", "emergency_contact_name": "Ion Pop",
    "emergency_contact_phone": "+40 722 000 002", "locale": "ro", "address_line": "Str. Lunga 1",
    "city": "Cluj", "postal_code": "400001", "country": "RO"
}'::jsonb) AS profile \gset

-- Both clinics have her as a patient (onboarding is not built yet: the owner links her).
SELECT tests.clear_authentication();
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'profile') RETURNING id AS patient_a \gset
INSERT INTO people.patients (organization_id, patient_profile_id, consumer_id) VALUES (:'org_b', :'profile', 'B-7') RETURNING id AS patient_b \gset

CREATE TEMP TABLE gated (col text, value text);
INSERT INTO gated VALUES
('date_of_birth', '1990-05-17'), ('sex', 'female'), ('emergency_contact_name', 'Ion Pop'),
('emergency_contact_phone', '+40 722 000 002'), ('locale', 'ro'), ('address_line', 'Str. Lunga 1'),
('city', 'Cluj'), ('postal_code', '400001'), ('country', 'RO');
GRANT SELECT ON gated TO restartix_app;

-- Not shared: contact fields only.
SELECT tests.authenticate_as(:'spec_a', :'org_a');
SELECT is((SELECT first_name FROM people.org_patients(:'patient_a')), 'Ana', 'not shared: first_name visible');
SELECT is((SELECT last_name FROM people.org_patients(:'patient_a')), 'Pop', 'not shared: last_name visible');
SELECT is((SELECT phone FROM people.org_patients(:'patient_a')), '+40 722 000 001', 'not shared: phone visible');
SELECT is((SELECT email FROM people.org_patients(:'patient_a')), 'ana@pop.test', 'not shared: email visible');
SELECT is((SELECT has_account FROM people.org_patients(:'patient_a')), TRUE, 'not shared: has_account visible');
SELECT is(
    (SELECT (to_jsonb(p) ->> g.col) FROM people.org_patients(:'patient_a') AS p),
    NULL, format('not shared: %s hidden', g.col)
) FROM gated AS g ORDER BY g.col;

-- The search goes through the same gate: the same columns hidden.
SELECT is(
    (SELECT (to_jsonb(p) ->> g.col) FROM people.org_patients_search('ana pop') AS p),
    NULL, format('not shared, searched: %s hidden', g.col)
) FROM gated AS g ORDER BY g.col;
SELECT is((SELECT phone FROM people.org_patients_search('ana pop')), '+40 722 000 001', 'not shared, searched: phone visible');

-- Shared with A (the consent flow will flip it; here the owner does).
SELECT tests.clear_authentication();
UPDATE people.patients SET profile_shared = TRUE WHERE id = :'patient_a';
SELECT tests.authenticate_as(:'spec_a', :'org_a');
SELECT is((SELECT first_name FROM people.org_patients(:'patient_a')), 'Ana', 'shared: first_name visible');
SELECT is((SELECT email FROM people.org_patients(:'patient_a')), 'ana@pop.test', 'shared: email visible');
SELECT is(
    (SELECT (to_jsonb(p) ->> g.col) FROM people.org_patients(:'patient_a') AS p),
    g.value, format('shared: %s visible', g.col)
) FROM gated AS g ORDER BY g.col;
SELECT is((SELECT count(*)::int FROM people.org_patients()), 1, 'A sees only its own link to Ana');
SELECT is(
    (SELECT (to_jsonb(p) ->> g.col) FROM people.org_patients_search('0722 000 001') AS p),
    g.value, format('shared, searched: %s visible', g.col)
) FROM gated AS g ORDER BY g.col;
SELECT is((SELECT count(*)::int FROM people.org_patients_search('cluj')), 0, 'shared or not, the city is not searchable');
SELECT is((SELECT count(*)::int FROM people.org_patients_search('ion')), 0, 'nor the emergency contact''s name');
SELECT is((SELECT count(*)::int FROM people.org_patients_search('lunga')), 0, 'nor the address');

-- B's link is still not shared: sharing with A opens nothing to B.
SELECT tests.authenticate_as(:'spec_b', :'org_b');
SELECT is(
    (SELECT (to_jsonb(p) ->> g.col) FROM people.org_patients(:'patient_b') AS p),
    NULL, format('B (not shared): %s hidden', g.col)
) FROM gated AS g ORDER BY g.col;
SELECT is((SELECT array_agg(id) FROM people.org_patients()), ARRAY[:'patient_b'::uuid], 'B sees its own link, not A''s');
SELECT is((SELECT array_agg(id) FROM people.patients), ARRAY[:'patient_b'::uuid], 'nor that A''s link exists');
SELECT is((SELECT array_agg(id) FROM people.org_patients_search('ana')), ARRAY[:'patient_b'::uuid], 'B''s search finds only B''s link');

-- Ana sees both of her links and her whole profile.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is((SELECT count(*)::int FROM people.patients), 2, 'Ana sees where she is a patient');
SELECT is((SELECT city FROM people.patient_profiles WHERE id = :'profile'), 'Cluj', 'Ana reads her whole profile');

SELECT * FROM finish();
ROLLBACK;
