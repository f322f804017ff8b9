-- E-mail addresses are compared case-insensitively inside the functions too, whose empty
-- search_path would otherwise turn a citext comparison into a case-sensitive text one: a
-- caregiver is found and a member is recognized whatever the case the staff typed.
BEGIN;
SELECT plan(3);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('Aunt.Ana@Home.test') AS aunt \gset
SELECT tests.create_human('desk@a.test') AS desk \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk', 'receptionist') IS NOT NULL AS added \gset

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT lives_ok(
    format($$SELECT people.add_caregiver(%L, 'aunt.ana@home.TEST', 'relative', ARRAY['book'])$$, :'patient'),
    'a caregiver is found by an e-mail typed in another case'
);
SELECT is((SELECT caregiver_human_id FROM people.patient_caregivers), :'aunt'::uuid, 'and it is the right human');
SELECT throws_ok(
    format($$SELECT tenancy.create_invitation('DESK@A.TEST', (SELECT id FROM iam.roles WHERE code = 'admin' AND organization_id IS NULL))$$),
    'P0001', 'already_member', 'a member invited again in another case is recognized'
);

SELECT * FROM finish();
ROLLBACK;
