-- Custom fields validated in SQL; a template with conditional items published and frozen; a
-- patient fills, completes and signs; mapped answers land on the patient's fields; a signed
-- form refuses every change, the owner role's included; a consent form writes the ledger and
-- flips profile sharing; caregivers need sign_forms.
BEGIN;
SELECT plan(65);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('ana@home.test') AS ana \gset
SELECT tests.create_human('mum@home.test') AS mum \gset
SELECT tests.create_human('aunt@home.test') AS aunt \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset

INSERT INTO people.patient_profiles (human_id, first_name, last_name) VALUES (:'ana', 'Ana', 'Pop') RETURNING id AS ana_profile \gset
INSERT INTO people.patient_profiles (first_name, last_name) VALUES ('Matei', 'Pop') RETURNING id AS child_profile \gset
INSERT INTO people.patient_caregivers (patient_profile_id, caregiver_human_id, relationship, permissions)
VALUES (:'child_profile', :'mum', 'parent', ARRAY['book', 'sign_forms', 'view_records']),
       (:'child_profile', :'aunt', 'relative', ARRAY['view_records']);
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'ana_profile') RETURNING id AS ana_patient \gset
INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (:'org_a', :'child_profile') RETURNING id AS child_patient \gset

-- Custom fields.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT forms.create_custom_field('{"entity_type": "patient", "key": "pain_level", "label": "Pain", "type": "scale", "rules": {"min": 0, "max": 10}}') AS f_pain \gset
SELECT forms.create_custom_field('{"entity_type": "patient", "key": "smoker", "label": "Smoker", "type": "boolean"}') AS f_smoker \gset
SELECT forms.create_custom_field('{"entity_type": "patient", "key": "hiv_status", "label": "HIV", "type": "single_choice", "classification": "clinical_sensitive", "options": [{"value": "positive"}, {"value": "negative"}]}') AS f_hiv \gset
SELECT throws_ok(
    $$SELECT forms.create_custom_field('{"entity_type": "patient", "key": "pain_level", "label": "Again", "type": "text"}')$$,
    '23505', NULL, 'a key is unique per organization and entity type'
);
SELECT throws_ok(
    $$SELECT forms.create_custom_field('{"entity_type": "patient", "key": "x", "label": "X", "type": "colour"}')$$,
    '23514', NULL, 'an unknown type is refused'
);
SELECT throws_ok(
    $$SELECT forms.create_custom_field('{"entity_type": "patient", "key": "y", "label": "Y", "type": "single_choice"}')$$,
    'P0001', 'invalid_field', 'a choice field needs options'
);
SELECT throws_ok(
    $$SELECT forms.create_custom_field('{"entity_type": "patient", "key": "z", "label": "Z", "type": "text", "colour": 1}')$$,
    'P0001', 'invalid_field', 'unknown attributes are refused'
);
SELECT is(forms.update_custom_field(:'f_pain', '{"label": "Pain today"}'), 2, 'a change publishes version 2');
SELECT is((SELECT array_agg(label ORDER BY version) FROM forms.custom_field_versions WHERE custom_field_id = :'f_pain'),
    ARRAY['Pain', 'Pain today'], 'the first version stays as it was');
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$UPDATE forms.custom_field_versions SET label = 'x' WHERE custom_field_id = %L$$, :'f_pain'),
    '42501', NULL, 'a published field version refuses change, even for the owner'
);

-- Values, validated against the field's type.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT lives_ok(format($$SELECT forms.set_patient_fields(%L, '{"pain_level": 4, "smoker": false}')$$, :'ana_patient'), 'valid values are stored');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"pain_level": 11}')$$, :'ana_patient'),
    'P0001', 'invalid_value', 'a scale value above its maximum is refused');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"smoker": "yes"}')$$, :'ana_patient'),
    'P0001', 'invalid_value', 'a string for a boolean is refused');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"hiv_status": "maybe"}')$$, :'ana_patient'),
    'P0001', 'invalid_value', 'a value outside the options is refused');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"nope": 1}')$$, :'ana_patient'),
    'P0001', 'custom_field_not_found', 'an unknown field key is refused');
