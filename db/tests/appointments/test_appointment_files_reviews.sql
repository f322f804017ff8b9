-- Appointment files and reviews: who may attach, read and remove files; the patient (or a
-- caregiver who books for them) reads theirs and reviews a done appointment once; another
-- organization's member and another human see nothing and change nothing; every refusal.
BEGIN;
SELECT plan(69);

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('bill@a.test') AS bill \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('patient@a.test') AS human_patient \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.create_human('stranger@x.test') AS stranger \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org', :'bill', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT people.add_caregiver(:'patient', 'mum@home.test', 'parent', ARRAY['book']) IS NOT NULL AS added \gset
SELECT people.add_caregiver(:'patient', 'aunt@home.test', 'relative', ARRAY['view_records']) IS NOT NULL AS added \gset
SELECT tests.clear_authentication();
UPDATE people.patient_profiles SET human_id = :'human_patient'
WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient');
SELECT tests.freeze_time('2027-01-01 00:00+00');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.book(:'cal', :'patient', '2027-01-04 09:00+02') AS a1 \gset
SELECT appointments.book(:'cal', :'patient', '2027-01-04 10:00+02') AS a2 \gset

-- Files: an upload grant, the confirm's completion (as the API does after reading the bytes
-- back), the attachment and its event.
SELECT appointments.begin_file_upload(:'a1', format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()),
    'application/pdf', util.now() + interval '5 minutes') AS f1 \gset
SELECT is((SELECT status FROM storage.files WHERE id = :'f1'), 'pending', 'the grant is a pending file');
SELECT lives_ok(format($$SELECT storage.complete_upload(%L, (SELECT object_key || '.pdf' FROM storage.files WHERE id = %L),
    'application/pdf', 1000, repeat('0', 64))$$, :'f1', :'f1'), 'the appointment manager completes the upload');
SELECT lives_ok(format($$SELECT appointments.attach_file(%L, %L)$$, :'a1', :'f1'), 'the file is attached');
SELECT lives_ok(format($$SELECT appointments.attach_file(%L, %L)$$, :'a1', :'f1'), 'attaching it again changes nothing');
SELECT is((SELECT count(*)::int FROM appointments.files_of(:'a1')), 1, 'the clinic reads the appointment''s file');
SELECT is((SELECT count(*)::int FROM appointments.appointment_files), 1, 'the clinic reads the link');
SELECT throws_like(format($$SELECT appointments.attach_file(%L, %L)$$, :'a2', :'f1'), 'file_in_use', 'one file belongs to one appointment');
SELECT appointments.begin_file_upload(:'a1', format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()),
    'image/png', util.now() + interval '5 minutes') AS f_pending \gset
SELECT throws_like(format($$SELECT appointments.attach_file(%L, %L)$$, :'a1', :'f_pending'), 'file_not_found', 'an unchecked upload is not attached');
SELECT throws_like(format($$SELECT appointments.attach_file(%L, %L)$$, :'a1', gen_random_uuid()), 'file_not_found', 'an unknown file is not attached');
SELECT throws_like(format($$SELECT appointments.begin_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, gen_random_uuid()),
    'appointment_not_found', 'an upload for an unknown appointment is refused');
SELECT throws_like(format($$SELECT appointments.files_of(%L)$$, gen_random_uuid()), 'appointment_not_found', 'an unknown appointment has no files to list');
SELECT throws_like(format($$SELECT appointments.remove_file(%L, %L)$$, :'a2', :'f1'), 'file_not_found', 'a file is removed only from its own appointment');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.file_added'), 1, 'file_added is published once');
SELECT is((SELECT payload ->> 'content_type' FROM events.outbox WHERE type = 'appointment.file_added'), 'application/pdf', 'file_added carries the checked type');

-- At most 20 files on one appointment.
INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, status, detected_mime, size_bytes, sha256, verified_at, upload_expires_at)
SELECT
    :'org'::uuid AS organization_id, 'appointment_file' AS purpose,
    format('orgs/%s/appointment_file/%s.pdf', :'org', gen_random_uuid()) AS object_key, 'application/pdf' AS declared_mime,
    'ready' AS status, 'application/pdf' AS detected_mime, 10 AS size_bytes, repeat('0', 64) AS sha256,
    util.now() AS verified_at, util.now() + interval '5 minutes' AS upload_expires_at
