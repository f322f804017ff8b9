-- Booking and the state machine: the slot re-check, the exclusion constraint as slot_taken,
-- plan sessions used and given back once, every allowed move and the illegal ones, who may
-- act, and another organization seeing and changing nothing.
BEGIN;
SELECT plan(56);

-- The code and the detail of a refusal (throws_like sees only the code).
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

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('bill@a.test') AS bill \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('patient@a.test') AS human_patient \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org', :'bill', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT catalog.create_plan('session_pack', format(
    '{"name": "Three", "price_amount": 1, "currency": "RON", "sessions_total": 3, "validity_days": 90, "service_ids": ["%s"]}',
    :'service')::jsonb) AS plan \gset
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT catalog.enroll_patient(:'patient', :'plan', '2026-12-01 00:00+00') AS enrollment \gset
SELECT tests.freeze_time('2027-01-01 00:00+00');

-- Booking: the slot availability offers, the session of the covering plan, the events.
SELECT appointments.book(:'cal', :'patient', '2027-01-04 09:00+02') AS a1 \gset
SELECT is((SELECT status FROM appointments.appointments WHERE id = :'a1'), 'confirmed', 'the clinic''s booking is confirmed');
SELECT is((SELECT specialist_id FROM appointments.appointments WHERE id = :'a1'), :'s1'::uuid, 'the calendar''s specialist is assigned');
SELECT is((SELECT upper(period) FROM appointments.appointments WHERE id = :'a1'), '2027-01-04 10:00+02'::timestamptz, 'the period lasts the service');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 1, 'the covering plan gives a session');
SELECT is((SELECT patient_service_plan_id FROM appointments.appointments WHERE id = :'a1'), :'enrollment'::uuid, 'the appointment records the plan');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.booked'), 1, 'appointment.booked is published');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.first_booked'), 1, 'the first booking publishes first_booked');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 09:00+02')$$, :'cal', :'patient'),
    'slot_taken', 'the same slot again is slot_taken');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 09:30+02')$$, :'cal', :'patient'),
    'slot_taken', 'a start off the grid is not offered');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-05 09:00+02')$$, :'cal', :'patient'),
    'slot_taken', 'a day without hours is not offered');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 11:00+02', jsonb_build_array(jsonb_build_object(
    'specialist_id', %L, 'start', '2027-01-04T09:00:00Z', 'end', '2027-01-04T10:00:00Z')))$$, :'cal', :'patient', :'s1'),
    'slot_taken', 'a live hold of someone else blocks the slot');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 11:00+02', '{}')$$, :'cal', :'patient'),
    'invalid_field', 'holds must be an array');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 11:00+02', '[]', NULL, 'teleport')$$, :'cal', :'patient'),
    'invalid_field', 'an unknown modality is refused');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 11:00+02', '[]', NULL, NULL, repeat('x', 4001))$$, :'cal', :'patient'),
    'invalid_field', 'oversize notes are refused');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-04 11:00+02')$$, :'cal', gen_random_uuid()),
    'patient_not_found', 'an unknown patient is refused');
SELECT appointments.book(:'cal', :'patient', '2027-01-04 10:00+02') AS a2 \gset
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.first_booked'), 1, 'a second booking is not the first');
SELECT tests.authenticate_as(:'owner', :'org');

-- The state machine.
SELECT is(pg_temp.refusal(format($$SELECT appointments.transition(%L, 'done')$$, :'a1')), 'invalid_transition: An appointment cannot go from confirmed to done.', 'confirmed to done is illegal and names both states');
SELECT throws_like(format($$SELECT appointments.transition(%L, 'requested')$$, :'a1'), 'invalid_field', 'requested is not a target');
SELECT is(appointments.transition(:'a1', 'inprogress'), 'inprogress', 'confirmed to inprogress');
SELECT is(pg_temp.refusal(format($$SELECT appointments.cancel(%L, 'late')$$, :'a1')), 'invalid_transition: An appointment cannot go from inprogress to cancelled.', 'an appointment in progress cannot be cancelled');
SELECT is(pg_temp.refusal(format($$SELECT appointments.transition(%L, 'no_show')$$, :'a1')), 'invalid_transition: An appointment cannot go from inprogress to no_show.', 'inprogress to no_show is illegal');
SELECT is(appointments.transition(:'a1', 'done'), 'done', 'inprogress to done');
SELECT is(pg_temp.refusal(format($$SELECT appointments.transition(%L, 'confirmed')$$, :'a1')), 'invalid_transition: An appointment cannot go from done to confirmed.', 'done is final');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type IN ('appointment.started', 'appointment.completed')), 2, 'started and completed are published');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(appointments.transition(:'a2', 'no_show'), 'no_show', 'confirmed to no_show');
SELECT is(pg_temp.refusal(format($$SELECT appointments.cancel(%L, 'x')$$, :'a2')), 'invalid_transition: An appointment cannot go from no_show to cancelled.', 'a no-show cannot be cancelled');

-- Reschedule moves the period with the same checks; the old time is free again.
SELECT appointments.book(:'cal', :'patient', '2027-01-11 09:00+02') AS a3 \gset
SELECT lives_ok(format($$SELECT appointments.reschedule(%L, '2027-01-11 10:00+02')$$, :'a3'), 'a reschedule to a free slot');
SELECT is((SELECT lower(period) FROM appointments.appointments WHERE id = :'a3'), '2027-01-11 10:00+02'::timestamptz, 'the period moved');
SELECT is((SELECT status FROM appointments.appointments WHERE id = :'a3'), 'confirmed', 'the status is kept');
SELECT throws_like(format($$SELECT appointments.reschedule(%L, '2027-01-11 09:30+02')$$, :'a3'), 'slot_taken', 'a reschedule off the grid is refused');
SELECT is((SELECT lower(period) FROM appointments.appointments WHERE id = :'a3'), '2027-01-11 10:00+02'::timestamptz, 'a refused reschedule changes nothing');

