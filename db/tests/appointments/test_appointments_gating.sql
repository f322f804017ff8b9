-- Self-booking and consent and forms gating: a patient and a booking caregiver book a public
-- calendar (requested, or confirmed when it auto-confirms), a plan session used without
-- plans.enroll and given back on the patient's early cancellation; then the clinic's terms and
-- privacy notice and a required before-booking form gate every booking path, pending forms are
-- made once, another patient's signed form does not count, and a withdrawal blocks again.
BEGIN;
SELECT plan(65);

-- The code, and the HINT (the API's details) of a refusal.
CREATE FUNCTION pg_temp.refusal(p_sql text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_hint text;
BEGIN
    EXECUTE p_sql;
    RETURN '{"code": "none"}';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_hint = PG_EXCEPTION_HINT;
    RETURN jsonb_build_object('code', SQLERRM, 'details', CASE WHEN v_hint LIKE '{%' THEN v_hint::jsonb END);
END;
$$;

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('ana@home.test') AS ana \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
INSERT INTO people.patient_profiles (human_id, first_name, last_name) VALUES (:'ana', 'Ana', 'Pop') RETURNING id AS ana_profile \gset
INSERT INTO people.patient_profiles (first_name, last_name) VALUES ('Matei', 'Pop') RETURNING id AS child_profile \gset
INSERT INTO people.patient_caregivers (patient_profile_id, caregiver_human_id, relationship, permissions)
VALUES (:'child_profile', :'mum', 'parent', ARRAY['book', 'sign_forms']),
       (:'child_profile', :'aunt', 'relative', ARRAY['sign_forms', 'view_records']);
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org', :'ana_profile') RETURNING id AS ana_patient \gset
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org', :'child_profile') RETURNING id AS child_patient \gset

SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "service_id": "%s", "public": true}', :'service')::jsonb) AS cal \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT scheduling.create_calendar(format('{"name": "Inside", "slug": "inside", "service_id": "%s"}', :'service')::jsonb) AS private_cal \gset
SELECT scheduling.set_calendar_specialist(:'private_cal', :'s1', 1);
SELECT people.create_patient('Ion', 'Pop') AS ion \gset
SELECT catalog.create_plan('session_pack', format(
    '{"name": "Three", "price_amount": 1, "currency": "RON", "sessions_total": 3, "validity_days": 90, "service_ids": ["%s"]}',
    :'service')::jsonb) AS plan \gset
SELECT catalog.enroll_patient(:'ana_patient', :'plan', '2026-12-01 00:00+00') AS enrollment \gset
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT catalog.create_service('{"name": "Physio B", "duration_minutes": 60, "currency": "RON"}') AS service_b \gset
SELECT scheduling.create_calendar(format('{"name": "B", "slug": "b", "service_id": "%s", "public": true}', :'service_b')::jsonb) AS cal_b \gset
SELECT tests.freeze_time('2027-01-01 00:00+00');

-- Calendar settings: auto_confirm and the cancellation window, validated.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is((SELECT auto_confirm::text || '/' || cancellation_window_hours FROM scheduling.calendars WHERE id = :'cal'), 'false/24',
    'a new calendar asks for confirmation and keeps a 24-hour window');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"cancellation_window_hours": 721}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a window over 720 hours is refused');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"cancellation_window_hours": -1}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a negative window is refused');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"cancellation_window_hours": 1.5}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a window is whole hours');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"cancellation_window_hours": "24"}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a window is a number');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"auto_confirm": "yes"}')$$, :'cal')) ->> 'code',
    'invalid_field', 'auto_confirm is a boolean');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.create_calendar('{"name": "X", "slug": "x", "service_id": "%s", "cancellation_window_hours": 1000}')$$, :'service')) ->> 'code',
    'invalid_field', 'creating checks the window too');
