-- Appointments (issue 22, the core): what the scheduling migration's appointments table
-- lacks for booking and the state machine, the calendar settings booking reads, and the
-- permissions. Writes go through db/functions/appointments/; the request pool only reads.

ALTER TABLE appointments.appointments
ADD COLUMN patient_profile_id uuid REFERENCES people.patient_profiles (id) ON DELETE SET NULL,
ADD COLUMN modality text NOT NULL DEFAULT 'in_clinic',
ADD COLUMN guest_name text,
ADD COLUMN guest_phone text,
ADD COLUMN guest_email citext,
ADD COLUMN notes text,
ADD COLUMN cancellation_reason text,
ADD COLUMN cancelled_by text,
ADD COLUMN booked_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
ADD COLUMN patient_service_plan_id uuid,
ADD COLUMN session_returned_at timestamptz,
ADD COLUMN video_room text,
ADD COLUMN series_id uuid,
ADD CONSTRAINT appointments_plan_fkey FOREIGN KEY (patient_service_plan_id, organization_id)
REFERENCES catalog.patient_service_plans (id, organization_id),
ADD CONSTRAINT appointments_modality_valid CHECK (modality IN ('in_clinic', 'video', 'home_visit')),
ADD CONSTRAINT appointments_guest_name_length CHECK (length(guest_name) <= 200),
ADD CONSTRAINT appointments_guest_phone_length CHECK (length(guest_phone) <= 40),
ADD CONSTRAINT appointments_guest_email_length CHECK (length(guest_email) <= 254),
ADD CONSTRAINT appointments_notes_length CHECK (length(notes) <= 4000),
ADD CONSTRAINT appointments_cancellation_reason_length CHECK (length(cancellation_reason) <= 1000),
ADD CONSTRAINT appointments_cancelled_by_valid CHECK (cancelled_by IN ('patient', 'clinic')),
ADD CONSTRAINT appointments_cancelled_by_only_when_cancelled CHECK (cancelled_by IS NULL OR status = 'cancelled'),
ADD CONSTRAINT appointments_video_room_length CHECK (length(video_room) <= 500);
COMMENT ON COLUMN appointments.appointments.patient_service_plan_id IS 'The plan enrollment whose session this appointment used (catalog.plan_consumptions has the ledger row).';
COMMENT ON COLUMN appointments.appointments.session_returned_at IS 'When the used session was given back on cancellation; set once, so the give-back is idempotent.';
CREATE INDEX appointments_specialist_period_idx ON appointments.appointments (organization_id, specialist_id, lower(period));
CREATE INDEX appointments_org_start_idx ON appointments.appointments (organization_id, lower(period), id);

ALTER TABLE scheduling.calendars
ADD COLUMN auto_confirm boolean NOT NULL DEFAULT FALSE,
ADD COLUMN cancellation_window_hours integer NOT NULL DEFAULT 24,
ADD CONSTRAINT calendars_cancellation_window_valid CHECK (cancellation_window_hours BETWEEN 0 AND 720);

INSERT INTO iam.permissions (code, description) VALUES
('appointments.read', 'See the organization''s appointments.'),
('appointments.manage', 'Confirm, start, complete, cancel, reschedule and mark no-shows of appointments.'),
('appointments.book', 'Book appointments for the organization''s patients.');
-- Owners, admins and the front desk run the diary; clinicians read it, book and run their
-- sessions (start, complete); billing sees none of it.
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
CROSS JOIN (VALUES ('appointments.read'), ('appointments.manage'), ('appointments.book')) AS p (code)
WHERE r.organization_id IS NULL AND r.code IN ('owner', 'admin', 'receptionist', 'specialist');