SELECT is((SELECT value FROM forms.custom_field_values WHERE custom_field_id = :'f_pain'), '4'::jsonb, 'the pain value is there');
SELECT is(forms.value_error('date', '[]', '{}', '"2026-02-30"'), 'is not a real date', 'dates are real dates');
SELECT is(forms.value_error('date', '[]', '{}', '"2024-02-29"'), NULL, 'a leap day is a real date');
SELECT is(forms.value_error('date', '[]', '{}', '"2026-13-01"'), 'is not a real date', 'there is no month 13');
SELECT is(forms.value_error('datetime', '[]', '{}', '"2026-03-01T24:00:00Z"'), 'is not a real date', 'nor hour 24');
SELECT is(forms.value_error('integer', '[]', '{}', '2.5'), 'expects a whole number', 'integers are whole');
SELECT is(forms.value_error('multi_choice', '[{"value": "a"}, {"value": "b"}]', '{"max": 1}', '["a", "b"]'),
    'allows at most 1 options', 'multi choice counts are bounded');
SELECT is(forms.value_error('text', '[]', '{"pattern": "^[0-9]+$"}', '"12a"'), 'does not match the expected format', 'patterns apply');
SELECT is(forms.value_error('datetime', '[]', '{}', '"2026-03-01T10:00:00Z"'), NULL, 'a datetime with offset is valid');
-- The audit log names the changed value row, never a clinical_sensitive value.
SELECT lives_ok(format($$SELECT forms.set_patient_fields(%L, '{"hiv_status": "negative"}')$$, :'ana_patient'), 'a sensitive value is stored');
SELECT tests.clear_authentication();
SELECT is(
    (SELECT new_values ->> 'value' FROM audit.audit_log WHERE entity_type = 'forms.custom_field_values'
     AND new_values ->> 'custom_field_id' = :'f_hiv'),
    '[redacted]', 'the audit log keeps the field, not the sensitive value'
);

-- A staff member without custom_fields.manage sets nothing.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"pain_level": 1}')$$, :'ana_patient'),
    '42501', NULL, 'the front desk does not manage custom fields');

-- A template with conditional items.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT forms.create_template($${"purpose": "intake", "name": "Intake", "draft": {"sections": [
  {"key": "main", "title": "About you", "items": [
    {"key": "intro", "type": "display", "text": "Tell us about your pain."},
    {"key": "pain", "custom_field": "pain_level", "required": true},
    {"key": "where", "type": "text", "required": true,
     "enable_when": {"behavior": "all", "conditions": [{"item": "pain", "operator": "greater_than", "value": 3}]}},
    {"key": "smokes", "custom_field": "smoker"},
    {"key": "per_day", "type": "integer", "required": true, "rules": {"min": 1, "max": 100},
     "enable_when": {"conditions": [{"item": "smokes", "operator": "equals", "value": true}]}}
  ]}]}}$$::jsonb) AS tpl \gset
SELECT throws_ok(format($$SELECT forms.create_form(%L, %L)$$, :'tpl', :'ana_patient'),
    'P0001', 'form_template_unpublished', 'an unpublished template makes no form');
