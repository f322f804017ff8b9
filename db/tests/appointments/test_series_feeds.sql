-- Series and calendar feeds: a weekly rule keeps 09:00 on the wall clock across a
-- daylight-saving change, all-or-nothing rolls back and names every refused start, partial
-- keeps the rest, cancelling the rest gives plan sessions back through appointments.cancel,
-- input limits; feed tokens stored only as hashes, revocation, names only when allowed,
-- the public lookup on the system pool only; who may act, and another organization seeing
-- and changing nothing.
BEGIN;
SELECT plan(52);

-- The code and the detail of a refusal.
CREATE FUNCTION pg_temp.refusal(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_detail text;
BEGIN
    EXECUTE p_sql;
    RETURN 'no refusal';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
    RETURN SQLERRM || ': ' || v_detail;
END;
$$;
-- The HINT (structured details) of a refusal.
CREATE FUNCTION pg_temp.hint(p_sql text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_hint text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_hint = PG_EXCEPTION_HINT;
    RETURN v_hint::jsonb;
END;
$$;
-- Book a series by rule (as the acting principal).
CREATE FUNCTION pg_temp.rule(p_cal uuid, p_patient uuid, p_days integer [], p_from date, p_count integer, p_mode text DEFAULT 'all_or_nothing')
RETURNS jsonb LANGUAGE sql AS $$
    SELECT appointments.book_series(p_cal, p_patient, p_days, '09:00', p_from, p_count, NULL, NULL, p_mode)
$$;

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('bill@a.test') AS bill \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org', :'bill', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT people.create_specialist('Bob', NULL, NULL, 'Europe/Bucharest', TRUE, :'bill') AS s2 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.add_weekly_hours(:'s1', 4, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT catalog.create_plan('session_pack', format(
    '{"name": "Ten", "price_amount": 1, "currency": "RON", "sessions_total": 10, "validity_days": 180, "service_ids": ["%s"]}',
    :'service')::jsonb) AS plan \gset
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT catalog.enroll_patient(:'patient', :'plan', '2026-12-01 00:00+00') AS enrollment \gset
SELECT tests.freeze_time('2027-01-01 00:00+00');

-- A weekly rule across the change to summer time (Bucharest, Sunday 2027-03-28).
SELECT pg_temp.rule(:'cal', :'patient', '{1,4}', '2027-03-22', 4) ->> 'series_id' AS series \gset
SELECT results_eq(
    format('SELECT lower(period) FROM appointments.appointments WHERE series_id = %L ORDER BY 1', :'series'),
    $$VALUES ('2027-03-22 07:00+00'::timestamptz), ('2027-03-25 07:00+00'), ('2027-03-29 06:00+00'), ('2027-04-01 06:00+00')$$,
    '09:00 on the wall clock before and after the change'
);
SELECT is((SELECT specialist_id FROM appointments.series WHERE id = :'series'), :'s1'::uuid, 'the series records its specialist');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 4, 'each session uses a plan session, as a booking does');
SELECT is((SELECT weekdays FROM appointments.series WHERE id = :'series'), '{1,4}'::smallint [], 'the rule is kept');

-- All or nothing: one taken date refuses the whole course and names it.
SELECT is(pg_temp.refusal(format($$SELECT pg_temp.rule(%L, %L, '{1,4}', '2027-04-01', 3)$$, :'cal', :'patient')),
    'series_unavailable: 1 of the 3 sessions cannot be booked; nothing was booked.', 'one refused session refuses the series');
SELECT is(pg_temp.hint(format($$SELECT pg_temp.rule(%L, %L, '{1,4}', '2027-04-01', 3)$$, :'cal', :'patient')) -> 'failed' -> 0 ->> 'start',
    '2027-04-01T09:00:00+03:00', 'the refused start, on the calendar''s clock');
SELECT is(pg_temp.hint(format($$SELECT pg_temp.rule(%L, %L, '{1,4}', '2027-04-01', 3)$$, :'cal', :'patient')) -> 'failed' -> 0 ->> 'reason',
    'unavailable', 'and why');
SELECT is((SELECT count(*)::int FROM appointments.appointments), 4, 'nothing more was booked');
SELECT is((SELECT count(*)::int FROM appointments.series), 1, 'no series was kept');

