-- A patient's own upload of an appointment file (or a caregiver's who books for them): the
-- grant, the confirm's lock, keep and refusal; who may, which appointments still take files,
-- the 20-file cap, the clinic's storage limit; another human and another organization's
-- member upload nothing.
BEGIN;
SELECT plan(39);

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('patient@a.test') AS human_patient \gset
SELECT tests.create_human('other@a.test') AS human_other \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.create_human('stranger@x.test') AS stranger \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT people.create_patient('Ion', 'Pop') AS patient \gset
SELECT people.create_patient('Ana', 'Ionescu') AS patient_other \gset
SELECT people.add_caregiver(:'patient', 'mum@home.test', 'parent', ARRAY['book']) IS NOT NULL AS added \gset
SELECT people.add_caregiver(:'patient', 'aunt@home.test', 'relative', ARRAY['view_records']) IS NOT NULL AS added \gset
SELECT tests.clear_authentication();
UPDATE people.patient_profiles SET human_id = :'human_patient'
WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient');
UPDATE people.patient_profiles SET human_id = :'human_other'
WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient_other');
SELECT tests.freeze_time('2027-01-01 00:00+00');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.book(:'cal', :'patient', '2027-01-04 09:00+02') AS a1 \gset
SELECT appointments.book(:'cal', :'patient', '2027-01-04 10:00+02') AS a2 \gset
SELECT appointments.book(:'cal', :'patient_other', '2027-01-04 11:00+02') AS a3 \gset
SELECT appointments.cancel(:'a2', 'The patient called') IS NOT NULL AS cancelled \gset
SELECT tests.clear_authentication();

-- The patient uploads: a pending file of the clinic, uploaded by them, confirmed by them.
SELECT format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()) AS k1 \gset
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT appointments.begin_my_file_upload(:'a1', :'k1', 'application/pdf', util.now() + interval '5 minutes') AS f1 \gset
SELECT is((SELECT purpose FROM appointments.pending_my_file_upload(:'a1', :'f1')), 'appointment_file', 'the confirm locks the patient''s pending upload');
SELECT lives_ok(format($$SELECT appointments.complete_my_file_upload(%L, %L, %L, 'application/pdf', 1000, repeat('0', 64))$$,
    :'a1', :'f1', :'k1' || '.pdf'), 'the patient''s checked file is kept');
SELECT is((SELECT count(*)::int FROM appointments.my_files(:'a1')), 1, 'the patient lists it');
SELECT throws_like(format($$SELECT appointments.pending_my_file_upload(%L, %L)$$, :'a1', :'f1'), 'file_not_pending', 'a kept file is not confirmed again');
SELECT throws_like(format($$SELECT appointments.complete_my_file_upload(%L, %L, 'x', 'application/pdf', 1, repeat('0', 64))$$, :'a1', :'f1'),
    'file_not_pending', 'nor kept again');
SELECT tests.clear_authentication();
SELECT is((SELECT organization_id FROM storage.files WHERE id = :'f1'), :'org'::uuid, 'the file belongs to the clinic');
SELECT is((SELECT uploaded_by FROM storage.files WHERE id = :'f1'), :'human_patient'::uuid, 'its uploader is recorded');
SELECT is((SELECT status FROM storage.files WHERE id = :'f1'), 'ready', 'the file is ready');
SELECT is((SELECT created_by FROM appointments.appointment_files WHERE file_id = :'f1'), :'human_patient'::uuid, 'the link records who attached it');
SELECT is((SELECT organization_id FROM events.outbox WHERE type = 'appointment.file_added'), :'org'::uuid, 'file_added is published in the clinic');
SELECT is((SELECT payload ->> 'size_bytes' FROM events.outbox WHERE type = 'appointment.file_added'), '1000', 'with the checked size');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is((SELECT uploaded_by FROM appointments.files_of(:'a1')), :'human_patient'::uuid, 'the clinic reads the patient''s file');

-- A caregiver who books uploads too; only the uploader confirms an upload.
SELECT tests.authenticate_as(:'mum', NULL);
SELECT appointments.begin_my_file_upload(:'a1', format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()),
    'image/png', util.now() + interval '5 minutes') AS f_mum \gset
SELECT is((SELECT declared_mime FROM appointments.pending_my_file_upload(:'a1', :'f_mum')), 'image/png', 'a caregiver who books uploads');
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT throws_like(format($$SELECT appointments.pending_my_file_upload(%L, %L)$$, :'a1', :'f_mum'), 'file_not_found', 'the patient does not confirm the caregiver''s upload');
SELECT throws_like(format($$SELECT appointments.reject_my_file_upload(%L, %L, 'mime_mismatch')$$, :'a1', :'f_mum'), 'file_not_found', 'nor refuse it');
SELECT throws_like(format($$SELECT appointments.pending_my_file_upload(%L, %L)$$, :'a1', gen_random_uuid()), 'file_not_found', 'an unknown upload is not found');

