-- Files of forms: the patient, or a caregiver with sign_forms, uploads an attachment or a
-- signature image for their own form, without any member permission; another patient, a
-- caregiver without sign_forms, another organization's member and a signed form are refused.
-- Answers and signatures name only checked files uploaded for the patient's forms. The
-- write-back of mapped answers validates against the field version the template froze.
BEGIN;
SELECT plan(46);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('ana@home.test') AS ana \gset
SELECT tests.create_human('ion@home.test') AS ion \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset

INSERT INTO people.patient_profiles (human_id, first_name, last_name) VALUES (:'ana', 'Ana', 'Pop') RETURNING id AS ana_profile \gset
INSERT INTO people.patient_profiles (human_id, first_name, last_name) VALUES (:'ion', 'Ion', 'Rus') RETURNING id AS ion_profile \gset
INSERT INTO people.patient_profiles (first_name, last_name) VALUES ('Matei', 'Pop') RETURNING id AS child_profile \gset
INSERT INTO people.patient_caregivers (patient_profile_id, caregiver_human_id, relationship, permissions)
VALUES (:'child_profile', :'mum', 'parent', ARRAY['sign_forms']),
       (:'child_profile', :'aunt', 'relative', ARRAY['view_records']);
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'ana_profile') RETURNING id AS ana_patient \gset
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'ion_profile') RETURNING id AS ion_patient \gset
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'child_profile') RETURNING id AS child_patient \gset

SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT forms.create_custom_field('{"entity_type": "patient", "key": "pain_level", "label": "Pain", "type": "integer", "rules": {"min": 0, "max": 10}}') AS f_pain \gset
SELECT forms.create_template($${"purpose": "intake", "name": "Intake", "draft": {"sections": [{"key": "s", "items": [
    {"key": "pain", "custom_field": "pain_level", "required": true},
    {"key": "scan", "type": "file"},
    {"key": "drawn", "type": "signature"}
]}]}}$$) AS tpl \gset
SELECT forms.publish_template(:'tpl') AS tpl_v1 \gset
SELECT forms.create_form(:'tpl', :'ana_patient') AS ana_form \gset
SELECT forms.create_form(:'tpl', :'ana_patient') AS ana_form2 \gset
SELECT forms.create_form(:'tpl', :'ion_patient') AS ion_form \gset
SELECT forms.create_form(:'tpl', :'child_patient') AS child_form \gset
-- Stricter rules after publishing: version 2 allows at most 5.
SELECT is(forms.update_custom_field(:'f_pain', '{"rules": {"min": 0, "max": 5}}'), 2, 'the field moves to version 2');
SELECT id AS pain_v1 FROM forms.custom_field_versions WHERE custom_field_id = :'f_pain' AND version = 1 \gset
SELECT id AS pain_v2 FROM forms.custom_field_versions WHERE custom_field_id = :'f_pain' AND version = 2 \gset
SELECT tests.clear_authentication();

SELECT format('orgs/%s/form_file/%s', :'org_a', gen_random_uuid()) AS key1 \gset
SELECT format('orgs/%s/form_signature/%s', :'org_a', gen_random_uuid()) AS key2 \gset
SELECT format('orgs/%s/form_file/%s', :'org_a', gen_random_uuid()) AS key3 \gset
SELECT format('orgs/%s/form_file/%s', :'org_a', gen_random_uuid()) AS key4 \gset

-- Ana uploads an attachment and a signature image for her own form, as a patient.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT forms.begin_form_upload(:'ana_form', 'form_file', :'key1', 'application/pdf', util.now() + interval '5 minutes') AS file1 \gset
SELECT forms.begin_form_upload(:'ana_form', 'form_signature', :'key2', 'image/png', util.now() + interval '5 minutes') AS sig1 \gset
SELECT is((SELECT count(*)::int FROM forms.form_files WHERE form_id = :'ana_form'), 2, 'Ana sees which files her form carries');
SELECT results_eq(
    format('SELECT object_key, purpose, declared_mime FROM forms.pending_form_upload(%L, %L)', :'ana_form', :'file1'),
    format($$VALUES (%L, 'form_file', 'application/pdf')$$, :'key1'),
    'the confirm step reads her pending upload'
);
SELECT throws_ok(format('SELECT * FROM forms.pending_form_upload(%L, %L)', :'ana_form2', :'file1'),
    'P0001', 'file_not_found', 'an upload belongs to the form it was made for');
SELECT lives_ok(format($$SELECT forms.complete_form_upload(%L, %L, %L, 'application/pdf', 2048, repeat('a', 64))$$,
    :'ana_form', :'file1', :'key1' || '.pdf'), 'she confirms the attachment');