-- Partial: books what it can.
SELECT pg_temp.rule(:'cal', :'patient', '{1,4}', '2027-03-29', 3, 'partial') AS partial \gset
SELECT is(jsonb_array_length((:'partial'::jsonb) -> 'booked'), 1, 'partial books the free date');
SELECT is((:'partial'::jsonb) -> 'failed' -> 0 ->> 'code', 'slot_taken', 'and lists the taken ones with the code');
SELECT is(jsonb_array_length((:'partial'::jsonb) -> 'failed'), 2, 'both taken dates are listed');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1,4}', '2027-03-29', 2, 'partial')$$, :'cal', :'patient'),
    'series_unavailable', 'partial with nothing free is refused');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment_series.booked'), 2, 'appointment_series.booked for each kept series');
SELECT tests.authenticate_as(:'owner', :'org');

-- An explicit list; a start in the past is refused.
SELECT is(jsonb_array_length(appointments.book_series(:'cal', :'patient', NULL, NULL, NULL, NULL, NULL,
    ARRAY['2027-05-06 10:00+03', '2027-05-03 10:00+03']::timestamptz [], 'all_or_nothing') -> 'booked'), 2, 'a list of starts is booked');
SELECT is(pg_temp.hint(format($$SELECT appointments.book_series(%L, %L, NULL, NULL, NULL, NULL, NULL, ARRAY['2026-12-28 09:00+02']::timestamptz [])$$, :'cal', :'patient')) -> 'failed' -> 0 ->> 'reason',
    'outside_booking_window', 'a start in the past is outside the booking window');

-- Input limits.
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1,4}', '2027-06-01', 53)$$, :'cal', :'patient'), 'invalid_field', 'at most 52 sessions');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{0}', '2027-06-01', 2)$$, :'cal', :'patient'), 'invalid_field', 'weekday 0 is refused');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{8}', '2027-06-01', 2)$$, :'cal', :'patient'), 'invalid_field', 'weekday 8 is refused');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1,1}', '2027-06-01', 2)$$, :'cal', :'patient'), 'invalid_field', 'a weekday twice is refused');
SELECT throws_like(format($$SELECT appointments.book_series(%L, %L, '{1}', '24:00', '2027-06-01', 2, NULL, NULL)$$, :'cal', :'patient'), 'invalid_field', '24:00 is not a start time');
SELECT throws_like(format($$SELECT appointments.book_series(%L, %L, '{1}', '09:00', '2027-06-01', 2, '2027-07-01', NULL)$$, :'cal', :'patient'), 'invalid_field', 'count and until together are refused');
SELECT throws_like(format($$SELECT appointments.book_series(%L, %L, '{1,2,3,4,5,6,7}', '09:00', '2027-06-01', NULL, '2027-08-31', NULL)$$, :'cal', :'patient'), 'invalid_field', 'an until giving more than 52 sessions is refused');
SELECT throws_like(format($$SELECT appointments.book_series(%L, %L, NULL, NULL, NULL, NULL, NULL, NULL)$$, :'cal', :'patient'), 'invalid_field', 'a rule or starts is required');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1}', '2027-06-01', 2, 'some')$$, :'cal', :'patient'), 'invalid_field', 'an unknown mode is refused');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1}', '2027-06-01', 2)$$, :'cal', gen_random_uuid()), 'patient_not_found', 'an unknown patient is refused');

-- Cancelling the rest: through appointments.cancel, so sessions come back.
SELECT is(appointments.cancel_series(:'series', 'Course changed', '2027-03-26 00:00+00') ->> 'sessions_returned', '2', 'two later sessions cancelled and given back');
SELECT is((SELECT count(*)::int FROM appointments.appointments WHERE series_id = :'series' AND status = 'cancelled'), 2, 'the later two are cancelled');
SELECT is((SELECT cancellation_reason FROM appointments.appointments WHERE series_id = :'series' AND status = 'cancelled' ORDER BY lower(period) LIMIT 1), 'Course changed', 'with the reason');
SELECT throws_like(format($$SELECT appointments.cancel_series(%L, ' ')$$, :'series'), 'invalid_field', 'a reason is required');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment_series.cancelled'), 1, 'appointment_series.cancelled is published');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.cancelled'), 2, 'and each session''s appointment.cancelled');

