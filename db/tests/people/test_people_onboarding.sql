-- Onboarding through a clinic's portal: profile, patient row and default-tier subscription in
-- one call, idempotent; the clinic resolved by slug or host as the public resolve does; the
-- refusals; patients.max; and the claim of guest profiles carrying the human's email.
BEGIN;
SELECT plan(38);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_org('clinic-s') AS org_s \gset
UPDATE tenancy.organizations SET status = 'suspended' WHERE id = :'org_s';
INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at, is_primary)
VALUES (:'org_b', 'kineto-b.ro', now(), true);
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('desk-b@b.test') AS desk_b \gset
SELECT tests.create_human('new@person.test') AS newbie \gset
SELECT tests.create_human('ana@pop.test') AS ana \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('ion@x.test') AS ion \gset
SELECT tests.create_human('blocked@x.test') AS blocked \gset
UPDATE iam.humans SET blocked_at = now() WHERE principal_id = :'blocked';
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT null AS added \gset
SELECT tests.add_member(:'org_b', :'desk_b', 'receptionist') IS NOT null AS added \gset

-- A new human onboards by slug.
SELECT tests.authenticate_as(:'newbie', null);
SELECT * FROM people.onboard(null, 'clinic-a', '{"first_name": "Nou", "last_name": "Venit", "city": "Cluj"}') \gset first_
SELECT is(:'first_created'::boolean, true, 'the first onboarding creates the patient');
SELECT is(:'first_organization_id'::uuid, :'org_a'::uuid, 'in the clinic the slug names');
SELECT results_eq(
    format($$SELECT human_id, first_name, city, email::text FROM people.patient_profiles WHERE id = %L$$, :'first_patient_profile_id'),
    format($$VALUES (%L::uuid, 'Nou', 'Cluj', 'new@person.test')$$, :'newbie'),
    'the human''s own profile, with the fields given and their email'
);
SELECT results_eq(
    format($$SELECT tier_code, version FROM people.patient_subscription(%L)$$, :'first_patient_id'),
    $$VALUES ('standard', 1)$$, 'on the default tier''s newest version'
);
SELECT is(:'first_patient_subscription_id'::uuid, (SELECT id FROM people.patient_subscription(:'first_patient_id')),
    'the answer names the active subscription');
SELECT isnt_empty(
    format($$SELECT 1 FROM people.patient_subscription_limits WHERE subscription_id = %L AND limit_code = 'bookings.monthly' AND value = 4$$,
        :'first_patient_subscription_id'),
    'snapshotted from the default tier'
);
SELECT * FROM people.onboard(null, 'CLINIC-A', '{}') \gset again_
SELECT is(:'again_patient_id'::uuid, :'first_patient_id'::uuid, 'onboarding again returns the same patient');
SELECT is(:'again_created'::boolean, false, 'and says it created nothing');
SELECT is((SELECT count(*)::int FROM people.patients), 1, 'one patient row');
SELECT * FROM people.onboard('clinic-b.restartix.app:443', null, '{"locale": "ro"}') \gset subdomain_
SELECT is(:'subdomain_organization_id'::uuid, :'org_b'::uuid, 'a slug subdomain host names its clinic');
SELECT is(:'subdomain_patient_profile_id'::uuid, :'first_patient_profile_id'::uuid, 'the same profile in a second clinic');
SELECT * FROM people.onboard('Kineto-B.ro.', null, '{}') \gset custom_
SELECT is(:'custom_patient_id'::uuid, :'subdomain_patient_id'::uuid, 'a verified custom domain names the same clinic and patient');

-- Refusals.
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'no-such-clinic', '{}')$$, 'P0001', 'organization_not_found', 'an unknown slug');
SELECT throws_ok($$SELECT * FROM people.onboard('nowhere.example.com', NULL, '{}')$$, 'P0001', 'organization_not_found', 'an unknown host');
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-s', '{}')$$, 'P0001', 'organization_not_active', 'a suspended clinic');
SELECT throws_ok($$SELECT * FROM people.onboard('clinic-s.restartix.app', NULL, '{}')$$, 'P0001', 'organization_not_active',
    'a suspended clinic by host');
SELECT throws_ok($$SELECT * FROM people.onboard('clinic-a.restartix.app', 'clinic-a', '{}')$$, 'P0001', 'invalid_field', 'host and slug both');
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, NULL, '{}')$$, 'P0001', 'invalid_field', 'neither host nor slug');
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"profile_shared": true}')$$, 'P0001', 'invalid_field',
    'a field that is not the person''s to set');
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"sex": "robot"}')$$, '23514', null, 'a value the profile refuses');
SELECT tests.authenticate_as(:'ion', null);
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"first_name": "Ion"}')$$, 'P0001', 'invalid_field',
    'a first onboarding needs both names');
SELECT tests.authenticate_as(:'blocked', null);
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"first_name": "B", "last_name": "B"}')$$, '42501', null,
    'a blocked human cannot onboard');
SELECT tests.authenticate_as(null, null);
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"first_name": "B", "last_name": "B"}')$$, '42501', null,
    'nobody cannot onboard');
SELECT tests.clear_authentication();
SELECT billing.set_org_entitlement(:'org_a', 'patient_portal', false, 'DPA pending');
SELECT tests.authenticate_as(:'ion', null);
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"first_name": "Ion", "last_name": "Ene"}')$$, 'P0001',
    'org_entitlement_disabled', 'a clinic with its patient portal switched off');
