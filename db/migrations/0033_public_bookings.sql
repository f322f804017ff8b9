-- Public two-phase booking (issue 22, seed 6.4): a guest books a public calendar's slot into
-- `requested` with a live hold, a guest patient profile, the org's terms and privacy
-- notice accepted and the calendar's before-booking forms signed; staff confirm, or the
-- request expires. Functions in db/functions/appointments/30_public.sql.

-- How long a guest's request waits for the clinic before it expires and frees the slot.
ALTER TABLE scheduling.calendars
ADD COLUMN request_expiry_hours integer NOT NULL DEFAULT 48,
ADD CONSTRAINT calendars_request_expiry_hours_valid CHECK (request_expiry_hours BETWEEN 1 AND 720);

ALTER TABLE appointments.appointments
ADD COLUMN request_expires_at timestamptz,
ADD COLUMN guest_hold_sha256 text,
ADD CONSTRAINT appointments_guest_hold_sha256_format CHECK (guest_hold_sha256 ~ '^[0-9a-f]{64}$'),
ADD CONSTRAINT appointments_request_expiry_guest_only CHECK (request_expires_at IS NULL OR guest_email IS NOT NULL);
COMMENT ON COLUMN appointments.appointments.request_expires_at IS 'When an unconfirmed guest request expires (the worker cancels it with reason expired).';
COMMENT ON COLUMN appointments.appointments.guest_hold_sha256 IS 'SHA-256 of the hold token a public booking consumed: a repeat with the same token answers the same appointment.';
-- One booking per hold token, whatever races: the second insert waits for the first and fails.
CREATE UNIQUE INDEX appointments_guest_hold_key ON appointments.appointments (organization_id, guest_hold_sha256)
WHERE guest_hold_sha256 IS NOT NULL;
-- The expiry worker's scan: requested guest bookings by expiry.
CREATE INDEX appointments_request_expiry_idx ON appointments.appointments (request_expires_at)
WHERE status = 'requested' AND request_expires_at IS NOT NULL;

-- A guest who consents while booking has no account: the ledger row's subject is the patient
-- profile (subject_patient_profile_id), with no principal; `public_booking` is its source.
ALTER TABLE consent.consents ALTER COLUMN subject_principal_id DROP NOT NULL;
ALTER TABLE consent.consents DROP CONSTRAINT consents_source_valid;
ALTER TABLE consent.consents
ADD CONSTRAINT consents_source_valid CHECK (source IN ('api', 'form', 'public_booking')),
ADD CONSTRAINT consents_subject_present CHECK (subject_principal_id IS NOT NULL OR subject_patient_profile_id IS NOT NULL);