-- Who may not: a caregiver who only views records, another patient, a stranger, the clinic's
-- member (not the patient), another organization's owner.
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'a caregiver without book does not upload');
SELECT tests.authenticate_as(:'human_other', NULL);
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'another patient does not upload to this appointment');
SELECT throws_like(format($$SELECT appointments.pending_my_file_upload(%L, %L)$$, :'a1', :'f_mum'), 'appointment_not_found', 'nor confirm on it');
SELECT tests.authenticate_as(:'stranger', NULL);
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'a stranger does not upload');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'the clinic''s owner is not the patient');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'appointment_not_found', 'another organization''s owner does not upload');
SELECT throws_like(format($$SELECT appointments.complete_my_file_upload(%L, %L, 'x', 'application/pdf', 1, repeat('0', 64))$$, :'a1', :'f_mum'),
    'appointment_not_found', 'nor keep an upload');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM storage.files WHERE purpose = 'appointment_file'), 2, 'no refused caller left a pending file');

-- The key lies under the appointment's organization; a deadline lies within ten minutes.
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT throws_ok(format($$SELECT appointments.begin_my_file_upload(%L, %L, 'application/pdf', util.now() + interval '5 minutes')$$,
    :'a1', format('orgs/%s/appointment_file/%s', :'org_b', gen_random_uuid())), '23514', NULL, 'a key under another organization is refused');
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, %L, 'application/pdf', util.now() + interval '1 day')$$,
    :'a1', format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid())), 'upload_deadline_invalid', 'a far deadline is refused');

-- A cancelled appointment takes no new file.
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a2'),
    'appointment_closed', 'a cancelled appointment takes no file');
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, gen_random_uuid()),
    'appointment_not_found', 'an unknown appointment takes none');

-- A refusal: the pending file is rejected with its reason.
SELECT appointments.begin_my_file_upload(:'a1', format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()),
    'application/pdf', util.now() + interval '5 minutes') AS f_bad \gset
SELECT lives_ok(format($$SELECT appointments.reject_my_file_upload(%L, %L, 'mime_mismatch', 'text/plain', 12)$$, :'a1', :'f_bad'),
    'the patient''s refused upload is recorded');
SELECT tests.clear_authentication();
SELECT is((SELECT status || ':' || rejection_reason FROM storage.files WHERE id = :'f_bad'), 'rejected:mime_mismatch', 'as rejected with the reason');
SELECT is((SELECT organization_id FROM events.outbox WHERE type = 'file.rejected' AND payload ->> 'file_id' = :'f_bad'), :'org'::uuid,
    'file.rejected is published in the clinic');

-- The clinic's storage limit: the patient learns only which limit refused them.
SELECT billing.grant_override(:'org', NULL, 'storage.bytes', NULL, 1500, 'tiny') IS NOT NULL AS granted \gset
SELECT format('orgs/%s/appointment_file/%s', :'org', gen_random_uuid()) AS k_big \gset
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT appointments.begin_my_file_upload(:'a1', :'k_big', 'application/pdf', util.now() + interval '5 minutes') AS f_big \gset
SELECT throws_ok(format($$SELECT appointments.complete_my_file_upload(%L, %L, %L, 'application/pdf', 1000, repeat('0', 64))$$,
    :'a1', :'f_big', :'k_big' || '.pdf'), 'P0001', 'limit_exceeded',
    'the clinic''s full storage refuses the patient''s file');
SELECT tests.clear_authentication();
SELECT is((SELECT status FROM storage.files WHERE id = :'f_big'), 'pending', 'the refused completion keeps nothing');

-- At most 20 files on one appointment, at the grant and again at the confirm.
INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, status, detected_mime, size_bytes, sha256, verified_at, upload_expires_at)
SELECT
    :'org'::uuid AS organization_id, 'appointment_file' AS purpose,
    format('orgs/%s/appointment_file/%s.pdf', :'org', gen_random_uuid()) AS object_key, 'application/pdf' AS declared_mime,
    'ready' AS status, 'application/pdf' AS detected_mime, 1 AS size_bytes, repeat('0', 64) AS sha256,
    util.now() AS verified_at, util.now() + interval '5 minutes' AS upload_expires_at
FROM generate_series(1, 19);
INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id)
SELECT :'org'::uuid, :'a1'::uuid, f.id FROM storage.files AS f
WHERE f.organization_id = :'org' AND f.purpose = 'appointment_file' AND f.status = 'ready' AND f.id <> :'f1';
SELECT tests.authenticate_as(:'human_patient', NULL);
SELECT throws_like(format($$SELECT appointments.begin_my_file_upload(%L, 'orgs/x', 'application/pdf', util.now() + interval '5 minutes')$$, :'a1'),
    'too_many_appointment_files', 'a full appointment takes no new upload');
SELECT throws_like(format($$SELECT appointments.pending_my_file_upload(%L, %L)$$, :'a1', :'f_big'),
    'too_many_appointment_files', 'nor the confirm of an earlier grant, before its bytes are read');
SELECT throws_like(format($$SELECT appointments.complete_my_file_upload(%L, %L, 'x', 'application/pdf', 1, repeat('0', 64))$$, :'a1', :'f_big'),
    'too_many_appointment_files', 'nor its completion');

-- The app role writes no link and calls no internal helper.
SELECT throws_ok(format($$INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id) VALUES (%L, %L, %L)$$, :'org', :'a1', :'f_big'),
    '42501', NULL, 'no direct write of the links');
SELECT throws_ok(format($$SELECT appointments.lock_my_file_upload(%L, %L)$$, :'a1', :'f_big'), '42501', NULL, 'the lock is internal');
SELECT throws_ok(format($$SELECT appointments.lock_my_appointment_for_files(%L)$$, :'a1'), '42501', NULL, 'so is the appointment''s');

SELECT * FROM finish();
ROLLBACK;
