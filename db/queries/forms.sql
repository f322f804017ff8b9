-- name: custom_fields_list
-- The organization's live custom fields with their current version (forms.read or
-- custom_fields.manage), optionally of one entity type.
-- sort: key text, created_at timestamptz
-- key: id uuid
SELECT
    f.id,
    f.organization_id,
    f.entity_type,
    f.key,
    f.current_version,
    v.id AS current_version_id,
    v.label,
    v.help,
    v.translations,
    v.field_type,
    v.options,
    v.rules,
    v.classification,
    f.created_at,
    f.updated_at
FROM forms.custom_fields AS f
INNER JOIN forms.custom_field_versions AS v ON f.id = v.custom_field_id AND f.current_version = v.version
WHERE
    f.deleted_at IS NULL
    AND (%(entity_type)s::text IS NULL OR f.entity_type = %(entity_type)s::text);

-- name: custom_field_by_id
-- One live custom field of the organization with its current version.
SELECT
    f.id,
    f.organization_id,
    f.entity_type,
    f.key,
    f.current_version,
    v.id AS current_version_id,
    v.label,
    v.help,
    v.translations,
    v.field_type,
    v.options,
    v.rules,
    v.classification,
    f.created_at,
    f.updated_at
FROM forms.custom_fields AS f
INNER JOIN forms.custom_field_versions AS v ON f.id = v.custom_field_id AND f.current_version = v.version
WHERE f.id = %(id)s::uuid AND f.organization_id = %(org)s::uuid AND f.deleted_at IS NULL;

-- name: custom_field_versions
-- Every published version of one custom field, oldest first.
SELECT
    v.id,
    v.custom_field_id,
    v.version,
    v.label,
    v.help,
    v.translations,
    v.field_type,
    v.options,
    v.rules,
    v.classification,
    v.published_at
FROM forms.custom_field_versions AS v
WHERE v.custom_field_id = %(id)s::uuid AND v.organization_id = %(org)s::uuid
ORDER BY v.version;

-- name: custom_field_create
-- Adds a custom field with its first version (custom_fields.manage).
SELECT forms.create_custom_field(%(fields)s::jsonb) AS id;

-- name: custom_field_update
-- Publishes the next version of a custom field (custom_fields.manage).
SELECT forms.update_custom_field(%(id)s::uuid, %(changes)s::jsonb) AS version;

-- name: custom_field_delete
-- Soft-deletes a custom field (custom_fields.manage).
SELECT forms.delete_custom_field(%(id)s::uuid);

-- name: patient_fields
-- The custom field values of one patient of the organization (forms.read), by field key.
SELECT
    f.key,
    f.id AS custom_field_id,
    cv.custom_field_version_id,
    cv.value,
    cv.source_form_id,
    cv.updated_at
FROM forms.custom_field_values AS cv
INNER JOIN forms.custom_fields AS f ON cv.custom_field_id = f.id
WHERE
    cv.organization_id = %(org)s::uuid
    AND cv.entity_type = 'patient'
    AND cv.entity_id = %(patient)s::uuid
    AND f.deleted_at IS NULL
ORDER BY f.key;

-- name: patient_fields_set
-- Sets custom field values of a patient by key, validated (custom_fields.manage).
SELECT forms.set_patient_fields(%(patient)s::uuid, %(values)s::jsonb);

-- name: templates_list
-- The organization's live form templates (forms.read), optionally of one purpose.
-- sort: name text, created_at timestamptz
-- key: id uuid
SELECT
    t.id,
    t.organization_id,
    t.purpose,
    t.name,
    t.description,
    t.translations,
    t.consent_purpose,
    t.consent_document_id,
    t.draft,
    t.current_version,
    t.active,
    t.created_at,
    t.updated_at
FROM forms.form_templates AS t
WHERE
    t.deleted_at IS NULL
    AND (%(purpose)s::text IS NULL OR t.purpose = %(purpose)s::text);