FROM generate_series(1, 19);
INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id)
SELECT :'org'::uuid, :'a1'::uuid, f.id FROM storage.files AS f
WHERE f.organization_id = :'org' AND f.purpose = 'appointment_file' AND f.status = 'ready' AND f.id <> :'f1';
SELECT tests.authenticate_as(:'owner', :'org');
SELECT throws_like(format($$SELECT appointments.begin_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'too_many_appointment_files', 'an appointment carries at most 20 files');
SELECT tests.clear_authentication();
DELETE FROM appointments.appointment_files WHERE appointment_id = :'a1' AND file_id <> :'f1';

-- Billing holds no appointments permission: it uploads, reads and removes nothing.
SELECT tests.authenticate_as(:'bill', :'org');
SELECT throws_ok(format($$SELECT appointments.begin_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    '42501', NULL, 'billing cannot upload an appointment file');
SELECT throws_like(format($$SELECT appointments.files_of(%L)$$, :'a1'), 'appointment_not_found', 'billing lists no appointment file');
SELECT is_empty('SELECT 1 FROM appointments.appointment_files', 'billing reads no link');
SELECT throws_ok(format($$SELECT appointments.remove_file(%L, %L)$$, :'a1', :'f1'), '42501', NULL, 'billing cannot remove a file');
SELECT throws_ok(format($$DELETE FROM appointments.appointment_files WHERE file_id = %L$$, :'f1'), '42501', NULL, 'no direct write of the links');

-- Another organization sees nothing and changes nothing.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM appointments.appointment_files', 'B reads no link of A');
SELECT throws_like(format($$SELECT appointments.files_of(%L)$$, :'a1'), 'appointment_not_found', 'B lists no file of A''s appointment');
SELECT throws_like(format($$SELECT appointments.remove_file(%L, %L)$$, :'a1', :'f1'), 'appointment_not_found', 'B cannot remove A''s file');
SELECT throws_like(format($$SELECT appointments.attach_file(%L, %L)$$, :'a1', :'f1'), 'appointment_not_found', 'B cannot attach to A''s appointment');
SELECT throws_like(format($$SELECT appointments.begin_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'B cannot upload to A''s appointment');
SELECT throws_like(format($$SELECT appointments.my_files(%L)$$, :'a1'), 'appointment_not_found', 'B''s owner is not the patient');

-- The patient and a caregiver who books read the files; a caregiver who only views records,
-- and a stranger, do not; the patient writes no file.
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT is((SELECT count(*)::int FROM appointments.my_files(:'a1')), 1, 'the patient reads the file of their appointment');
SELECT is((SELECT organization_id FROM appointments.my_files(:'a1')), :'org'::uuid, 'with the organization that keeps it');
SELECT throws_ok(format($$SELECT appointments.remove_file(%L, %L)$$, :'a1', :'f1'), '42501', NULL, 'the patient cannot remove the clinic''s file');
SELECT throws_ok(format($$SELECT appointments.begin_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    '42501', NULL, 'the patient does not use the clinic''s upload');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT is((SELECT count(*)::int FROM appointments.my_files(:'a1')), 1, 'a caregiver who books reads it');
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT throws_like(format($$SELECT appointments.my_files(%L)$$, :'a1'), 'appointment_not_found', 'a caregiver who only views records does not');
SELECT tests.authenticate_as(:'stranger', NULL);
SELECT throws_like(format($$SELECT appointments.my_files(%L)$$, :'a1'), 'appointment_not_found', 'a stranger does not');

-- Removal: a soft delete of the link, the file retired for the sweep, the events.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT lives_ok(format($$SELECT appointments.remove_file(%L, %L)$$, :'a1', :'f1'), 'the clinic removes the file');
SELECT is_empty(format('SELECT 1 FROM appointments.files_of(%L)', :'a1'), 'the appointment lists no file');
SELECT throws_like(format($$SELECT appointments.remove_file(%L, %L)$$, :'a1', :'f1'), 'file_not_found', 'a removed file cannot be removed again');
SELECT tests.clear_authentication();
SELECT isnt((SELECT deleted_at FROM appointments.appointment_files WHERE file_id = :'f1'), NULL, 'the link is kept, deleted');
SELECT isnt((SELECT deleted_at FROM storage.files WHERE id = :'f1'), NULL, 'the file is retired');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.file_removed'), 1, 'file_removed is published');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'file.deleted'), 1, 'and file.deleted');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT is_empty(format('SELECT 1 FROM appointments.my_files(%L)', :'a1'), 'the patient no longer sees it');

-- Reviews: only a done appointment, by the patient or a caregiver who books, once.
SELECT throws_like(format($$SELECT appointments.review(%L, 5)$$, :'a1'), 'appointment_not_done', 'a confirmed appointment is not reviewed');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(appointments.transition(:'a1', 'inprogress'), 'inprogress', 'the visit starts');
SELECT is(appointments.transition(:'a1', 'done'), 'done', 'and is done');
SELECT throws_like(format($$SELECT appointments.review(%L, 5)$$, :'a1'), 'appointment_not_found', 'a clinic member is not the patient');
SELECT tests.authenticate_as(:'stranger', NULL);
SELECT throws_like(format($$SELECT appointments.review(%L, 5)$$, :'a1'), 'appointment_not_found', 'a stranger cannot review it');
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT throws_like(format($$SELECT appointments.review(%L, 5)$$, :'a1'), 'appointment_not_found', 'a caregiver who only views records cannot review it');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT throws_like(format($$SELECT appointments.review(%L, 0)$$, :'a1'), 'invalid_field', 'zero stars are refused');
SELECT throws_like(format($$SELECT appointments.review(%L, 6)$$, :'a1'), 'invalid_field', 'six stars are refused');
SELECT throws_like(format($$SELECT appointments.review(%L, NULL)$$, :'a1'), 'invalid_field', 'stars are required');
SELECT throws_like(format($$SELECT appointments.review(%L, 4, repeat('x', 2001))$$, :'a1'), 'invalid_field', 'a comment of more than 2000 characters is refused');
SELECT throws_like(format($$SELECT appointments.review(%L, 4)$$, gen_random_uuid()), 'appointment_not_found', 'an unknown appointment is refused');
SELECT isnt(appointments.review(:'a1', 4, '  Felt much better: my back pain is gone.  '), NULL, 'the patient reviews the done appointment');
SELECT is((SELECT comment FROM appointments.appointment_reviews WHERE appointment_id = :'a1'), 'Felt much better: my back pain is gone.', 'the patient reads their review, trimmed');
SELECT throws_ok(format($$INSERT INTO appointments.appointment_reviews (organization_id, appointment_id, stars) VALUES (%L, %L, 1)$$, :'org', :'a2'),
    '42501', NULL, 'no direct write of reviews');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT throws_like(format($$SELECT appointments.review(%L, 1)$$, :'a1'), 'review_exists', 'a second review of the same appointment is refused');
SELECT is((SELECT stars FROM appointments.appointment_reviews WHERE appointment_id = :'a1'), 4::smallint, 'the caregiver who books reads the review');
SELECT tests.authenticate_as(:'stranger', NULL);
SELECT is_empty('SELECT 1 FROM appointments.appointment_reviews', 'a stranger reads no review');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.transition(:'a2', 'inprogress') IS NOT NULL AS moved \gset
SELECT appointments.transition(:'a2', 'done') IS NOT NULL AS moved \gset
SELECT tests.authenticate_as(:'mum', NULL);
SELECT isnt(appointments.review(:'a2', 2, ''), NULL, 'the caregiver who books reviews another done appointment');
SELECT tests.clear_authentication();
SELECT is((SELECT reviewed_by FROM appointments.appointment_reviews WHERE appointment_id = :'a2'), :'mum'::uuid, 'the review records who wrote it');
SELECT is((SELECT comment FROM appointments.appointment_reviews WHERE appointment_id = :'a2'), NULL, 'an empty comment is none');
SELECT is((SELECT array_agg(payload ->> 'stars' ORDER BY position) FROM events.outbox WHERE type = 'appointment.reviewed' AND organization_id = :'org'),
    ARRAY['4', '2'], 'every review publishes reviewed in its organization');
SELECT is((SELECT array_agg(payload ->> 'appointment_id' ORDER BY position) FROM events.outbox WHERE type = 'appointment.review_low'),
    ARRAY[:'a2'], 'only the review of 2 stars publishes review_low');
SELECT ok((SELECT bool_and(NOT payload ? 'comment') FROM events.outbox WHERE type LIKE 'appointment.review%'), 'no event carries the comment');
SELECT is((SELECT new_values ->> 'comment' FROM audit.audit_log WHERE entity_type = 'appointments.appointment_reviews'
    AND new_values ->> 'appointment_id' = :'a1'), '[redacted]', 'the audit log keeps that the comment was written, never its text');

-- Staff read reviews; billing and another organization read none.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is((SELECT count(*)::int FROM appointments.appointment_reviews), 2, 'the clinic reads its reviews');
SELECT tests.authenticate_as(:'bill', :'org');
SELECT is_empty('SELECT 1 FROM appointments.appointment_reviews', 'billing reads no review');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM appointments.appointment_reviews', 'B reads no review of A');
SELECT throws_like(format($$SELECT appointments.review(%L, 1)$$, :'a1'), 'appointment_not_found', 'B''s owner cannot review A''s appointment');

SELECT * FROM finish();
ROLLBACK;