SELECT tests.clear_authentication();
SELECT billing.set_org_entitlement(:'org_a', 'patient_portal', true, 'DPA signed');
-- patients.max: A may have one patient, and has one.
SELECT billing.grant_override(:'org_a', null, 'patients.max', null, 1, 'tiny plan');
SELECT tests.authenticate_as(:'ion', null);
SELECT throws_ok($$SELECT * FROM people.onboard(NULL, 'clinic-a', '{"first_name": "Ion", "last_name": "Ene"}')$$, 'P0001',
    'limit_exceeded', 'onboarding counts against patients.max');
SELECT tests.clear_authentication();
SELECT billing.revoke_override(id) FROM billing.organization_subscription_overrides WHERE organization_id = :'org_a';

-- The claim. Clinic A registers Ana twice (a duplicate), clinic B once; mum's child carries
-- Ana's email too but is someone's cared-for profile.
-- (The clock moves on between them: the oldest guest profile is the one claimed in place.)
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT tests.freeze_time(now() - interval '3 hours');
SELECT people.create_patient('Ana', 'Pop', null, 'ana@pop.test') AS guest_a \gset
SELECT tests.freeze_time(now() - interval '2 hours');
SELECT people.create_patient('Ana', 'Pop (again)', null, 'ANA@pop.test') AS guest_a2 \gset
SELECT tests.authenticate_as(:'desk_b', :'org_b');
SELECT tests.freeze_time(now() - interval '1 hour');
SELECT people.create_patient('Ana', 'Popescu', '+40 700 000 001', 'ana@pop.test') AS guest_b \gset
SELECT tests.freeze_time(null);
SELECT patient_profile_id AS guest_b_profile FROM people.patients WHERE id = :'guest_b' \gset
SELECT tests.authenticate_as(:'mum', null);
SELECT people.create_my_profile('{"first_name": "Matei", "last_name": "Pop", "email": "ana@pop.test"}', 'parent') AS child \gset

SELECT tests.authenticate_as(:'ana', null);
SELECT * FROM people.onboard(null, 'clinic-a', '{"first_name": "Ana", "last_name": "Pop", "date_of_birth": "1990-05-17"}') \gset ana_
SELECT is(:'ana_patient_id'::uuid, :'guest_a'::uuid, 'Ana''s onboarding claims the patient the clinic registered');
SELECT is((:'ana_claimed')::boolean, true, 'and says so');
SELECT is((:'ana_created')::boolean, false, 'creating no new patient');
SELECT is((SELECT human_id FROM people.patient_profiles WHERE id = :'ana_patient_profile_id'), :'ana'::uuid,
    'the oldest guest profile is now Ana''s own');
SELECT is((SELECT date_of_birth FROM people.patient_profiles WHERE id = :'ana_patient_profile_id'), '1990-05-17'::date,
    'filled in with what she gave');
SELECT tests.clear_authentication();
SELECT is((SELECT patient_profile_id FROM people.patients WHERE id = :'guest_b'), :'ana_patient_profile_id'::uuid,
    'clinic B''s patient row moved to her profile');
SELECT is_empty(format($$SELECT 1 FROM people.patient_profiles WHERE id = %L$$, :'guest_b_profile'),
    'the emptied guest profile is gone');
SELECT is((SELECT pp.human_id FROM people.patient_profiles AS pp INNER JOIN people.patients AS pt ON pp.id = pt.patient_profile_id WHERE pt.id = :'guest_a2'),
    null, 'a duplicate in a clinic where she already is a patient stays a guest');
SELECT is((SELECT human_id FROM people.patient_profiles WHERE id = :'child'), null, 'a cared-for profile with her email is not claimed');
SELECT results_eq(
    $$SELECT organization_id, payload ->> 'patient_id' FROM events.outbox WHERE type = 'patient_profile.claimed' ORDER BY position$$,
    format($$VALUES (%L::uuid, %L), (%L::uuid, %L)$$, :'org_a', :'guest_a', :'org_b', :'guest_b'),
    'each claimed patient row is announced to its clinic'
);
SELECT ok(
    (SELECT count(*) FROM audit.audit_log WHERE entity_type = 'people.patients' AND entity_id = :'guest_b' AND action = 'update') >= 1,
    'the move is audited'
);

-- Creating one's own profile claims too.
SELECT tests.authenticate_as(:'desk_b', :'org_b');
SELECT people.create_patient('Ion', 'Ene', null, 'ion@x.test') AS guest_ion \gset
SELECT tests.authenticate_as(:'ion', null);
SELECT people.create_my_profile('{"first_name": "Ion", "last_name": "Ene", "city": "Iasi"}') AS ion_profile \gset
SELECT is((SELECT patient_profile_id FROM people.patients WHERE id = :'guest_ion'), :'ion_profile'::uuid,
    'creating one''s own profile claims the guest profile with one''s email');

-- Events of the onboardings.
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT organization_id, (payload ->> 'created')::boolean, (payload ->> 'claimed')::boolean FROM events.outbox
             WHERE type = 'patient.onboarded' ORDER BY position$$),
    format($$VALUES (%L::uuid, true, false), (%L::uuid, true, false), (%L::uuid, false, true)$$, :'org_a', :'org_b', :'org_a'),
    'patient.onboarded once per new patient or claim, not on a repeat'
);

SELECT * FROM finish();
ROLLBACK;
