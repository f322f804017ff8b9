-- Cross-organization isolation for every forms table: another organization's member sees
-- nothing of A's fields, templates and forms and can change nothing; platform staff and the
-- billing role read no form; the request pool writes nothing directly.
BEGIN;
SELECT plan(36);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'support');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "price_amount": 15000, "currency": "RON"}') AS service_a \gset
SELECT people.create_patient('Ana', 'Pop') AS patient_a \gset
SELECT forms.create_custom_field('{"entity_type": "patient", "key": "pain", "label": "Pain", "type": "scale"}') AS field_a \gset
SELECT forms.set_patient_fields(:'patient_a', '{"pain": 3}');
SELECT forms.create_template('{"purpose": "intake", "name": "Intake", "draft": {"sections": [{"key": "s", "items": [{"key": "pain", "custom_field": "pain"}]}]}}') AS tpl_a \gset
SELECT forms.publish_template(:'tpl_a') AS tpl_v_a \gset
SELECT forms.set_service_form(:'service_a', :'tpl_a', TRUE, 'before_booking') AS sf_a \gset
SELECT forms.create_form(:'tpl_a', :'patient_a') AS form_a \gset

SELECT is((SELECT count(*)::int FROM forms.custom_fields), 1, 'A''s owner reads A''s field');
SELECT is((SELECT count(*)::int FROM forms.custom_field_versions), 1, 'and its version');
SELECT is((SELECT count(*)::int FROM forms.custom_field_values), 1, 'and its value');
SELECT is((SELECT count(*)::int FROM forms.form_templates), 1, 'A''s template');
SELECT is((SELECT count(*)::int FROM forms.form_template_versions), 1, 'its version');
SELECT is((SELECT count(*)::int FROM forms.service_forms), 1, 'the service form');
SELECT is((SELECT count(*)::int FROM forms.forms), 1, 'and the form');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM forms.custom_fields', 'B reads no field of A');
SELECT is_empty('SELECT 1 FROM forms.custom_field_versions', 'B reads no field version of A');
SELECT is_empty('SELECT 1 FROM forms.custom_field_values', 'B reads no value of A');
SELECT is_empty('SELECT 1 FROM forms.form_templates', 'B reads no template of A');
SELECT is_empty('SELECT 1 FROM forms.form_template_versions', 'B reads no template version of A');
SELECT is_empty('SELECT 1 FROM forms.service_forms', 'B reads no service form of A');
SELECT is_empty('SELECT 1 FROM forms.forms', 'B reads no form of A');
SELECT throws_ok(format($$SELECT forms.update_custom_field(%L, '{"label": "x"}')$$, :'field_a'),
    'P0001', 'custom_field_not_found', 'B cannot change A''s field');
SELECT throws_ok(format($$SELECT forms.set_patient_fields(%L, '{"pain": 1}')$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot set values on A''s patient');
SELECT throws_ok(format($$SELECT forms.update_template(%L, '{"name": "x"}')$$, :'tpl_a'),
    'P0001', 'form_template_not_found', 'B cannot change A''s template');
SELECT throws_ok(format($$SELECT forms.publish_template(%L)$$, :'tpl_a'),
    'P0001', 'form_template_not_found', 'B cannot publish A''s template');
SELECT throws_ok(format($$SELECT forms.set_service_form(%L, %L, TRUE, 'after_visit')$$, :'service_a', :'tpl_a'),
    'P0001', 'service_not_found', 'B cannot attach a template to A''s service');
SELECT throws_ok(format($$SELECT forms.remove_service_form(%L)$$, :'sf_a'),
    'P0001', 'service_form_not_found', 'B cannot detach A''s service form');
SELECT throws_ok(format($$SELECT forms.create_form(%L, %L)$$, :'tpl_a', :'patient_a'),
    'P0001', 'form_template_not_found', 'B cannot make a form from A''s template');
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"pain": 1}')$$, :'form_a'),
    'P0001', 'form_not_found', 'B cannot fill A''s form');
SELECT throws_ok(format($$SELECT forms.cancel_form(%L)$$, :'form_a'),
    'P0001', 'form_not_found', 'B cannot cancel A''s form');
SELECT throws_ok(format($$SELECT forms.amend_form(%L)$$, :'form_a'),
    'P0001', 'form_not_found', 'B cannot amend A''s form');

-- The request pool writes nothing directly, whatever the organization.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(format($$INSERT INTO forms.custom_fields (organization_id, entity_type, key) VALUES (%L, 'patient', 'x')$$, :'org_a'),
    '42501', NULL, 'no direct insert of fields');
SELECT throws_ok($$UPDATE forms.custom_field_values SET value = '1'$$, '42501', NULL, 'no direct update of values');
SELECT throws_ok($$DELETE FROM forms.custom_field_versions$$, '42501', NULL, 'no direct delete of field versions');
SELECT throws_ok($$UPDATE forms.form_templates SET name = 'x'$$, '42501', NULL, 'no direct update of templates');
SELECT throws_ok($$DELETE FROM forms.form_template_versions$$, '42501', NULL, 'no direct delete of template versions');
SELECT throws_ok($$DELETE FROM forms.service_forms$$, '42501', NULL, 'no direct delete of service forms');
SELECT throws_ok($$UPDATE forms.forms SET status = 'signed'$$, '42501', NULL, 'no direct update of forms');

-- Roles: billing and platform staff read no form and fill none.
SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is_empty('SELECT 1 FROM forms.forms', 'the billing role reads no form');
SELECT throws_ok(format($$SELECT forms.save_form(%L, '{"pain": 1}')$$, :'form_a'),
    'P0001', 'form_not_found', 'nor fills one');
SELECT throws_ok($$SELECT forms.create_template('{"purpose": "intake", "name": "x"}')$$,
    '42501', NULL, 'nor builds templates');
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is_empty('SELECT 1 FROM forms.forms', 'platform support reads no form');
SELECT is_empty('SELECT 1 FROM forms.custom_field_values', 'nor any field value');

SELECT * FROM finish();
ROLLBACK;