-- The clinic cancels with a reason: the session comes back, once.
SELECT throws_like(format($$SELECT appointments.cancel(%L, '  ')$$, :'a3'), 'invalid_field', 'the clinic gives a reason');
SELECT is(appointments.cancel(:'a3', 'Therapist ill'), TRUE, 'the clinic''s cancellation gives the session back');
SELECT is((SELECT sessions_used || '/' || status FROM catalog.patient_service_plans WHERE id = :'enrollment'), '2/active', 'the exhausted plan has the session again');
SELECT tests.clear_authentication();
SELECT is(appointments.give_back_session(:'a3'), FALSE, 'a second give-back changes nothing');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 2, 'the count is given back once');
SELECT is((SELECT count(*)::int FROM catalog.plan_consumptions WHERE appointment_id = :'a3'), 0, 'the ledger row is gone');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(pg_temp.refusal(format($$SELECT appointments.cancel(%L, 'again')$$, :'a3')), 'invalid_transition: An appointment cannot go from cancelled to cancelled.', 'a cancelled appointment stays cancelled');

-- A requested appointment (the public booking will create them) is confirmed by staff.
SELECT tests.clear_authentication();
INSERT INTO appointments.appointments (organization_id, calendar_id, service_id, specialist_id, patient_id, patient_profile_id, period, status)
SELECT
    :'org'::uuid AS organization_id, :'cal'::uuid AS calendar_id, :'service'::uuid AS service_id,
    :'s1'::uuid AS specialist_id, p.id AS patient_id, p.patient_profile_id,
    tstzrange('2027-01-18 09:00+02', '2027-01-18 10:00+02') AS period, 'requested' AS status
FROM people.patients AS p WHERE p.id = :'patient'
RETURNING id AS r1 \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(pg_temp.refusal(format($$SELECT appointments.transition(%L, 'inprogress')$$, :'r1')), 'invalid_transition: An appointment cannot go from requested to inprogress.', 'requested cannot start');
SELECT is(pg_temp.refusal(format($$SELECT appointments.transition(%L, 'no_show')$$, :'r1')), 'invalid_transition: An appointment cannot go from requested to no_show.', 'requested cannot be a no-show');
SELECT is(appointments.transition(:'r1', 'confirmed'), 'confirmed', 'requested to confirmed');

-- The patient cancels: before the window the session comes back, inside it it does not.
SELECT tests.clear_authentication();
UPDATE people.patient_profiles SET human_id = :'human_patient'
WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.book(:'cal', :'patient', '2027-01-18 10:00+02') AS a4 \gset
SELECT tests.authenticate_as(:'owner_b', NULL);
SELECT throws_like(format($$SELECT appointments.cancel_mine(%L)$$, :'a4'), 'appointment_not_found', 'another human cannot cancel the patient''s appointment');
SELECT is_empty('SELECT 1 FROM appointments.appointments', 'another human reads none of them');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT is((SELECT count(*)::int FROM appointments.appointments), 5, 'the patient reads their own appointments');
SELECT is(appointments.cancel_mine(:'a4', 'ill'), TRUE, 'cancelled by the patient before the window: the session comes back');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.book(:'cal', :'patient', '2027-01-18 11:00+02') AS a5 \gset
SELECT is((SELECT patient_service_plan_id FROM appointments.appointments WHERE id = :'a5'), :'enrollment'::uuid, 'the next booking uses the returned session');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT tests.freeze_time('2027-01-17 20:00+02');
SELECT is(appointments.cancel_mine(:'a5'), FALSE, 'cancelled by the patient inside the window: the session is used');
SELECT is((SELECT cancelled_by FROM appointments.appointments WHERE id = :'a5'), 'patient', 'the patient''s cancellation is recorded');
SELECT tests.freeze_time('2027-01-18 09:30+02');
SELECT throws_like(format($$SELECT appointments.cancel_mine(%L)$$, :'r1'), 'appointment_started', 'the patient cannot cancel after the start');
SELECT tests.freeze_time('2027-01-01 00:00+00');
SELECT tests.clear_authentication();
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 3, 'one session given back, one used');
SELECT tests.authenticate_as(:'owner', :'org');

-- Who may act: billing reads and books nothing; the request pool writes no row directly.
SELECT tests.authenticate_as(:'bill', :'org');
SELECT throws_ok(format($$SELECT appointments.book(%L, %L, '2027-01-11 11:00+02')$$, :'cal', :'patient'), '42501', NULL, 'billing cannot book');
SELECT is_empty('SELECT 1 FROM appointments.appointments', 'billing reads no appointment');
SELECT throws_ok(format($$UPDATE appointments.appointments SET status = 'cancelled' WHERE id = %L$$, :'a3'), '42501', NULL, 'no direct write');

-- Another organization sees nothing and changes nothing.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM appointments.appointments', 'B reads no appointment of A');
SELECT throws_like(format($$SELECT appointments.transition(%L, 'confirmed')$$, :'a3'), 'appointment_not_found', 'B cannot move A''s appointment');
SELECT throws_like(format($$SELECT appointments.book(%L, %L, '2027-01-11 11:00+02')$$, :'cal', :'patient'), 'calendar_not_found', 'B cannot book on A''s calendar');

SELECT * FROM finish();
ROLLBACK;