-- Feeds: the token once, only its hash stored; the request pool never reads the hash.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT token FROM appointments.create_calendar_feed(:'s1') \gset
SELECT tests.clear_authentication();
SELECT is((SELECT token_hash FROM appointments.calendar_feeds WHERE specialist_id = :'s1'), sha256(convert_to(:'token', 'UTF8')), 'the SHA-256 of the token is stored');
SELECT is_empty(format($$SELECT 1 FROM appointments.calendar_feeds WHERE position(convert_to(%L, 'UTF8') IN token_hash) > 0$$, :'token'), 'the token itself is nowhere in the table');
SELECT ok(NOT has_column_privilege('restartix_app', 'appointments.calendar_feeds', 'token_hash', 'SELECT'), 'the request pool cannot read token hashes');
SELECT ok(NOT has_function_privilege('restartix_app', 'appointments.public_calendar_feed(text)', 'EXECUTE'), 'the public lookup is the system pool''s only');

SELECT tests.authenticate_as_system();
SELECT is((SELECT count(*)::int FROM appointments.public_calendar_feed_events(:'token')), 7, 'the feed shows the specialist''s appointments in its window, cancelled ones too');
SELECT is((SELECT count(*)::int FROM appointments.public_calendar_feed_events(:'token') WHERE status = 'cancelled'), 2, 'cancelled ones stay, so calendars drop them');
SELECT is((SELECT count(*)::int FROM appointments.public_calendar_feed_events(:'token') WHERE patient_name IS NOT NULL), 0, 'no names by default');
SELECT is_empty($$SELECT 1 FROM appointments.public_calendar_feed('nope')$$, 'an unknown token finds nothing');
SELECT tests.clear_authentication();
UPDATE tenancy.organization_settings SET calendar_feed_patient_names = TRUE WHERE organization_id = :'org';
SELECT tests.authenticate_as_system();
SELECT is((SELECT count(*)::int FROM appointments.public_calendar_feed_events(:'token') WHERE patient_name IS NOT NULL), 0, 'the clinic allowing names is not enough: the feed did not ask');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT token AS named FROM appointments.create_calendar_feed(:'s1', TRUE) \gset
SELECT tests.authenticate_as_system();
SELECT is((SELECT min(patient_name) FROM appointments.public_calendar_feed_events(:'named')), 'Ion Pop', 'a feed that asks shows names the clinic allows');
SELECT is_empty(format($$SELECT 1 FROM appointments.public_calendar_feed(%L)$$, :'token'), 'the replaced feed is revoked');

-- Who may: the specialist themself (billing, no appointments.manage) for their own only.
SELECT tests.authenticate_as(:'bill', :'org');
SELECT isnt((SELECT id FROM appointments.create_calendar_feed(:'s2')), NULL, 'a specialist makes their own feed');
SELECT throws_ok(format($$SELECT appointments.create_calendar_feed(%L)$$, :'s1'), '42501', NULL, 'but not a colleague''s');
SELECT throws_ok(format($$SELECT pg_temp.rule(%L, %L, '{1}', '2027-06-07', 1)$$, :'cal', :'patient'), '42501', NULL, 'billing books no series');
SELECT is_empty('SELECT 1 FROM appointments.series', 'billing reads no series');

-- Another organization sees nothing and changes nothing.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM appointments.series', 'B reads no series of A');
SELECT is_empty('SELECT 1 FROM appointments.calendar_feeds', 'B reads no feed of A');
SELECT throws_like(format($$SELECT appointments.cancel_series(%L, 'x')$$, :'series'), 'series_not_found', 'B cannot cancel A''s series');
SELECT throws_like(format($$SELECT appointments.revoke_calendar_feed(%L)$$, :'s1'), 'specialist_not_found', 'B cannot revoke A''s feed');
SELECT throws_like(format($$SELECT pg_temp.rule(%L, %L, '{1}', '2027-06-07', 1)$$, :'cal', :'patient'), 'calendar_not_found', 'B cannot book a series on A''s calendar');

SELECT * FROM finish();
ROLLBACK;