SELECT lives_ok(format($$SELECT forms.complete_form_upload(%L, %L, %L, 'image/png', 512, repeat('b', 64))$$,
    :'ana_form', :'sig1', :'key2' || '.png'), 'and the signature image');
SELECT throws_ok(format($$SELECT forms.complete_form_upload(%L, %L, %L, 'image/png', 512, repeat('b', 64))$$,
    :'ana_form', :'sig1', :'key2' || '.png'), 'P0001', 'file_not_pending', 'a file is confirmed once');
SELECT is((SELECT size_bytes FROM forms.form_upload(:'ana_form', :'file1')), 2048::bigint, 'she reads her checked file');
SELECT is_empty(format('SELECT 1 FROM storage.files WHERE id = %L', :'file1'), 'she reads no storage row directly');
SELECT tests.clear_authentication();
SELECT is((SELECT organization_id FROM storage.files WHERE id = :'file1'), :'org_a'::uuid, 'the file is the clinic''s');
SELECT is((SELECT uploaded_by FROM storage.files WHERE id = :'file1'), :'ana'::uuid, 'uploaded by Ana');
SELECT is((SELECT status FROM storage.files WHERE id = :'file1'), 'ready', 'and ready');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'file.uploaded' AND organization_id = :'org_a'), 2,
    'each kept file is published for the clinic');

-- Rejection through the same path.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT forms.begin_form_upload(:'ana_form', 'form_file', :'key3', 'image/png', util.now() + interval '5 minutes') AS file3 \gset
SELECT lives_ok(format($$SELECT forms.reject_form_upload(%L, %L, 'too_large', 'image/png', 99999999)$$, :'ana_form', :'file3'),
    'a refused upload is recorded');
SELECT is((SELECT count(*)::int FROM forms.form_upload(:'ana_form', :'file3')), 0, 'and is no file of the form');

-- Answers and signatures name only checked files uploaded for her forms.
SELECT is(forms.save_form(:'ana_form', format('{"pain": 4, "scan": "%s"}', gen_random_uuid())::jsonb),
    '[{"item": "scan", "reason": "names no file uploaded for this patient''s forms"}]'::jsonb,
    'an unknown file id is a warning on save');
SELECT throws_ok(format($$SELECT forms.complete_form(%L, '{"scan": "%s"}')$$, :'ana_form', :'file3'),
    'P0001', 'form_invalid', 'a refused upload is no answer');
SELECT throws_ok(format($$SELECT forms.complete_form(%L, '{"scan": "%s"}')$$, :'ana_form', :'sig1'),
    'P0001', 'form_invalid', 'a signature image does not answer a file item');
-- The answer is accepted under version 1 (max 10), though version 2 now allows at most 5.
SELECT lives_ok(format($$SELECT forms.complete_form(%L, '{"pain": 8, "scan": "%s", "drawn": "%s"}')$$, :'ana_form', :'file1', :'sig1'),
    'her checked files answer the file and signature items, and pain 8 fits the frozen version 1');
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_file', %L, 'image/png', util.now() + interval '5 minutes')$$, :'ana_form', :'key4'),
    'P0001', 'form_not_editable', 'a completed form takes no new attachment');
SELECT throws_ok(format('SELECT forms.sign_form(%L, %L)', :'ana_form', :'file1'),
    'P0001', 'file_not_found', 'an attachment is no signature image');
SELECT lives_ok(format('SELECT forms.sign_form(%L, %L)', :'ana_form', :'sig1'), 'she signs with her signature image');
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_signature', %L, 'image/png', util.now() + interval '5 minutes')$$,
    :'ana_form', format('orgs/%s/form_signature/%s', :'org_a', gen_random_uuid())),
    'P0001', 'form_not_editable', 'a signed form takes no file');
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'logo', %L, 'image/png', util.now() + interval '5 minutes')$$,
    :'ana_form2', format('orgs/%s/logo/%s', :'org_a', gen_random_uuid())),
    'P0001', 'invalid_field', 'only form purposes upload here');
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_file', %L, 'image/png', util.now() + interval '5 minutes')$$,
    :'ana_form2', format('orgs/%s/form_file/%s', :'org_b', gen_random_uuid())),
    '23514', NULL, 'the key lies under the form''s organization');
-- Another form of hers may reuse the attachment (an amendment keeps its files).
SELECT lives_ok(format($$SELECT forms.save_form(%L, '{"scan": "%s"}')$$, :'ana_form2', :'file1'),
    'a file of her other form answers too');
SELECT is((SELECT warnings FROM forms.forms WHERE id = :'ana_form2'), '[{"item": "pain", "reason": "is required"}]'::jsonb,
    'with no file warning');
