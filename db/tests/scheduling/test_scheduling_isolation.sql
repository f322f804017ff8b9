-- Cross-organization isolation for every scheduling table: another organization's member
-- sees nothing of A's hours, overrides, closures, calendars, tracking and appointments, and
-- changes nothing; the request pool writes nothing directly; overlapping active appointments
-- of one specialist are refused by the exclusion constraint.
BEGIN;
SELECT plan(32);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('physio-a@a.test') AS physio_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'physio_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'superadmin');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "currency": "RON"}') AS service_a \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS specialist_a \gset
SELECT people.create_patient('Ion', 'Pop') AS patient_a \gset
SELECT scheduling.add_weekly_hours(:'specialist_a', 1, '09:00', '17:00') AS hours_a \gset
SELECT scheduling.set_override(:'specialist_a', '2026-06-01', TRUE) AS override_a \gset
SELECT scheduling.add_closure('2026-12-25', 'Christmas') AS closure_a \gset
SELECT scheduling.create_calendar(format('{"name": "Physio", "slug": "physio", "service_id": "%s"}', :'service_a')::jsonb) AS calendar_a \gset
SELECT scheduling.set_calendar_specialist(:'calendar_a', :'specialist_a', 1, NULL);
SELECT tests.clear_authentication();
INSERT INTO appointments.appointments (organization_id, calendar_id, service_id, specialist_id, patient_id, period, status)
VALUES (:'org_a', :'calendar_a', :'service_a', :'specialist_a', :'patient_a', tstzrange('2026-06-02 09:00+03', '2026-06-02 09:50+03'), 'confirmed');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is((SELECT count(*)::int FROM scheduling.specialist_weekly_hours), 1, 'A''s owner reads A''s weekly hours');
SELECT is((SELECT count(*)::int FROM scheduling.specialist_schedule_overrides), 1, 'A''s owner reads A''s override');
SELECT is((SELECT count(*)::int FROM scheduling.organization_closures), 1, 'A''s owner reads A''s closure');
SELECT is((SELECT count(*)::int FROM scheduling.calendars), 1, 'A''s owner reads A''s calendar');
SELECT is((SELECT count(*)::int FROM scheduling.calendar_specialists), 1, 'A''s owner reads A''s calendar specialist');
SELECT is((SELECT count(*)::int FROM scheduling.specialist_assignment_tracking), 1, 'A''s owner reads A''s tracking');
SELECT is((SELECT count(*)::int FROM appointments.appointments), 1, 'A''s owner reads A''s appointment');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM scheduling.specialist_weekly_hours', 'B reads no weekly hours of A');
SELECT is_empty('SELECT 1 FROM scheduling.specialist_schedule_overrides', 'B reads no override of A');
SELECT is_empty('SELECT 1 FROM scheduling.organization_closures', 'B reads no closure of A');
SELECT is_empty('SELECT 1 FROM scheduling.calendars', 'B reads no calendar of A');
SELECT is_empty('SELECT 1 FROM scheduling.calendar_specialists', 'B reads no calendar specialist of A');
SELECT is_empty('SELECT 1 FROM scheduling.specialist_assignment_tracking', 'B reads no tracking of A');
SELECT is_empty('SELECT 1 FROM appointments.appointments', 'B reads no appointment of A');
SELECT throws_ok(format($$SELECT scheduling.add_weekly_hours(%L, 2, '09:00', '10:00')$$, :'specialist_a'),
    'P0001', 'specialist_not_found', 'B cannot add hours to A''s specialist');
SELECT throws_ok(format($$SELECT scheduling.delete_weekly_hours(%L)$$, :'hours_a'),
    'P0001', 'weekly_hours_not_found', 'B cannot delete A''s hours');
SELECT throws_ok(format($$SELECT scheduling.delete_override(%L)$$, :'override_a'),
    'P0001', 'schedule_override_not_found', 'B cannot delete A''s override');
SELECT throws_ok(format($$SELECT scheduling.delete_closure(%L)$$, :'closure_a'),
    'P0001', 'closure_not_found', 'B cannot delete A''s closure');
SELECT throws_ok(format($$SELECT scheduling.update_calendar(%L, '{"name": "x"}')$$, :'calendar_a'),
    'P0001', 'calendar_not_found', 'B cannot change A''s calendar');
SELECT throws_ok(format($$SELECT * FROM scheduling.member_availability(%L, '2026-06-01', '2026-06-02', NULL)$$, :'calendar_a'),
    'P0001', 'calendar_not_found', 'B cannot read A''s availability');
SELECT throws_ok(format($$SELECT scheduling.create_calendar('{"name": "B", "slug": "b2", "service_id": "%s"}')$$, :'service_a'),
    'P0001', 'service_not_found', 'B cannot build a calendar on A''s service');

-- Platform staff are not members: they read nothing and write nothing.
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is_empty('SELECT 1 FROM appointments.appointments', 'platform staff read no appointment');
SELECT is_empty('SELECT 1 FROM scheduling.calendars', 'platform staff read no calendar');

-- A clinician reads but does not manage.
SELECT tests.authenticate_as(:'physio_a', :'org_a');
SELECT is((SELECT count(*)::int FROM scheduling.calendars), 1, 'a specialist member reads the calendars');
SELECT throws_ok(format($$SELECT scheduling.add_weekly_hours(%L, 2, '09:00', '10:00')$$, :'specialist_a'),
    '42501', NULL, 'a specialist member cannot set hours (scheduling.manage)');

-- No direct writes from the request pool.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(format($$INSERT INTO scheduling.organization_closures (organization_id, closure_date) VALUES (%L, '2026-01-01')$$, :'org_a'),
    '42501', NULL, 'no direct insert into closures');
SELECT throws_ok($$UPDATE scheduling.calendars SET public = true$$, '42501', NULL, 'no direct update of calendars');
SELECT throws_ok($$DELETE FROM scheduling.specialist_weekly_hours$$, '42501', NULL, 'no direct delete of weekly hours');
SELECT throws_ok($$DELETE FROM appointments.appointments$$, '42501', NULL, 'no direct delete of appointments');

-- The exclusion constraint: one specialist, two overlapping active periods.
SELECT tests.clear_authentication();
SELECT throws_ok(format($$INSERT INTO appointments.appointments (organization_id, service_id, specialist_id, patient_id, period, status)
    VALUES (%L, %L, %L, %L, tstzrange('2026-06-02 09:30+03', '2026-06-02 10:20+03'), 'requested')$$,
    :'org_a', :'service_a', :'specialist_a', :'patient_a'),
    '23P01', NULL, 'an overlapping active appointment of the same specialist is refused');
SELECT lives_ok(format($$INSERT INTO appointments.appointments (organization_id, service_id, specialist_id, patient_id, period, status)
    VALUES (%L, %L, %L, %L, tstzrange('2026-06-02 09:30+03', '2026-06-02 10:20+03'), 'cancelled')$$,
    :'org_a', :'service_a', :'specialist_a', :'patient_a'),
    'a cancelled appointment may overlap');
SELECT lives_ok(format($$INSERT INTO appointments.appointments (organization_id, service_id, specialist_id, patient_id, period, status)
    VALUES (%L, %L, %L, %L, tstzrange('2026-06-02 09:50+03', '2026-06-02 10:40+03'), 'requested')$$,
    :'org_a', :'service_a', :'specialist_a', :'patient_a'),
    'an appointment that starts when another ends does not overlap');

SELECT * FROM finish();
ROLLBACK;
