-- Forms (seed 4.1-4.4, F3.5): custom fields a clinic records on its entities, published as
-- immutable versions, with their values; form templates published as immutable versions;
-- the services that ask for a template; and form instances a patient, a caregiver or staff
-- fill, complete and sign. A signed form is frozen for every role (a trigger refuses).
-- The request pool has no write grant on these tables: writes go through the SECURITY
-- DEFINER functions of db/functions/forms/, which validate values in SQL.

CREATE SCHEMA forms;
COMMENT ON SCHEMA forms IS 'Custom fields and their values, form templates and their versions, form instances.';
GRANT USAGE ON SCHEMA forms TO restartix_app, restartix_system;

CREATE TABLE forms.custom_fields (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entity_type text NOT NULL,
    key text NOT NULL,
    current_version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT custom_fields_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT custom_fields_id_org_entity_key UNIQUE (id, organization_id, entity_type),
    CONSTRAINT custom_fields_entity_type_valid CHECK (entity_type IN ('patient', 'appointment', 'specialist', 'service')),
    CONSTRAINT custom_fields_key_format CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT custom_fields_current_version_positive CHECK (current_version > 0)
);
COMMENT ON TABLE forms.custom_fields IS 'A field a clinic records on patients, appointments, specialists or services; its definition lives in versions.';
CREATE INDEX custom_fields_org_idx ON forms.custom_fields (organization_id, id);
CREATE INDEX custom_fields_org_key_idx ON forms.custom_fields (organization_id, key, id);
CREATE INDEX custom_fields_org_created_idx ON forms.custom_fields (organization_id, created_at, id);
-- Stable keys: unique among live fields of one organization and entity type.
CREATE UNIQUE INDEX custom_fields_key_key ON forms.custom_fields (organization_id, entity_type, key)
WHERE deleted_at IS NULL;

CREATE TABLE forms.custom_field_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    custom_field_id uuid NOT NULL,
    version integer NOT NULL,
    label text NOT NULL,
    help text NOT NULL DEFAULT '',
    translations jsonb NOT NULL DEFAULT '{}',
    field_type text NOT NULL,
    options jsonb NOT NULL DEFAULT '[]',
    rules jsonb NOT NULL DEFAULT '{}',
    classification text NOT NULL DEFAULT 'clinical',
    published_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT custom_field_versions_field_fkey FOREIGN KEY (custom_field_id, organization_id)
    REFERENCES forms.custom_fields (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT custom_field_versions_field_version_key UNIQUE (custom_field_id, version),
    CONSTRAINT custom_field_versions_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT custom_field_versions_version_positive CHECK (version > 0),
    CONSTRAINT custom_field_versions_label_length CHECK (length(btrim(label)) BETWEEN 1 AND 200),
    CONSTRAINT custom_field_versions_help_length CHECK (length(help) <= 2000),
    CONSTRAINT custom_field_versions_translations_valid CHECK (
        util.translations_valid(translations, '{"label": 200, "help": 2000}')
    ),
    CONSTRAINT custom_field_versions_type_valid CHECK (field_type IN (
        'text', 'long_text', 'number', 'integer', 'boolean', 'date', 'datetime',
        'single_choice', 'multi_choice', 'file', 'signature', 'scale'
    )),
    CONSTRAINT custom_field_versions_options_array CHECK (
        jsonb_typeof(options) = 'array' AND jsonb_array_length(options) <= 200
    ),
    CONSTRAINT custom_field_versions_rules_object CHECK (jsonb_typeof(rules) = 'object'),
    CONSTRAINT custom_field_versions_classification_valid CHECK (
        classification IN ('pii_basic', 'clinical', 'clinical_sensitive')
    )
);
COMMENT ON TABLE forms.custom_field_versions IS 'Immutable definition of a custom field: label, type, options, rules, classification.';
CREATE INDEX custom_field_versions_org_idx ON forms.custom_field_versions (organization_id, custom_field_id, version);

