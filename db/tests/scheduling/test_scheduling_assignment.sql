-- Assignment strategies among the specialists free at a start, the tracking they read, and
-- the availability function's own refusals (dates, span, zones).
BEGIN;
SELECT plan(17);

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT people.create_specialist('Dan', NULL, NULL, 'Europe/Bucharest', TRUE) AS s2 \gset
SELECT people.create_specialist('Ema', NULL, NULL, 'Europe/Bucharest', TRUE) AS s3 \gset
SELECT scheduling.add_weekly_hours(s, 1, '09:00', '12:00') FROM unnest(ARRAY[:'s1', :'s2', :'s3']::uuid []) AS s;
SELECT scheduling.create_calendar(format('{"name": "RR", "slug": "rr", "service_id": "%s"}', :'service')::jsonb) AS rr \gset
SELECT scheduling.create_calendar(format('{"name": "P", "slug": "p", "service_id": "%s", "assignment_strategy": "priority"}', :'service')::jsonb) AS pr \gset
SELECT scheduling.create_calendar(format('{"name": "C", "slug": "c", "service_id": "%s", "assignment_strategy": "patient_choice"}', :'service')::jsonb) AS pc \gset
SELECT scheduling.set_calendar_specialist(:'rr', :'s1', 3);
SELECT scheduling.set_calendar_specialist(:'rr', :'s2', 1);
SELECT scheduling.set_calendar_specialist(:'rr', :'s3', 2);
SELECT scheduling.set_calendar_specialist(:'pr', :'s1', 2);
SELECT scheduling.set_calendar_specialist(:'pr', :'s2', 1);
SELECT scheduling.set_calendar_specialist(:'pc', :'s1', 1);
SELECT scheduling.set_calendar_specialist(:'pc', :'s2', 1);
SELECT tests.clear_authentication();
SELECT tests.freeze_time('2027-01-01 00:00+00');

-- Round robin: never assigned first, ties by priority (s2 = 1, s3 = 2, s1 = 3).
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:00+02'), :'s2'::uuid, 'round robin: nobody assigned yet, the highest priority');
SELECT scheduling.record_assignment(:'rr', :'s2');
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:00+02'), :'s3'::uuid, 'round robin: the never-assigned come before the assigned');
SELECT scheduling.record_assignment(:'rr', :'s3');
SELECT scheduling.record_assignment(:'rr', :'s1');
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:00+02'), :'s2'::uuid, 'round robin: then the least recently assigned');
SELECT is((SELECT assignment_count FROM scheduling.specialist_assignment_tracking WHERE calendar_id = :'rr' AND specialist_id = :'s2'), 1, 'an assignment is counted');
-- A date override takes s2 off: round robin honours it.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT scheduling.set_override(:'s2', '2027-01-04', TRUE) IS NOT NULL AS set \gset
SELECT tests.clear_authentication();
SELECT tests.freeze_time('2027-01-01 00:00+00');
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:00+02'), :'s3'::uuid, 'round robin skips a specialist whose override takes the day off');
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:00+02', jsonb_build_array(jsonb_build_object(
    'specialist_id', :'s3', 'start', '2027-01-04T07:00:00Z', 'end', '2027-01-04T08:00:00Z'))),
    :'s1'::uuid, 'round robin skips a specialist a live hold makes busy');
SELECT is(scheduling.pick_specialist(:'rr', '2027-01-04 09:30+02'), NULL, 'a start off the slot grid gets nobody');

-- Priority: the highest priority free; ties by least recently assigned.
SELECT is(scheduling.pick_specialist(:'pr', '2027-01-11 09:00+02'), :'s2'::uuid, 'priority: the highest priority');
SELECT is(scheduling.pick_specialist(:'pr', '2027-01-04 09:00+02'), :'s1'::uuid, 'priority: the next when the first is off');

-- Patient choice: the requested specialist, who must be free.
SELECT is(scheduling.pick_specialist(:'pc', '2027-01-11 09:00+02', '[]', :'s1'), :'s1'::uuid, 'patient choice: the requested specialist');
SELECT is(scheduling.pick_specialist(:'pc', '2027-01-04 09:00+02', '[]', :'s2'), NULL, 'patient choice: nobody when the requested one is not free');
SELECT is(scheduling.pick_specialist(:'pc', '2027-01-11 09:00+02'), NULL, 'patient choice: nobody when nobody is requested');

-- The availability function refuses bad queries, naming the parameter.
SELECT throws_like(format($$SELECT * FROM scheduling.availability(%L, '2027-01-05', '2027-01-04', NULL)$$, :'rr'),
    'invalid_query', 'to before from is refused');
SELECT throws_like(format($$SELECT * FROM scheduling.availability(%L, '2027-01-01', '2027-03-04', NULL)$$, :'rr'),
    'invalid_query', '63 dates are refused');
SELECT lives_ok(format($$SELECT * FROM scheduling.availability(%L, '2027-01-01', '2027-03-03', NULL)$$, :'rr'),
    '62 dates are allowed');
SELECT is(
    (SELECT count(*)::int FROM unnest(ARRAY['europe/london', 'posix/Europe/London', 'localtime', 'EST', 'CET', 'Nowhere/City']) AS z (name)
     WHERE EXISTS (SELECT 1 FROM scheduling.time_zones AS t WHERE t.name = z.name)),
    0, 'wrong case, posix/, localtime, abbreviations and unknown names are not zones');
SELECT is(
    (SELECT count(*)::int FROM unnest(ARRAY['Europe/London', 'America/New_York', 'UTC', 'Asia/Kolkata']) AS z (name)
     WHERE EXISTS (SELECT 1 FROM scheduling.time_zones AS t WHERE t.name = z.name)),
    4, 'IANA names in their exact case are zones');

SELECT * FROM finish();
ROLLBACK;