SELECT lives_ok(format($$SELECT scheduling.update_calendar(%L, '{"cancellation_window_hours": 48}')$$, :'cal'), 'a 48-hour window');
SELECT is((SELECT cancellation_window_hours FROM scheduling.calendars WHERE id = :'cal'), 48, 'is stored');
SELECT is((SELECT request_expiry_hours FROM scheduling.calendars WHERE id = :'cal'), 48, 'a guest''s request waits 48 hours by default');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"request_expiry_hours": 0}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a request expiry of 0 hours is refused');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"request_expiry_hours": 721}')$$, :'cal')) ->> 'code',
    'invalid_field', 'a request expiry over 720 hours is refused');
SELECT lives_ok(format($$SELECT scheduling.update_calendar(%L, '{"request_expiry_hours": 12}')$$, :'cal'), 'a 12-hour request expiry');
SELECT is((SELECT request_expiry_hours FROM scheduling.calendars WHERE id = :'cal'), 12, 'is stored');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is(pg_temp.refusal(format($$SELECT scheduling.update_calendar(%L, '{"auto_confirm": true}')$$, :'cal')) ->> 'code',
    'calendar_not_found', 'another organization cannot change the setting');

-- Self-booking with nothing required: requested, the plan session used without plans.enroll.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(appointments.my_booking_requirements(:'cal'),
    jsonb_build_object('ready', TRUE, 'consents', '[]'::jsonb, 'forms', '[]'::jsonb, 'patient_id', :'ana_patient'),
    'nothing is required of a patient of a clinic without terms or forms');
SELECT appointments.book_mine(:'cal', '2027-01-04 09:00+02') AS mine1 \gset
SELECT is((SELECT status FROM appointments.appointments WHERE id = :'mine1'), 'requested', 'without auto_confirm the patient''s booking is requested');
SELECT is((SELECT patient_id FROM appointments.appointments WHERE id = :'mine1'), :'ana_patient'::uuid, 'for the patient''s own record');
SELECT is((SELECT booked_by FROM appointments.appointments WHERE id = :'mine1'), :'ana'::uuid, 'booked by her');
SELECT tests.clear_authentication();
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 1, 'her plan gives a session');
SELECT is((SELECT patient_service_plan_id FROM appointments.appointments WHERE id = :'mine1'), :'enrollment'::uuid, 'the appointment records it');
SELECT is((SELECT organization_id FROM events.outbox WHERE type = 'appointment.booked' AND payload ->> 'appointment_id' = :'mine1'),
    :'org'::uuid, 'appointment.booked is the clinic''s event');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'patient_plan.consumed' AND organization_id = :'org'), 1,
    'patient_plan.consumed too');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(appointments.cancel_mine(:'mine1'), TRUE, 'her cancellation outside the window gives the session back');
SELECT tests.clear_authentication();
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 0, 'the session is back');

SELECT tests.authenticate_as(:'owner', :'org');
SELECT scheduling.update_calendar(:'cal', '{"auto_confirm": true}');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT appointments.book_mine(:'cal', '2027-01-04 10:00+02') AS mine2 \gset
SELECT is((SELECT status FROM appointments.appointments WHERE id = :'mine2'), 'confirmed', 'with auto_confirm it is confirmed');
SELECT tests.clear_authentication();
SELECT is((SELECT replayed FROM catalog.use_session(:'org', :'enrollment', :'mine2')), TRUE,
    'the internal use_session replays for an appointment that already used its session');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 1, 'and uses nothing more');
SELECT is(pg_temp.refusal(format($$SELECT catalog.use_session(%L, %L, gen_random_uuid())$$, :'org_b', :'enrollment')) ->> 'code',
    'plan_enrollment_not_found', 'an enrollment of another organization is not found');

