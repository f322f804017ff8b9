-- Video rooms: the start of a video appointment queues its room in the same transaction (or
-- refuses it: no provider, no entitlement, no minutes left), the end meters it and queues its
-- deletion; the row is seen with its appointment only (the clinic, the patient), another
-- organization and another human see and change nothing, and only the system pool works it.
BEGIN;
SELECT plan(35);

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('bill@a.test') AS bill \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('patient@a.test') AS human_patient \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT billing.change_tier(:'org', 'dedicated') IS NOT NULL AS changed \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org', :'bill', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
INSERT INTO integrations.platform_service_providers (category, provider, config, enabled, is_default)
VALUES ('video', 'daily', '{"api_url": "https://api.daily.co/v1"}', TRUE, TRUE)
RETURNING id AS provider \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT tests.freeze_time('2027-01-01 00:00+00');
SELECT appointments.book(:'cal', :'patient', '2027-01-04 09:00+02', '[]', NULL, 'video') AS v1 \gset
SELECT appointments.book(:'cal', :'patient', '2027-01-04 10:00+02', '[]', NULL, 'in_clinic') AS c1 \gset
SELECT appointments.book(:'cal', :'patient', '2027-01-04 11:00+02', '[]', NULL, 'video') AS v2 \gset

-- The start queues the room; an in-clinic appointment gets none.
SELECT tests.freeze_time('2027-01-04 07:00+00');
SELECT is(appointments.transition(:'v1', 'inprogress'), 'inprogress', 'a video appointment starts');
SELECT is((SELECT state FROM appointments.video_rooms WHERE appointment_id = :'v1'), 'pending', 'its room is queued, not asked of the provider');
SELECT is((SELECT provider_id FROM appointments.video_rooms WHERE appointment_id = :'v1'), :'provider'::uuid, 'the resolved provider account is recorded');
SELECT is((SELECT expires_at FROM appointments.video_rooms WHERE appointment_id = :'v1'), '2027-01-04 12:00+02'::timestamptz, 'the room expires two hours after the booked end');
SELECT is(appointments.transition(:'c1', 'inprogress'), 'inprogress', 'an in-clinic appointment starts');
SELECT ok(NOT EXISTS (SELECT 1 FROM appointments.video_rooms WHERE appointment_id = :'c1'), 'an in-clinic appointment has no room row');
SELECT throws_like(format($$SELECT * FROM appointments.video_join(%L)$$, :'v1'), 'video_room_not_ready', 'a pending room cannot be joined');

-- Only the system pool claims and records; the worker's outcome creates the room.
SELECT throws_ok($$SELECT * FROM appointments.video_rooms_claim('w', 10, '1 minute')$$, '42501', NULL, 'the request pool cannot claim rooms');
SELECT throws_ok(format($$SELECT appointments.video_room_record(%L, 'w', 'create', TRUE, FALSE, 'https://x.daily.co/r', NULL)$$, :'v1'), '42501', NULL, 'the request pool cannot record outcomes');
SELECT throws_ok(format($$UPDATE appointments.video_rooms SET state = 'created' WHERE appointment_id = %L$$, :'v1'), '42501', NULL, 'no direct write');
SELECT throws_ok(format($$DELETE FROM appointments.video_rooms WHERE appointment_id = %L$$, :'v1'), '42501', NULL, 'no direct delete');
SELECT tests.authenticate_as_system();
SELECT throws_ok($$SELECT * FROM appointments.video_rooms_claim('', 10, '1 minute')$$, '22023', NULL, 'a claim names its worker');
SELECT throws_ok($$SELECT * FROM appointments.video_rooms_claim('w', 0, '1 minute')$$, '22023', NULL, 'a claim takes 1 to 1000 rooms');
SELECT throws_ok($$SELECT * FROM appointments.video_rooms_claim('w', 10, '1 hour')$$, '22023', NULL, 'a lease is at most 15 minutes');
SELECT throws_ok(format($$SELECT appointments.video_room_record(%L, 'w', 'update', TRUE, FALSE, NULL, NULL)$$, :'v1'), '22023', NULL, 'an outcome is of a create or a delete');
SELECT throws_ok(format($$SELECT appointments.video_room_record(%L, 'w', 'create', TRUE, FALSE, repeat('x', 501), NULL)$$, :'v1'), '22023', NULL, 'a created room has a URL of at most 500 characters');
SELECT is((SELECT count(*)::int FROM appointments.video_rooms_claim('w', 10, '1 minute')), 1, 'the system pool claims the due room');
SELECT is((SELECT count(*)::int FROM appointments.video_rooms_claim('w2', 10, '1 minute')), 0, 'a leased room is not claimed twice');
SELECT is(appointments.video_room_record((SELECT id FROM appointments.video_rooms WHERE appointment_id = :'v1'), 'w2', 'create', TRUE, FALSE, 'https://x.daily.co/r', NULL), NULL, 'another worker''s outcome is ignored');
SELECT is(appointments.video_room_record((SELECT id FROM appointments.video_rooms WHERE appointment_id = :'v1'), 'w', 'create', TRUE, FALSE, 'https://x.daily.co/r', NULL), 'created', 'the holder records the creation');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.video_room_created'), 1, 'appointment.video_room_created is published');