SELECT tests.clear_authentication();

SELECT is((SELECT custom_field_version_id FROM forms.custom_field_values WHERE custom_field_id = :'f_pain' AND entity_id = :'ana_patient'),
    :'pain_v1'::uuid, 'the value names the frozen version 1');
SELECT is((SELECT value FROM forms.custom_field_values WHERE custom_field_id = :'f_pain' AND entity_id = :'ana_patient'),
    '8'::jsonb, 'and holds the answer');
SELECT is((SELECT signature_file_id FROM forms.forms WHERE id = :'ana_form'), :'sig1'::uuid, 'the signed form names its image');

-- Another patient: not found, whatever the file.
SELECT tests.authenticate_as(:'ion', NULL);
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_file', %L, 'image/png', util.now() + interval '5 minutes')$$, :'ana_form2', :'key4'),
    'P0001', 'form_not_found', 'Ion cannot upload for Ana''s form');
SELECT throws_ok(format('SELECT * FROM forms.form_upload(%L, %L)', :'ana_form', :'file1'),
    'P0001', 'form_not_found', 'nor read her files');
SELECT is_empty('SELECT 1 FROM forms.form_files', 'nor see which files her forms carry');
SELECT is(forms.save_form(:'ion_form', format('{"pain": 1, "scan": "%s"}', :'file1')::jsonb),
    '[{"item": "scan", "reason": "names no file uploaded for this patient''s forms"}]'::jsonb,
    'her file is no answer on his form');
SELECT throws_ok(format($$SELECT forms.complete_form(%L, '{}')$$, :'ion_form'),
    'P0001', 'form_invalid', 'and cannot complete it');

-- Caregivers: with sign_forms they upload for the child; without, they are refused.
SELECT tests.authenticate_as(:'mum', NULL);
SELECT lives_ok(format($$SELECT forms.begin_form_upload(%L, 'form_signature', %L, 'image/jpeg', util.now() + interval '5 minutes')$$,
    :'child_form', format('orgs/%s/form_signature/%s', :'org_a', gen_random_uuid())), 'a parent with sign_forms uploads for the child');
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_signature', %L, 'image/jpeg', util.now() + interval '5 minutes')$$,
    :'child_form', format('orgs/%s/form_signature/%s', :'org_a', gen_random_uuid())),
    '42501', 'permission_denied', 'a caregiver without sign_forms cannot');

-- Another organization's owner: the form does not exist for them.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT throws_ok(format($$SELECT forms.begin_form_upload(%L, 'form_file', %L, 'image/png', util.now() + interval '5 minutes')$$, :'ana_form2', :'key4'),
    'P0001', 'form_not_found', 'B''s owner cannot upload for A''s form');
SELECT throws_ok(format('SELECT * FROM forms.form_upload(%L, %L)', :'ana_form', :'file1'),
    'P0001', 'form_not_found', 'nor read A''s form files');
SELECT is_empty('SELECT 1 FROM forms.form_files', 'nor see them');
SELECT throws_ok(format($$INSERT INTO forms.form_files (file_id, organization_id, form_id, purpose) VALUES (%L, %L, %L, 'form_file')$$,
    :'file1', :'org_a', :'ana_form2'), '42501', NULL, 'nor link files directly');

-- A member with forms.fill uploads in the organization's URL; in another URL the form is not found.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT lives_ok(format($$SELECT forms.begin_form_upload(%L, 'form_file', %L, 'image/png', util.now() + interval '5 minutes')$$, :'ana_form2', :'key4'),
    'staff with forms.fill upload for the clinic''s form');
SELECT is((SELECT count(*)::int FROM forms.form_files), 5, 'and read which files the clinic''s forms carry');

-- A new template version freezes version 2: 8 is refused there, 4 is recorded under version 2.
SELECT forms.publish_template(:'tpl') AS tpl_v2 \gset
SELECT forms.create_form(:'tpl', :'ion_patient') AS ion_form_v2 \gset
SELECT throws_ok(format($$SELECT forms.complete_form(%L, '{"pain": 8}')$$, :'ion_form_v2'),
    'P0001', 'form_invalid', 'the new version validates against the stricter field version');
SELECT lives_ok(format($$SELECT forms.complete_form(%L, '{"pain": 4}')$$, :'ion_form_v2'), 'a value within it completes');
SELECT is((SELECT custom_field_version_id FROM forms.custom_field_values WHERE custom_field_id = :'f_pain' AND entity_id = :'ion_patient'),
    :'pain_v2'::uuid, 'and is recorded under version 2');
SELECT tests.clear_authentication();

SELECT * FROM finish();
ROLLBACK;