-- Caregivers and strangers.
SELECT tests.authenticate_as(:'mum', NULL);
SELECT appointments.book_mine(:'cal', '2027-01-04 11:00+02', '[]', :'child_patient') AS child1 \gset
SELECT is((SELECT patient_id FROM appointments.appointments WHERE id = :'child1'), :'child_patient'::uuid, 'a caregiver with book books for the child');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal')) ->> 'code',
    'patient_not_found', 'the caregiver has no record of her own at the clinic');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2020-01-06 09:00+02', '[]', %L)$$, :'cal', :'child_patient')) ->> 'code',
    'slot_taken', 'a slot that has begun is never a patient''s, whatever the calendar offers');
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02', '[]', %L)$$, :'cal', :'child_patient')) ->> 'code',
    'patient_not_found', 'a caregiver without book cannot book for the child');
SELECT is(pg_temp.refusal(format($$SELECT appointments.my_booking_requirements(%L, %L)$$, :'cal', :'child_patient')) ->> 'code',
    'patient_not_found', 'nor ask what the child lacks');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02', '[]', %L)$$, :'cal', :'ion')) ->> 'code',
    'patient_not_found', 'a patient cannot book for another patient');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal_b')) ->> 'code',
    'patient_not_found', 'a patient of clinic A is not registered with clinic B');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02', '[]', %L)$$, :'cal_b', :'ana_patient')) ->> 'code',
    'patient_not_found', 'nor books B''s calendar with her A record');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'private_cal')) ->> 'code',
    'calendar_not_found', 'a calendar that is not public is the clinic''s');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as(NULL, NULL);
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal')) ->> 'code',
    'permission_denied', 'nobody signed in books nothing');

-- Gating: the clinic publishes its terms and privacy notice.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT consent.publish_document(:'org', 'org_terms', 'Terms', 'https://a.test/terms', repeat('a', 64)) AS terms \gset
SELECT consent.publish_document(:'org', 'org_privacy_notice', 'Privacy', 'https://a.test/privacy', repeat('b', 64)) AS privacy \gset
SELECT is(pg_temp.refusal(format($$SELECT appointments.book(%L, %L, '2027-01-11 09:00+02')$$, :'cal', :'ana_patient')),
    jsonb_build_object('code', 'consent_required', 'details', jsonb_build_object('consents', jsonb_build_array(
        jsonb_build_object('purpose', 'org_privacy_notice', 'document_id', :'privacy', 'document_version', 1),
        jsonb_build_object('purpose', 'org_terms', 'document_id', :'terms', 'document_version', 1)))),
    'the clinic''s booking of a patient without consents is consent_required, listing both documents');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal')) ->> 'code',
    'consent_required', 'so is her own');
SELECT is(appointments.my_booking_requirements(:'cal') -> 'consents' -> 0 ->> 'purpose', 'org_privacy_notice', 'the requirements list the missing documents');

-- She signs the terms through a consent form: the privacy notice is still missing.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT forms.create_template(format($${"purpose": "consent", "consent_purpose": "org_terms", "consent_document_id": "%s", "name": "Terms",
  "draft": {"sections": [{"key": "s", "items": [{"key": "agree", "type": "boolean", "required": true}]}]}}$$, :'terms')::jsonb) AS terms_tpl \gset
SELECT forms.publish_template(:'terms_tpl') IS NOT NULL AS published \gset
SELECT forms.create_template(format($${"purpose": "consent", "consent_purpose": "org_privacy_notice", "consent_document_id": "%s", "name": "Privacy",
  "draft": {"sections": [{"key": "s", "items": [{"key": "agree", "type": "boolean", "required": true}]}]}}$$, :'privacy')::jsonb) AS privacy_tpl \gset