-- The clinic and the patient see the room; billing, B and another human do not.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is((SELECT room_url FROM appointments.video_join(:'v1')), 'https://x.daily.co/r', 'the clinic joins the created room');
SELECT is((SELECT count(*)::int FROM appointments.video_rooms), 1, 'the clinic reads its room');
SELECT tests.clear_authentication();
UPDATE people.patient_profiles SET human_id = :'human_patient'
WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT is((SELECT room_url FROM appointments.my_video_join(:'v1')), 'https://x.daily.co/r', 'the patient joins their room');
SELECT is((SELECT count(*)::int FROM appointments.video_rooms), 1, 'the patient reads their room');
SELECT tests.authenticate_as(:'bill', :'org');
SELECT is_empty('SELECT 1 FROM appointments.video_rooms', 'billing reads no room');
SELECT throws_ok(format($$SELECT * FROM appointments.video_join(%L)$$, :'v1'), '42501', NULL, 'billing cannot join');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM appointments.video_rooms', 'B reads no room of A');
SELECT throws_like(format($$SELECT * FROM appointments.video_join(%L)$$, :'v1'), 'appointment_not_found', 'B cannot join A''s room');
SELECT tests.authenticate_as(:'owner_b', NULL);
SELECT throws_like(format($$SELECT * FROM appointments.my_video_join(%L)$$, :'v1'), 'appointment_not_found', 'another human cannot join the patient''s room');

-- The end meters the minutes and queues the deletion.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT tests.freeze_time('2027-01-04 07:40+00');
SELECT is(appointments.transition(:'v1', 'done'), 'done', 'the appointment ends');
SELECT tests.clear_authentication();
SELECT is((SELECT (state, minutes, metered_minutes)::text FROM appointments.video_rooms WHERE appointment_id = :'v1'), '(deleting,40,40)', 'forty minutes metered, the room queued for deletion');
SELECT is((SELECT quantity::int FROM metering.usage_rollups WHERE organization_id = :'org' AND meter = 'video_minutes'), 40, 'the minutes count against video.minutes');

-- No provider: the start still succeeds and the room fails with its reason.
DELETE FROM integrations.platform_service_providers;
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(appointments.transition(:'v2', 'inprogress'), 'inprogress', 'the start does not depend on a provider');
SELECT tests.clear_authentication();
SELECT is((SELECT state FROM appointments.video_rooms WHERE appointment_id = :'v2'), 'failed', 'without a provider the room fails');

SELECT * FROM finish();
ROLLBACK;