SELECT throws_ok(
    format($$SELECT forms.update_template(%L, '{"draft": {"sections": [{"key": "s", "items": [{"key": "b", "type": "text", "enable_when": {"conditions": [{"item": "a", "operator": "equals", "value": 1}]}}]}]}}'); SELECT forms.publish_template(%L)$$, :'tpl', :'tpl'),
    'P0001', 'invalid_template', 'a condition on an unknown (or later) item is refused'
);
SELECT forms.publish_template(:'tpl') AS tpl_v1 \gset
SELECT is((SELECT definition #>> '{sections,0,items,1,field_version_id}' FROM forms.form_template_versions WHERE id = :'tpl_v1'),
    (SELECT id::text FROM forms.custom_field_versions WHERE custom_field_id = :'f_pain' AND version = 2),
    'a field-backed item carries the field version it was published with');
SELECT tests.clear_authentication();
SELECT is((SELECT type FROM events.outbox WHERE payload ->> 'form_template_version_id' = :'tpl_v1'),
    'form_template.published', 'publishing is an event');
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT forms.update_template(:'tpl', '{"name": "Intake (new)"}');
SELECT is((SELECT name FROM forms.form_template_versions WHERE id = :'tpl_v1'), 'Intake', 'a published version keeps its name');
SELECT is(forms.preview_validate(:'tpl', '{"pain": 5}') -> 'errors', '[{"item": "where", "reason": "is required"}]'::jsonb,
    'preview: a visible required item is named');

-- A form for Ana; she fills it through her own profile.
SELECT forms.create_form(:'tpl', :'ana_patient') AS form \gset
SELECT tests.authenticate_as(:'ana', NULL);
SELECT is((SELECT count(*)::int FROM forms.forms), 1, 'Ana sees her form');
SELECT is((SELECT count(*)::int FROM forms.form_template_versions), 1, 'and the template version it was made from');
SELECT is(forms.save_form(:'form', '{"pain": 7}'), '[{"item": "where", "reason": "is required"}]'::jsonb,
    'a draft save warns about what completion would need');
SELECT is((SELECT status FROM forms.forms WHERE id = :'form'), 'in_progress', 'the draft is in progress');
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"colour": "red"}')$$, :'form'),
    'P0001', 'form_invalid', 'an answer to no item is refused');
SELECT throws_ok(format($$SELECT forms.complete_form(%L, '{"smokes": true, "per_day": "ten"}')$$, :'form'),
    'P0001', 'form_invalid', 'completion refuses missing and mistyped items');
SELECT is((SELECT answers FROM forms.forms WHERE id = :'form'), '{"pain": 7}'::jsonb, 'a refused completion changes nothing');
SELECT lives_ok(format($$SELECT forms.complete_form(%L, '{"pain": 2, "where": "knee", "smokes": false}')$$, :'form'),
    'with pain at 2 the location is hidden and not needed');
SELECT is((SELECT answers FROM forms.forms WHERE id = :'form'), '{"pain": 2, "smokes": false}'::jsonb,
    'the hidden item''s answer is not kept');
SELECT tests.clear_authentication();
SELECT is((SELECT value FROM forms.custom_field_values WHERE custom_field_id = :'f_pain' AND entity_id = :'ana_patient'),
    '2'::jsonb, 'the mapped answer lands on the patient''s field');
SELECT is((SELECT source_form_id FROM forms.custom_field_values WHERE custom_field_id = :'f_pain' AND entity_id = :'ana_patient'),
    :'form'::uuid, 'with the form that wrote it');
SELECT ok((SELECT changed_items @> ARRAY['pain', 'smokes'] FROM forms.forms WHERE id = :'form'), 'the form records which items changed');
SELECT is((SELECT new_values ->> 'answers' FROM audit.audit_log WHERE entity_type = 'forms.forms' AND entity_id = :'form'
    ORDER BY created_at DESC, id DESC LIMIT 1), '[redacted]', 'but the audit log never holds the answers');

-- Signing with evidence.
SELECT tests.authenticate_as(:'ana', NULL);
SELECT set_config('app.client_ip', '203.0.113.9', TRUE) AS ip, set_config('app.user_agent', 'test-agent', TRUE) AS ua;
SELECT forms.sign_form(:'form') AS digest \gset
SELECT is(:'digest', (SELECT forms.canonical_digest(form_template_version_id, answers, signed_by, signed_at) FROM forms.forms WHERE id = :'form'),
    'the digest is reproducible from the version, values, signer and time');
SELECT is((SELECT host(evidence_ip) FROM forms.forms WHERE id = :'form'), '203.0.113.9', 'the client address is evidence');
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"pain": 9}')$$, :'form'), 'P0001', 'form_not_editable', 'a signed form is not saved again');

-- Tampering fails for every role.
SELECT tests.clear_authentication();
SELECT throws_ok(format($$UPDATE forms.forms SET answers = '{"pain": 9}' WHERE id = %L$$, :'form'),
    '42501', NULL, 'the owner role cannot edit a signed form');
SELECT throws_ok(format($$DELETE FROM forms.forms WHERE id = %L$$, :'form'),
    '42501', NULL, 'nor delete it');
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(format($$SELECT forms.cancel_form(%L)$$, :'form'), 'P0001', 'form_not_editable', 'staff cannot cancel a signed form');
SELECT forms.amend_form(:'form') AS amend \gset
SELECT is((SELECT amends_form_id FROM forms.forms WHERE id = :'amend'), :'form'::uuid, 'a correction is a new form referencing it');