-- name: template_by_id
-- One live form template of the organization.
SELECT
    t.id,
    t.organization_id,
    t.purpose,
    t.name,
    t.description,
    t.translations,
    t.consent_purpose,
    t.consent_document_id,
    t.draft,
    t.current_version,
    t.active,
    t.created_at,
    t.updated_at
FROM forms.form_templates AS t
WHERE t.id = %(id)s::uuid AND t.organization_id = %(org)s::uuid AND t.deleted_at IS NULL;

-- name: template_create
-- Adds a form template with its draft (forms.manage).
SELECT forms.create_template(%(fields)s::jsonb) AS id;

-- name: template_update
-- Edits a template and its draft (forms.manage).
SELECT forms.update_template(%(id)s::uuid, %(changes)s::jsonb);

-- name: template_publish
-- Freezes the draft into the next version (forms.manage).
SELECT forms.publish_template(%(id)s::uuid) AS id;

-- name: template_preview
-- Validates sample answers against the draft, storing nothing (forms.manage).
SELECT forms.preview_validate(%(id)s::uuid, %(answers)s::jsonb) AS result;

-- name: template_versions
-- The published versions of one template, oldest first.
SELECT
    v.id,
    v.form_template_id,
    v.version,
    v.purpose,
    v.name,
    v.translations,
    v.consent_purpose,
    v.consent_document_id,
    v.consent_document_version,
    v.definition,
    v.pdf_template_id,
    v.published_at
FROM forms.form_template_versions AS v
WHERE v.form_template_id = %(id)s::uuid AND v.organization_id = %(org)s::uuid
ORDER BY v.version;

-- name: template_version_by_id
-- One template version the caller may read (members with forms.read; patients and their
-- caregivers for the versions of their forms).
SELECT
    v.id,
    v.form_template_id,
    v.version,
    v.purpose,
    v.name,
    v.translations,
    v.consent_purpose,
    v.consent_document_id,
    v.consent_document_version,
    v.definition,
    v.pdf_template_id,
    v.published_at
FROM forms.form_template_versions AS v
WHERE v.id = %(id)s::uuid;

-- name: forms_list
-- The organization's forms (forms.read), filtered by patient, appointment or status.
-- sort: created_at timestamptz
-- key: id uuid
SELECT
    f.id,
    f.organization_id,
    f.form_template_id,
    f.form_template_version_id,
    f.patient_id,
    f.appointment_id,
    f.amends_form_id,
    f.status,
    f.answers,
    f.warnings,
    f.filler_kind,
    f.completed_at,
    f.signed_by,
    f.signed_at,
    f.signature_file_id,
    f.signature_sha256,
    f.cancelled_at,
    f.created_at,
    f.updated_at
FROM forms.forms AS f
WHERE
    f.organization_id = %(org)s::uuid
    AND (%(patient)s::uuid IS NULL OR f.patient_id = %(patient)s::uuid)
    AND (%(appointment)s::uuid IS NULL OR f.appointment_id = %(appointment)s::uuid)
    AND (%(status)s::text IS NULL OR f.status = %(status)s::text);

-- name: form_by_id
-- One form the caller may read (members with forms.read; the patient and their caregivers).
SELECT
    f.id,
    f.organization_id,
    f.form_template_id,
    f.form_template_version_id,
    f.patient_id,
    f.appointment_id,
    f.amends_form_id,
    f.status,
    f.answers,
    f.warnings,
    f.filler_kind,
    f.completed_at,
    f.signed_by,
    f.signed_at,
    f.signature_file_id,
    f.signature_sha256,
    f.cancelled_at,
    f.created_at,
    f.updated_at
FROM forms.forms AS f
WHERE f.id = %(id)s::uuid;

-- name: my_forms
-- The forms of the signed-in human and of those they care for, in every organization,
-- newest first; only the ones still to fill or sign unless all are asked for.
SELECT
    f.id,
    f.organization_id,
    f.form_template_id,
    f.form_template_version_id,
    f.patient_id,
    f.appointment_id,
    f.amends_form_id,
    f.status,
    f.answers,
    f.warnings,
    f.filler_kind,
    f.completed_at,
    f.signed_by,
    f.signed_at,
    f.signature_file_id,
    f.signature_sha256,
    f.cancelled_at,
    f.created_at,
    f.updated_at
