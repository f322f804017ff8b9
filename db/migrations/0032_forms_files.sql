-- Files uploaded for a form: the attachment a `file` item answers with and the signature
-- image a form is signed with. Each upload names its form, so an answer or a signature can
-- only reference a file uploaded for that patient's forms, and the patient (or a caregiver
-- with sign_forms) uploads for their own forms without any member permission. Writes go
-- through forms.begin_form_upload (db/functions/forms/50_files.sql).

CREATE TABLE forms.form_files (
    file_id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    form_id uuid NOT NULL,
    purpose text NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT form_files_form_fkey FOREIGN KEY (form_id, organization_id)
    REFERENCES forms.forms (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT form_files_file_fkey FOREIGN KEY (file_id, organization_id)
    REFERENCES storage.files (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT form_files_purpose_valid CHECK (purpose IN ('form_file', 'form_signature'))
);
COMMENT ON TABLE forms.form_files IS 'Which form each form_file / form_signature upload was made for.';
CREATE INDEX form_files_form_idx ON forms.form_files (organization_id, form_id, created_at);

-- Reads only; every write goes through the forms functions.
GRANT SELECT ON TABLE forms.form_files TO restartix_app;