SELECT forms.publish_template(:'privacy_tpl') IS NOT NULL AS published \gset
SELECT forms.create_form(:'terms_tpl', :'ana_patient') AS terms_form \gset
SELECT forms.create_form(:'privacy_tpl', :'ana_patient') AS privacy_form \gset
SELECT tests.authenticate_as(:'ana', NULL);
SELECT forms.complete_form(:'terms_form', '{"agree": true}');
SELECT forms.sign_form(:'terms_form') IS NOT NULL AS signed \gset
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal')) -> 'details',
    jsonb_build_object('consents', jsonb_build_array(
        jsonb_build_object('purpose', 'org_privacy_notice', 'document_id', :'privacy', 'document_version', 1))),
    'with the terms signed, only the privacy notice is missing');
SELECT forms.complete_form(:'privacy_form', '{"agree": true}');
SELECT forms.sign_form(:'privacy_form') IS NOT NULL AS signed \gset

-- A required before-booking form, and an optional one.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT forms.create_template('{"purpose": "intake", "name": "Intake",
  "draft": {"sections": [{"key": "s", "items": [{"key": "pain", "type": "integer", "required": true}]}]}}'::jsonb) AS intake \gset
SELECT forms.publish_template(:'intake') AS intake_v1 \gset
SELECT forms.create_template('{"purpose": "questionnaire", "name": "Habits",
  "draft": {"sections": [{"key": "s", "items": [{"key": "sport", "type": "boolean"}]}]}}'::jsonb) AS habits \gset
SELECT forms.publish_template(:'habits') IS NOT NULL AS published \gset
SELECT forms.set_service_form(:'service', :'intake', TRUE, 'before_booking') IS NOT NULL AS asked \gset
SELECT forms.set_service_form(:'service', :'habits', FALSE, 'before_booking') IS NOT NULL AS asked \gset
SELECT is(pg_temp.refusal(format($$SELECT appointments.book(%L, %L, '2027-01-11 09:00+02')$$, :'cal', :'ana_patient')),
    jsonb_build_object('code', 'forms_required', 'details', jsonb_build_object('forms', jsonb_build_array(
        jsonb_build_object('form_template_id', :'intake', 'form_template_version_id', :'intake_v1', 'form_id', NULL)))),
    'consented, she still lacks the required intake form (the optional one is not asked)');
SELECT appointments.booking_requirements(:'cal', :'ana_patient') AS req \gset
SELECT ok((:'req'::jsonb ->> 'ready')::boolean IS FALSE AND :'req'::jsonb -> 'consents' = '[]', 'the requirements list no consent now');
SELECT is((SELECT count(*)::int FROM forms.forms WHERE patient_id = :'ana_patient' AND form_template_id = :'intake'), 1,
    'asking made the intake form pending for her');
SELECT is(:'req'::jsonb #>> '{forms,0,form_id}',
    (SELECT id::text FROM forms.forms WHERE patient_id = :'ana_patient' AND form_template_id = :'intake'), 'and lists it');
SELECT is((SELECT count(*)::int FROM forms.forms WHERE patient_id = :'ana_patient' AND form_template_id = :'habits'), 0,
    'the optional form is not made');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(appointments.my_booking_requirements(:'cal') #>> '{forms,0,form_id}', :'req'::jsonb #>> '{forms,0,form_id}',
    'her own ask finds the same pending form');
SELECT is((SELECT count(*)::int FROM forms.forms WHERE patient_id = :'ana_patient' AND form_template_id = :'intake'), 1,
    'and makes no second one');

-- Another patient's signed intake form does not count for her.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT forms.create_form(:'intake', :'ion') AS ion_form \gset
SELECT forms.complete_form(:'ion_form', '{"pain": 2}');
SELECT forms.sign_form(:'ion_form') IS NOT NULL AS signed \gset
SELECT is(pg_temp.refusal(format($$SELECT appointments.book(%L, %L, '2027-01-11 09:00+02')$$, :'cal', :'ana_patient')) ->> 'code',
    'forms_required', 'another patient''s signed form does not count');