-- Caregivers: sign_forms lets the mother fill her child's form; the aunt is refused.
SELECT forms.create_form(:'tpl', :'child_patient') AS child_form \gset
SELECT tests.authenticate_as(:'aunt', NULL);
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"pain": 1}')$$, :'child_form'),
    '42501', NULL, 'a caregiver without sign_forms fills nothing');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"pain": 1}')$$, :'child_form'),
    'P0001', 'form_not_found', 'another patient''s form is not found');
SELECT is_empty(format($$SELECT 1 FROM forms.forms WHERE id = %L$$, :'child_form'), 'nor read');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT lives_ok(format($$SELECT forms.complete_form(%L, '{"pain": 1}')$$, :'child_form'), 'the mother completes it');
SELECT is((SELECT filler_kind FROM forms.forms WHERE id = :'child_form'), 'caregiver', 'as a caregiver');

-- A consent form: profile sharing for the child, signed by the mother.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT forms.create_template($${"purpose": "consent", "consent_purpose": "profile_sharing", "name": "Sharing",
  "draft": {"sections": [{"key": "s", "items": [{"key": "agree", "type": "boolean", "required": true}]}]}}$$::jsonb) AS ctpl \gset
SELECT forms.publish_template(:'ctpl') AS ctpl_v1 \gset
SELECT forms.create_form(:'ctpl', :'child_patient') AS cform \gset
SELECT tests.authenticate_as(:'mum', NULL);
SELECT forms.complete_form(:'cform', '{"agree": true}');
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT throws_ok(format($$SELECT forms.sign_form(%L)$$, :'cform'), '42501', NULL, 'staff never sign a consent for the patient');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT forms.sign_form(:'cform') IS NOT NULL AS signed \gset
SELECT tests.clear_authentication();
SELECT is((SELECT profile_shared FROM people.patients WHERE id = :'child_patient'), TRUE, 'signing the sharing consent shares the profile');
SELECT is((SELECT subject_patient_profile_id FROM consent.consents WHERE form_id = :'cform'), :'child_profile'::uuid,
    'the ledger speaks for the child''s profile');
SELECT is((SELECT payload ->> 'form_id' FROM events.outbox WHERE type = 'consent.granted'), :'cform',
    'consent.granted names the form');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'form.signed'), 2, 'each signature is a form.signed event');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT lives_ok(format($$SELECT forms.withdraw_patient_consent(%L, 'profile_sharing')$$, :'child_patient'), 'the mother withdraws it');
SELECT tests.clear_authentication();
SELECT is((SELECT profile_shared FROM people.patients WHERE id = :'child_patient'), FALSE, 'and sharing closes');
SELECT is((SELECT action FROM consent.consents WHERE subject_patient_profile_id = :'child_profile' ORDER BY seq DESC LIMIT 1),
    'withdraw', 'the ledger records the withdrawal');
-- A grant that rests on the contract (the clinic's terms) is not the mother's to withdraw.
INSERT INTO consent.consents (subject_principal_id, subject_patient_profile_id, organization_id, purpose, action,
    legal_basis, source, recorded_by)
VALUES (:'mum', :'child_profile', :'org_a', 'org_terms', 'grant', 'contract', 'api', :'mum');
SELECT tests.authenticate_as(:'mum', NULL);
SELECT throws_ok(format($$SELECT forms.withdraw_patient_consent(%L, 'org_terms')$$, :'child_patient'),
    'P0001', 'consent_not_withdrawable', 'a grant resting on the contract cannot be withdrawn (as in the ledger)');
SELECT tests.clear_authentication();

-- Medical consents only come from a signed form.
SELECT tests.add_member(:'org_a', :'ana', 'specialist') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'ana', :'org_a');
SELECT throws_ok(format($$SELECT consent.grant_consent(%L, 'telemedicine')$$, :'org_a'),
    'P0001', 'consent_requires_form', 'telemedicine is granted only by a signed form');

SELECT * FROM finish();
ROLLBACK;
