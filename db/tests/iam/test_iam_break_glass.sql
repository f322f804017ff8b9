-- Break-glass: platform staff (support and superadmin) read nothing of any people table
-- without an open grant for the organization; under one they read, never write; an expired,
-- closed or other organization's grant opens nothing; requests under a grant are audited with
-- its id; grants are written through the functions only.
BEGIN;
SELECT plan(82);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.create_human('support2@platform.test') AS support2 \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'support');
SELECT tests.make_platform(:'support2', 'support');
SELECT tests.make_platform(:'root', 'superadmin');
SELECT now() AS t0 \gset
SELECT tests.freeze_time(:'t0');

SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.create_patient('Ana', 'Pop', '+40 722 000 001', 'ana@pop.test', 'A-1', 'knee') AS patient_a \gset
SELECT people.add_caregiver(:'patient_a', 'mum@home.test', 'parent', ARRAY['book']) AS caregiver_a \gset
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT people.create_patient('Bogdan', 'Ban') AS patient_b \gset

-- No grant: support and superadmin see nothing of any people table and hold no patient
-- permission.
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is(iam.current_break_glass_id(), NULL, 'support without a grant has no break-glass id');
SELECT is_empty('SELECT 1 FROM people.patients', 'support without a grant reads no patient row');
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'support without a grant reads no profile');
SELECT is_empty('SELECT 1 FROM people.patient_caregivers', 'support without a grant reads no caregiver');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'support without a grant reads nothing through the gate');
SELECT ok(NOT iam.has_permission('patients.read'), 'support without a grant does not hold patients.read');
SELECT ok(iam.has_permission('members.read'), 'support still holds the other read permissions');
SELECT ok(NOT people.member_holds('patients.read'), 'member_holds refuses support without a grant');
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT is_empty('SELECT 1 FROM people.patients', 'a superadmin without a grant reads no patient row');
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'a superadmin without a grant reads no profile');
SELECT is_empty('SELECT 1 FROM people.patient_caregivers', 'a superadmin without a grant reads no caregiver');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'a superadmin without a grant reads nothing through the gate');
SELECT ok(NOT iam.has_permission('patients.read'), 'a superadmin without a grant does not hold patients.read');
SELECT ok(NOT iam.has_permission('patients.manage'), 'a superadmin never holds patients.manage');
SELECT ok(iam.has_permission('members.manage'), 'a superadmin still holds the non-patient permissions');

-- Opening: platform staff only, a reason, a bounded duration, an organization that exists.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'a member tries to open one', '1 hour')$$, :'org_a'),
    '42501', NULL, 'a member cannot open a grant'
);
SELECT tests.authenticate_as(:'support', NULL);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'short', '1 hour')$$, :'org_a'),
    'P0001', 'break_glass_reason_invalid', 'a reason under 10 characters is refused'
);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, NULL, '1 hour')$$, :'org_a'),
    'P0001', 'break_glass_reason_invalid', 'a missing reason is refused'
);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, repeat('x', 1001), '1 hour')$$, :'org_a'),
    'P0001', 'break_glass_reason_invalid', 'a reason over 1000 characters is refused'
);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'ticket 42: patients missing', '4 hours 1 minute')$$, :'org_a'),
    'P0001', 'break_glass_duration_invalid', 'more than four hours is refused'
);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'ticket 42: patients missing', '-1 hour')$$, :'org_a'),
    'P0001', 'break_glass_duration_invalid', 'a negative duration is refused'
);
SELECT throws_ok(
    $$SELECT iam.open_break_glass(gen_random_uuid(), 'ticket 42: patients missing', '1 hour')$$,
    'P0001', 'organization_not_found', 'an unknown organization is refused'
);
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'ticket 42: patients missing', '1 hour', %L)$$, :'org_a', :'support2'),
    '42501', NULL, 'support cannot open a grant for someone else'
);
SELECT iam.open_break_glass(:'org_a', 'ticket 42: patients missing from the list', '1 hour') AS grant_a \gset
SELECT throws_ok(
    format($$SELECT iam.open_break_glass(%L, 'ticket 42: a second one', '1 hour')$$, :'org_a'),
    'P0001', 'break_glass_already_open', 'one open grant per staff member and organization'
);

-- The app role cannot write grants directly.
SELECT throws_ok(
    format($$INSERT INTO iam.break_glass_grants (principal_id, organization_id, reason, opened_by, expires_at)
             VALUES (%L, %L, 'forged by hand, no checks', %L, now() + interval '1 hour')$$, :'support', :'org_b', :'support'),
    '42501', NULL, 'no direct insert into break_glass_grants'
);
SELECT throws_ok(
    format($$UPDATE iam.break_glass_grants SET expires_at = expires_at + interval '1 day' WHERE id = %L$$, :'grant_a'),
    '42501', NULL, 'no direct update of a grant'
);
SELECT throws_ok(
    format($$DELETE FROM iam.break_glass_grants WHERE id = %L$$, :'grant_a'),
    '42501', NULL, 'no direct delete of a grant'
);
SELECT throws_ok(
    format($$SELECT iam.audit_break_glass_request(%L, 'GET /forged')$$, :'grant_a'),
    '42501', NULL, 'the request pool cannot write a break-glass audit row itself'
);