FROM forms.forms AS f
WHERE %(include_done)s::boolean OR f.status IN ('draft', 'in_progress', 'completed')
ORDER BY f.created_at DESC, f.id DESC
LIMIT 200;

-- name: form_create
-- Asks a patient to fill the newest version of a template (forms.manage).
SELECT forms.create_form(%(template)s::uuid, %(patient)s::uuid, %(appointment)s::uuid, NULL) AS id;

-- name: form_save
-- Saves answers of a draft form; returns the warnings (patient, caregiver, forms.fill).
SELECT forms.save_form(%(id)s::uuid, %(answers)s::jsonb) AS warnings;

-- name: form_complete
-- Validates and completes a form (patient, caregiver, forms.fill).
SELECT forms.complete_form(%(id)s::uuid, %(answers)s::jsonb);

-- name: form_sign
-- Signs a completed form with the request's evidence (patient, caregiver, forms.fill).
SELECT forms.sign_form(%(id)s::uuid, %(file)s::uuid) AS digest;

-- name: form_cancel
-- Cancels a form that is not signed (forms.manage).
SELECT forms.cancel_form(%(id)s::uuid);

-- name: form_amend
-- Starts a correction of a completed or signed form (forms.manage).
SELECT forms.amend_form(%(id)s::uuid) AS id;

-- name: service_forms_list
-- The templates a service of the organization asks for (forms.read).
SELECT
    sf.id,
    sf.service_id,
    sf.form_template_id,
    sf.required,
    sf.stage,
    sf.created_at
FROM forms.service_forms AS sf
WHERE sf.organization_id = %(org)s::uuid AND sf.service_id = %(service)s::uuid
ORDER BY sf.stage, sf.created_at, sf.id;

-- name: service_form_set
-- Asks for a template on a service, required or optional, at a stage (forms.manage).
SELECT forms.set_service_form(%(service)s::uuid, %(template)s::uuid, %(required)s::boolean, %(stage)s::text) AS id;

-- name: service_form_remove
-- Stops asking for a template on a service (forms.manage).
SELECT forms.remove_service_form(%(id)s::uuid);

-- name: form_upload_begin
-- Records an upload grant (form_file or form_signature) for a form the caller may fill
-- (patient, caregiver with sign_forms, forms.fill) that still takes it; the pending file id.
SELECT forms.begin_form_upload(
    %(form)s::uuid, %(purpose)s::text, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: form_upload_pending
-- Locks a pending upload of a form the caller may fill for its confirmation and returns what
-- the check of its bytes needs.
SELECT
    u.object_key,
    u.purpose,
    u.declared_mime,
    u.upload_expires_at
FROM forms.pending_form_upload(%(form)s::uuid, %(id)s::uuid) AS u;

-- name: form_upload_complete
-- Marks a pending upload of a form ready with what its bytes were checked to be, within the
-- clinic's storage.bytes limit.
SELECT forms.complete_form_upload(
    %(form)s::uuid,
    %(id)s::uuid,
    %(object_key)s::text,
    %(detected_mime)s::text,
    %(size_bytes)s::bigint,
    %(sha256)s::text
);

-- name: form_upload_reject
-- Marks a pending upload of a form rejected with the reason its bytes were refused.
SELECT forms.reject_form_upload(
    %(form)s::uuid, %(id)s::uuid, %(reason)s::text, %(detected_mime)s::text, %(size_bytes)s::bigint
);

-- name: form_upload
-- A checked file uploaded for a form the caller may fill.
SELECT
    f.id,
    f.detected_mime,
    f.size_bytes,
    f.sha256,
    f.object_key,
    f.uploaded_by,
    f.verified_at
FROM forms.form_upload(%(form)s::uuid, %(id)s::uuid) AS f;