CREATE TABLE forms.custom_field_values (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    custom_field_id uuid NOT NULL,
    custom_field_version_id uuid NOT NULL,
    value jsonb NOT NULL,
    -- The form whose completion wrote it; NULL when staff set it directly.
    source_form_id uuid,
    updated_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT custom_field_values_field_fkey FOREIGN KEY (custom_field_id, organization_id, entity_type)
    REFERENCES forms.custom_fields (id, organization_id, entity_type) ON DELETE CASCADE,
    CONSTRAINT custom_field_values_version_fkey FOREIGN KEY (custom_field_version_id, organization_id)
    REFERENCES forms.custom_field_versions (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT custom_field_values_entity_field_key UNIQUE (organization_id, entity_id, custom_field_id),
    CONSTRAINT custom_field_values_size CHECK (pg_column_size(value) <= 65536)
);
COMMENT ON TABLE forms.custom_field_values IS 'The value of a custom field on one entity, validated against the field version it was written under.';
CREATE INDEX custom_field_values_org_idx ON forms.custom_field_values (organization_id, id);
CREATE INDEX custom_field_values_field_idx ON forms.custom_field_values (organization_id, custom_field_id);

CREATE TABLE forms.form_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    translations jsonb NOT NULL DEFAULT '{}',
    -- consent templates: the ledger purpose the signed form grants and the document it shows.
    consent_purpose text REFERENCES consent.purposes (code),
    consent_document_id uuid REFERENCES consent.documents (id),
    -- The editable draft: {"sections": [{"key", "title", "items": [...]}]} (docs/forms.md).
    draft jsonb NOT NULL DEFAULT '{"sections": []}',
    -- 0 until the first publication.
    current_version integer NOT NULL DEFAULT 0,
    active boolean NOT NULL DEFAULT TRUE,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT form_templates_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT form_templates_purpose_valid CHECK (
        purpose IN ('intake', 'questionnaire', 'consent', 'post_session', 'clinical_note')
    ),
    CONSTRAINT form_templates_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT form_templates_description_length CHECK (length(description) <= 4000),
    CONSTRAINT form_templates_translations_valid CHECK (
        util.translations_valid(translations, '{"name": 200, "description": 4000}')
    ),
    CONSTRAINT form_templates_consent_only_for_consent CHECK (
        (purpose = 'consent') = (consent_purpose IS NOT NULL)
        AND (consent_document_id IS NULL OR consent_purpose IS NOT NULL)
    ),
    CONSTRAINT form_templates_draft_size CHECK (pg_column_size(draft) <= 262144),
    CONSTRAINT form_templates_current_version_valid CHECK (current_version >= 0)
);
COMMENT ON TABLE forms.form_templates IS 'A form a clinic uses (intake, questionnaire, consent, post-session, clinical note) with its editable draft.';
CREATE INDEX form_templates_org_idx ON forms.form_templates (organization_id, id);
CREATE INDEX form_templates_org_name_idx ON forms.form_templates (organization_id, name, id);
CREATE INDEX form_templates_org_created_idx ON forms.form_templates (organization_id, created_at, id);

CREATE TABLE forms.form_template_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    form_template_id uuid NOT NULL,
    version integer NOT NULL,
    purpose text NOT NULL,
    name text NOT NULL,
    translations jsonb NOT NULL DEFAULT '{}',
    consent_purpose text REFERENCES consent.purposes (code),
    consent_document_id uuid REFERENCES consent.documents (id),
    consent_document_version integer,
    -- The frozen sections and items, each field-backed item carrying its field version.
    definition jsonb NOT NULL,
    -- Reserved for the PDF layouts of Layer 7.
    pdf_template_id uuid,
    published_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT form_template_versions_template_fkey FOREIGN KEY (form_template_id, organization_id)
    REFERENCES forms.form_templates (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT form_template_versions_template_version_key UNIQUE (form_template_id, version),
    CONSTRAINT form_template_versions_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT form_template_versions_version_positive CHECK (version > 0),
    CONSTRAINT form_template_versions_definition_size CHECK (pg_column_size(definition) <= 262144)
);
COMMENT ON TABLE forms.form_template_versions IS 'Immutable published version of a form template: ordered sections and items, conditions, consent terms.';
CREATE INDEX form_template_versions_org_idx ON forms.form_template_versions (organization_id, form_template_id, version);