-- Under the grant, in its organization: reads, never writes.
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is(iam.current_break_glass_id(), :'grant_a'::uuid, 'the grant is the current break-glass id in its organization');
SELECT ok(iam.has_permission('patients.read'), 'support under a grant holds patients.read');
SELECT ok(NOT iam.has_permission('patients.manage'), 'support under a grant does not hold patients.manage');
SELECT ok(people.member_holds('patients.read'), 'member_holds lets support read under a grant');
SELECT ok(NOT people.member_holds('patients.manage'), 'member_holds never lets support manage');
SELECT set_eq('SELECT id FROM people.patients', ARRAY[:'patient_a'::uuid], 'support under a grant reads the organization''s patients, and only them');
SELECT set_eq('SELECT id FROM people.patient_caregivers', ARRAY[:'caregiver_a'::uuid], 'support under a grant reads their caregivers');
SELECT is_empty('SELECT 1 FROM people.patient_profiles', 'profiles stay behind the gate under a grant too');
SELECT results_eq(
    'SELECT id, first_name, profile_shared, date_of_birth FROM people.org_patients()',
    format($$VALUES (%L::uuid, 'Ana', FALSE, NULL::date)$$, :'patient_a'),
    'support under a grant reads through the sharing gate what a member would: contact fields, nothing unshared'
);
SELECT is(iam.current_member_org_id(), :'org_a'::uuid, 'under a grant, support counts as a (read-only) member of the organization');
SELECT throws_ok(
    $$SELECT people.create_patient('Eve', 'Spy')$$, '42501', NULL, 'support under a grant registers no patient'
);
SELECT throws_ok(
    format($$SELECT people.update_patient(%L, '{"notes": "edited"}')$$, :'patient_a'),
    '42501', NULL, 'support under a grant changes no patient'
);
SELECT throws_ok(
    format($$SELECT people.delete_patient(%L)$$, :'patient_a'), '42501', NULL, 'support under a grant deletes no patient'
);
SELECT throws_ok(
    format($$SELECT people.add_caregiver(%L, 'support@platform.test', 'other', '{}')$$, :'patient_a'),
    '42501', NULL, 'support under a grant adds no caregiver'
);

-- Another organization: the grant opens nothing there.
SELECT tests.authenticate_as(:'support', :'org_b');
SELECT is(iam.current_break_glass_id(), NULL, 'a grant on A is no break-glass id in B');
SELECT is(iam.current_member_org_id(), NULL, 'a grant on A makes support no member of B');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'a grant on A reads nothing of B through the gate');
SELECT is_empty('SELECT 1 FROM people.patients', 'a grant on A reads nothing of B');
SELECT is_empty('SELECT 1 FROM people.patient_caregivers', 'a grant on A reads no caregiver in B');
-- Another staff member: the grant is personal.
SELECT tests.authenticate_as(:'support2', :'org_a');
SELECT is_empty('SELECT 1 FROM people.patients', 'another support member reads nothing under someone else''s grant');

-- A grant of a superadmin: reads, not writes, even though superadmins hold every other permission.
SELECT tests.authenticate_as(:'root', NULL);
SELECT iam.open_break_glass(:'org_a', 'incident 7: verifying a data fix', '30 minutes') AS grant_root \gset
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT set_eq('SELECT id FROM people.patients', ARRAY[:'patient_a'::uuid], 'a superadmin under a grant reads the organization''s patients');
SELECT throws_ok(
    format($$SELECT people.update_patient(%L, '{"notes": "edited"}')$$, :'patient_a'),
    '42501', NULL, 'a superadmin under a grant changes no patient'
);
SELECT ok(NOT iam.has_permission('members.manage'), 'under a grant, a superadmin holds no write permission in that organization');
SELECT ok(iam.has_permission('members.read'), 'a superadmin under a grant still reads the rest');
-- Counting as a member must open no member write policy (integrations are the table the
-- request pool writes directly, under policies).
SELECT throws_ok(
    format($$INSERT INTO integrations.organization_integrations (organization_id, kind, account_label)
             VALUES (%L, 'google_calendar', 'planted under break-glass')$$, :'org_a'),
    '42501', NULL, 'a superadmin under a grant connects no integration through the member policies'
);
SELECT tests.authenticate_as(:'root', :'org_b');
SELECT ok(iam.has_permission('members.manage'), 'a superadmin keeps every other permission elsewhere');