-- She fills and signs her pending form: she books.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT forms.complete_form((:'req'::jsonb #>> '{forms,0,form_id}')::uuid, '{"pain": 4}');
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal')) ->> 'code',
    'forms_required', 'a completed but unsigned form is not enough');
SELECT forms.sign_form((:'req'::jsonb #>> '{forms,0,form_id}')::uuid) IS NOT NULL AS signed \gset
SELECT is(appointments.my_booking_requirements(:'cal') ->> 'ready', 'true', 'nothing is missing now');
SELECT lives_ok(format($$SELECT appointments.book_mine(%L, '2027-01-11 09:00+02')$$, :'cal'), 'with consents and the signed form she books');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT lives_ok(format($$SELECT appointments.book(%L, %L, '2027-01-11 10:00+02')$$, :'cal', :'ana_patient'), 'and so does the clinic for her');

-- The calendar's own forms count too: the service's optional template, required by the calendar.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT scheduling.set_calendar_form(:'cal', :'habits', TRUE) IS NOT NULL AS asked \gset
SELECT appointments.booking_requirements(:'cal', :'ana_patient') #>> '{forms,0,form_id}' AS habits_form \gset
SELECT is(appointments.booking_requirements(:'cal', :'ana_patient') #>> '{forms,0,form_template_id}', :'habits',
    'a template the calendar requires is required though the service makes it optional');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT forms.complete_form(:'habits_form'::uuid, '{}');
SELECT forms.sign_form(:'habits_form'::uuid) IS NOT NULL AS signed \gset
SELECT is(appointments.my_booking_requirements(:'cal') ->> 'ready', 'true', 'signed, nothing is missing again');

-- Terms and privacy rest on contract and legal obligation: they cannot be withdrawn (the
-- ledger refuses), so nothing unblocks by withdrawal; a re-consent document blocks again.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(pg_temp.refusal(format($$SELECT consent.withdraw_consent(%L, 'org_privacy_notice')$$, :'org')) ->> 'code',
    'consent_not_withdrawable', 'the privacy notice is not withdrawn');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT consent.publish_document(:'org', 'org_terms', 'Terms 2', 'https://a.test/terms2', repeat('c', 64), TRUE) AS terms2 \gset
SELECT is(appointments.booking_requirements(:'cal', :'ana_patient') -> 'consents',
    jsonb_build_array(jsonb_build_object('purpose', 'org_terms', 'document_id', :'terms2', 'document_version', 2)),
    'new terms that require re-consent are missing, by their new version');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is(pg_temp.refusal(format($$SELECT appointments.book_mine(%L, '2027-01-11 11:00+02')$$, :'cal')) ->> 'code',
    'consent_required', 'and block her booking again');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT consent.publish_document(:'org', 'org_privacy_notice', 'Privacy 2', 'https://a.test/privacy2', repeat('d', 64), FALSE) IS NOT NULL AS published \gset
SELECT is(appointments.booking_requirements(:'cal', :'ana_patient') -> 'consents' -> 0 ->> 'purpose', 'org_terms',
    'a new privacy notice that asks no re-consent leaves her consent standing');

-- Who may ask.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is(pg_temp.refusal(format($$SELECT appointments.booking_requirements(%L, %L)$$, :'cal', :'ana_patient')) ->> 'code',
    'calendar_not_found', 'another clinic cannot ask about A''s calendar');
SELECT is(pg_temp.refusal(format($$SELECT appointments.booking_requirements(%L, %L)$$, :'cal_b', :'ana_patient')) ->> 'code',
    'patient_not_found', 'nor about A''s patient');
SELECT tests.authenticate_as(:'ana', :'org');
SELECT is(pg_temp.refusal(format($$SELECT appointments.booking_requirements(%L, %L)$$, :'cal', :'ana_patient')) ->> 'code',
    'permission_denied', 'a patient is no member with appointments.book');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'form.created' AND organization_id = :'org'
    AND payload ->> 'form_template_id' = :'intake'), 2, 'form.created for her pending form and Ion''s');

SELECT * FROM finish();
ROLLBACK;