CREATE TABLE forms.service_forms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    service_id uuid NOT NULL,
    form_template_id uuid NOT NULL,
    required boolean NOT NULL DEFAULT TRUE,
    stage text NOT NULL DEFAULT 'before_booking',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT service_forms_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_forms_template_fkey FOREIGN KEY (form_template_id, organization_id)
    REFERENCES forms.form_templates (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_forms_service_template_key UNIQUE (service_id, form_template_id, stage),
    CONSTRAINT service_forms_stage_valid CHECK (stage IN ('before_booking', 'after_visit'))
);
COMMENT ON TABLE forms.service_forms IS 'The form templates a service asks for, required or optional, before booking or after the visit.';
CREATE INDEX service_forms_org_idx ON forms.service_forms (organization_id, service_id);
CREATE INDEX service_forms_template_idx ON forms.service_forms (organization_id, form_template_id);

CREATE TABLE forms.forms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    form_template_id uuid NOT NULL,
    form_template_version_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    -- Appointments land with scheduling; the key follows them.
    appointment_id uuid,
    amends_form_id uuid,
    status text NOT NULL DEFAULT 'draft',
    answers jsonb NOT NULL DEFAULT '{}',
    -- The item keys the last save changed: the audit log shows them, never the values.
    changed_items text [] NOT NULL DEFAULT '{}',
    warnings jsonb NOT NULL DEFAULT '[]',
    filled_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    filler_kind text,
    completed_at timestamptz,
    signed_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    signed_at timestamptz,
    signature_file_id uuid REFERENCES storage.files (id),
    evidence_ip inet,
    evidence_user_agent text,
    signature_sha256 text,
    cancelled_at timestamptz,
    cancelled_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT forms_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT forms_version_fkey FOREIGN KEY (form_template_version_id, organization_id)
    REFERENCES forms.form_template_versions (id, organization_id),
    CONSTRAINT forms_template_fkey FOREIGN KEY (form_template_id, organization_id)
    REFERENCES forms.form_templates (id, organization_id),
    CONSTRAINT forms_patient_fkey FOREIGN KEY (patient_id) REFERENCES people.patients (id) ON DELETE CASCADE,
    CONSTRAINT forms_amends_fkey FOREIGN KEY (amends_form_id, organization_id)
    REFERENCES forms.forms (id, organization_id),
    CONSTRAINT forms_status_valid CHECK (status IN ('draft', 'in_progress', 'completed', 'signed', 'cancelled')),
    CONSTRAINT forms_answers_object CHECK (jsonb_typeof(answers) = 'object'),
    CONSTRAINT forms_answers_size CHECK (pg_column_size(answers) <= 262144),
    CONSTRAINT forms_filler_kind_valid CHECK (filler_kind IN ('patient', 'caregiver', 'staff')),
    CONSTRAINT forms_completed_when_done CHECK ((status IN ('completed', 'signed')) = (completed_at IS NOT NULL)),
    CONSTRAINT forms_signed_when_signed CHECK (
        (status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL AND signature_sha256 IS NOT NULL)
    ),
    CONSTRAINT forms_cancelled_when_cancelled CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT forms_sha256_format CHECK (signature_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT forms_user_agent_length CHECK (length(evidence_user_agent) <= 512)
);
COMMENT ON TABLE forms.forms IS 'A form filled for a patient from a template version: values, status, and once signed the frozen signature evidence.';
CREATE INDEX forms_org_idx ON forms.forms (organization_id, id);
CREATE INDEX forms_org_created_idx ON forms.forms (organization_id, created_at, id);
CREATE INDEX forms_patient_idx ON forms.forms (organization_id, patient_id, created_at, id);
CREATE INDEX forms_patient_only_idx ON forms.forms (patient_id);
CREATE INDEX forms_appointment_idx ON forms.forms (organization_id, appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX forms_status_idx ON forms.forms (organization_id, status, created_at, id);
CREATE INDEX forms_amends_idx ON forms.forms (amends_form_id) WHERE amends_form_id IS NOT NULL;
CREATE INDEX forms_version_idx ON forms.forms (organization_id, form_template_version_id);

-- Reads only; every write goes through the forms functions.
GRANT SELECT ON TABLE forms.custom_fields, forms.custom_field_versions, forms.custom_field_values,
forms.form_templates, forms.form_template_versions, forms.service_forms, forms.forms TO restartix_app;

-- Files of forms: attachments answered in an item, and signature images.
ALTER TABLE storage.files DROP CONSTRAINT files_purpose_valid;
ALTER TABLE storage.files ADD CONSTRAINT files_purpose_valid CHECK (
    purpose IN ('logo', 'specialist_signature', 'form_file', 'form_signature')
);

INSERT INTO consent.purposes (code, scope, default_legal_basis, document_required, description) VALUES
('profile_sharing', 'org', 'consent', FALSE, 'Sharing the whole patient profile with the clinic.'),
('telemedicine', 'org', 'consent', FALSE, 'Care delivered at a distance (video or phone).'),
('video_recording', 'org', 'consent', FALSE, 'Recording of sessions on video.'),
('biometric_capture', 'org', 'consent', FALSE, 'Capture of biometric data (motion, posture).'),
('treatment_specific', 'org', 'consent', FALSE, 'A specific treatment explained and accepted.');

INSERT INTO iam.permissions (code, description) VALUES
('forms.read', 'See the organization''s form templates and the forms of its patients.'),
('forms.manage', 'Create, edit and publish form templates; create, cancel and amend forms.'),
('forms.fill', 'Fill, complete and sign forms for the organization''s patients.'),
('custom_fields.manage', 'Create and change custom fields and set their values.');
-- Owners and admins run forms and fields; clinicians read, fill and manage forms; the front
-- desk reads and fills (intake at the counter); the billing role sees no patient forms.
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
CROSS JOIN (VALUES ('forms.read'), ('forms.manage'), ('forms.fill'), ('custom_fields.manage')) AS p (code)
WHERE r.organization_id IS NULL AND (
    r.code IN ('owner', 'admin')
    OR (r.code = 'specialist' AND p.code IN ('forms.read', 'forms.manage', 'forms.fill'))
    OR (r.code = 'receptionist' AND p.code IN ('forms.read', 'forms.fill'))
);

-- Consent forms (F3.5): the ledger records the form that granted a consent and the patient
-- profile it speaks for (a caregiver consenting for a child without an account); medical
-- purposes are granted only by a signed form.
ALTER TABLE consent.purposes ADD COLUMN form_only boolean NOT NULL DEFAULT FALSE;
COMMENT ON COLUMN consent.purposes.form_only IS 'Granted only by signing a consent form, never through the consents API.';
UPDATE consent.purposes SET form_only = TRUE
WHERE code IN ('telemedicine', 'video_recording', 'biometric_capture', 'treatment_specific');
ALTER TABLE consent.consents
ADD COLUMN form_id uuid REFERENCES forms.forms (id),
ADD COLUMN subject_patient_profile_id uuid REFERENCES people.patient_profiles (id);
ALTER TABLE consent.consents ADD CONSTRAINT consents_form_source CHECK ((form_id IS NULL) OR source = 'form');
CREATE INDEX consents_profile_idx ON consent.consents (subject_patient_profile_id, organization_id, purpose, seq DESC)
WHERE subject_patient_profile_id IS NOT NULL;