-- A request under the grant is audited with its id; a member's request writes nothing extra.
SELECT tests.authenticate_as(:'support', NULL);
SELECT r.allowed FROM iam.begin_request(:'support', :'org_a', 'req-bg-1', '10.0.0.9', 'curl', 'patients.read', 'GET /v1/orgs/x/patients') AS r \gset
SELECT ok(:'allowed'::boolean, 'begin_request lets support with a grant read patients');
SELECT is(current_setting('app.break_glass_id'), :'grant_a', 'begin_request records the grant as app.break_glass_id');
SELECT tests.authenticate_as(:'desk_a', NULL);
SELECT r.allowed FROM iam.begin_request(:'desk_a', :'org_a', 'req-member-1', '10.0.0.8', 'curl', 'patients.read', 'GET /v1/orgs/x/patients') AS r \gset
SELECT is(current_setting('app.break_glass_id'), '', 'a member''s request carries no break-glass id');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT actor_id, organization_id, action, entity_id, break_glass_id, new_values ->> 'route', host(ip)
      FROM audit.audit_log WHERE request_id = 'req-bg-1'$$,
    format($$VALUES (%L::uuid, %L::uuid, 'break_glass.read', %L, %L::uuid, 'GET /v1/orgs/x/patients', '10.0.0.9')$$,
        :'support', :'org_a', :'grant_a', :'grant_a'),
    'the request under the grant is one audit row: who, where, which grant, which route'
);
SELECT is_empty($$SELECT 1 FROM audit.audit_log WHERE request_id = 'req-member-1'$$, 'a member''s read writes no audit row');

-- A write made under the grant carries its id (a staff member's own audited change).
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT set_config('app.break_glass_id', :'grant_a', TRUE);
SELECT set_config('app.request_id', 'req-bg-close', TRUE);
SELECT iam.close_break_glass(:'grant_a');
SELECT tests.clear_authentication();
SELECT is(
    (SELECT break_glass_id FROM audit.audit_log WHERE request_id = 'req-bg-close' AND entity_type = 'iam.break_glass_grants' AND action = 'update'),
    :'grant_a'::uuid, 'audit rows written under a grant carry its id'
);
SELECT is(
    (SELECT count(*)::int FROM events.outbox WHERE type IN ('break_glass.opened', 'break_glass.closed') AND organization_id = :'org_a'),
    3, 'opening (twice) and closing published their events for the organization'
);

-- Closed: nothing again, and closing twice is refused.
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is(iam.current_break_glass_id(), NULL, 'a closed grant is no break-glass id');
SELECT is_empty('SELECT 1 FROM people.patients', 'support reads nothing after closing the grant');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'nor through the gate after closing');
SELECT is(iam.current_member_org_id(), NULL, 'a closed grant makes support no member');
SELECT ok(NOT iam.has_permission('patients.read'), 'support holds no patients.read after closing');
SELECT throws_ok(
    format($$SELECT iam.close_break_glass(%L)$$, :'grant_a'), 'P0001', 'break_glass_not_open', 'a closed grant cannot be closed again'
);
SELECT tests.authenticate_as(:'support2', NULL);
SELECT throws_ok(
    format($$SELECT iam.close_break_glass(%L)$$, :'grant_root'), 'P0001', 'break_glass_not_found', 'support cannot close someone else''s grant'
);

-- Expired: the superadmin's 30-minute grant, 31 minutes later.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '31 minutes');
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT is(iam.current_break_glass_id(), NULL, 'an expired grant is no break-glass id');
SELECT is_empty('SELECT 1 FROM people.patients', 'a superadmin reads nothing once the grant expired');
SELECT is_empty('SELECT 1 FROM people.org_patients()', 'nor through the gate');
SELECT ok(iam.has_permission('members.manage'), 'an expired grant no longer makes a superadmin read-only');
SELECT throws_ok(
    format($$SELECT iam.close_break_glass(%L)$$, :'grant_root'), 'P0001', 'break_glass_not_open', 'an expired grant cannot be closed'
);

-- Who reads the grants: the grantee, platform admins, the organization's auditors; not B.
SELECT tests.authenticate_as(:'support2', NULL);
SELECT is_empty('SELECT 1 FROM iam.break_glass_grants', 'another support member reads no one else''s grant');
SELECT tests.authenticate_as(:'support', NULL);
SELECT set_eq('SELECT id FROM iam.break_glass_grants', ARRAY[:'grant_a'::uuid], 'support reads their own grants');
SELECT tests.authenticate_as(:'root', NULL);
SELECT is((SELECT count(*)::int FROM iam.break_glass_grants), 2, 'a platform admin reads every grant');
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is((SELECT count(*)::int FROM iam.break_glass_grants), 2, 'A''s owner reads the grants on A');
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT is_empty('SELECT 1 FROM iam.break_glass_grants', 'a receptionist (no audit.read) reads no grant');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM iam.break_glass_grants', 'B''s owner reads none of the grants on A');
SELECT throws_ok(
    format($$SELECT iam.close_break_glass(%L)$$, :'grant_root'), '42501', NULL, 'B''s owner cannot close a grant on A'
);
SELECT throws_ok(
    format($$UPDATE iam.break_glass_grants SET reason = 'rewritten by B' WHERE id = %L$$, :'grant_root'),
    '42501', NULL, 'B''s owner cannot rewrite a grant on A'
);
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(
    format($$SELECT iam.close_break_glass(%L)$$, :'grant_root'), '42501', NULL, 'A''s owner cannot close a grant either (staff only)'
);

SELECT * FROM finish();
ROLLBACK;
