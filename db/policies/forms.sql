-- Who reads custom fields, templates and forms. The request pool has no write grant on these
-- tables (db/tests/test_app_privileges.sql): writes go through the forms functions. Staff
-- readers are members whose role holds forms.read (people.member_holds: never a platform
-- role, since forms are patient data). Patients, and their active caregivers, read their own
-- forms and the template versions those forms were made from.

SELECT util.reset_policies('forms.custom_fields');
CREATE POLICY "form readers read their organization's live custom fields" ON forms.custom_fields
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('forms.read') OR people.member_holds('custom_fields.manage'))
);

SELECT util.reset_policies('forms.custom_field_versions');
CREATE POLICY "form readers read their organization's custom field versions" ON forms.custom_field_versions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read') OR people.member_holds('custom_fields.manage'))
);

SELECT util.reset_policies('forms.custom_field_values');
CREATE POLICY "form readers read their organization's custom field values" ON forms.custom_field_values
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read'))
);

SELECT util.reset_policies('forms.form_templates');
CREATE POLICY "form readers read their organization's live form templates" ON forms.form_templates
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('forms.read'))
);

SELECT util.reset_policies('forms.form_template_versions');
CREATE POLICY "form readers read their organization's template versions" ON forms.form_template_versions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read'))
);
CREATE POLICY "humans read the template versions of their own and cared-for forms" ON forms.form_template_versions
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM forms.forms AS f
    INNER JOIN people.patients AS pt ON f.patient_id = pt.id
    WHERE f.form_template_version_id = form_template_versions.id
      AND pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
      AND pt.deleted_at IS NULL
));

SELECT util.reset_policies('forms.service_forms');
CREATE POLICY "form readers read their organization's service forms" ON forms.service_forms
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read'))
);

SELECT util.reset_policies('forms.forms');
CREATE POLICY "form readers read their organization's forms" ON forms.forms
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read'))
);
CREATE POLICY "humans read their own and their cared-for forms" ON forms.forms
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM people.patients AS pt
    WHERE pt.id = forms.patient_id
      AND pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
      AND pt.deleted_at IS NULL
));


SELECT util.reset_policies('forms.form_files');
CREATE POLICY "form readers read which files their organization's forms carry" ON forms.form_files
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('forms.read'))
);
CREATE POLICY "humans read which files their own and their cared-for forms carry" ON forms.form_files
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM forms.forms AS f
    INNER JOIN people.patients AS pt ON f.patient_id = pt.id
    WHERE f.id = form_files.form_id
      AND pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
      AND pt.deleted_at IS NULL
));

SELECT audit.track('forms.custom_fields');
SELECT audit.track('forms.custom_field_versions');
SELECT audit.track('forms.custom_field_values');
SELECT audit.track('forms.form_templates');
SELECT audit.track('forms.form_template_versions');
SELECT audit.track('forms.service_forms');
SELECT audit.track('forms.forms');
SELECT audit.track('forms.form_files');
