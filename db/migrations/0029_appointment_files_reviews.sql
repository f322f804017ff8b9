-- Appointment files and reviews (issue 22). Files: stored through `storage` with their own
-- purpose (appointment_file), linked to an appointment; removing one soft-deletes the link and
-- retires the file. Reviews: 1-5 stars and an optional comment by the patient (or a caregiver
-- who books for them) once an appointment is done, one per appointment. Writes go through
-- db/functions/appointments/40_files_reviews.sql; the request pool only reads.

-- The purpose list is every earlier migration's plus appointment_file.
ALTER TABLE storage.files DROP CONSTRAINT files_purpose_valid;
ALTER TABLE storage.files ADD CONSTRAINT files_purpose_valid CHECK (
    purpose IN (
        'logo', 'specialist_signature', 'form_file', 'form_signature', 'service_attachment', 'appointment_file'
    )
);

CREATE TABLE appointments.appointment_files (
    file_id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    appointment_id uuid NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT appointment_files_appointment_fkey FOREIGN KEY (appointment_id, organization_id)
    REFERENCES appointments.appointments (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT appointment_files_file_fkey FOREIGN KEY (file_id, organization_id)
    REFERENCES storage.files (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE appointments.appointment_files IS 'Files (PDFs, images) attached to an appointment, stored through storage; removal is a soft delete.';
CREATE INDEX appointment_files_appointment_idx ON appointments.appointment_files (organization_id, appointment_id, created_at);
GRANT SELECT ON TABLE appointments.appointment_files TO restartix_app;

CREATE TABLE appointments.appointment_reviews (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    appointment_id uuid NOT NULL,
    stars smallint NOT NULL,
    comment text,
    reviewed_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT appointment_reviews_appointment_key UNIQUE (appointment_id),
    CONSTRAINT appointment_reviews_appointment_fkey FOREIGN KEY (appointment_id, organization_id)
    REFERENCES appointments.appointments (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT appointment_reviews_stars_valid CHECK (stars BETWEEN 1 AND 5),
    CONSTRAINT appointment_reviews_comment_length CHECK (length(comment) <= 2000)
);
COMMENT ON TABLE appointments.appointment_reviews IS 'A patient''s rating of a done appointment (1-5 stars, optional comment), one per appointment.';
CREATE INDEX appointment_reviews_org_created_idx ON appointments.appointment_reviews (organization_id, created_at, id);
GRANT SELECT ON TABLE appointments.appointment_reviews TO restartix_app;
