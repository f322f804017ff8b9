-- The SQL the appointments routes send. Writes call db/functions/appointments/; reads go
-- through the table's policy (appointments.read and patients.read in the organization).

-- name: appointments_list
-- The organization's live appointments, filtered by specialist, patient, status and a start range.
-- sort: starts_at timestamptz, created_at timestamptz
-- key: id uuid
SELECT
    a.id,
    a.organization_id,
    a.calendar_id,
    a.service_id,
    a.specialist_id,
    a.patient_id,
    lower(a.period) AS starts_at,
    upper(a.period) AS ends_at,
    a.status,
    a.modality,
    a.notes,
    a.cancellation_reason,
    a.cancelled_by,
    a.patient_service_plan_id,
    a.guest_name,
    a.guest_phone,
    a.guest_email::text AS guest_email,
    a.request_expires_at,
    a.created_at,
    a.updated_at
FROM appointments.appointments AS a
WHERE
    a.deleted_at IS NULL
    AND (%(specialist)s::uuid IS NULL OR a.specialist_id = %(specialist)s::uuid)
    AND (%(patient)s::uuid IS NULL OR a.patient_id = %(patient)s::uuid)
    AND (%(status)s::text IS NULL OR a.status = %(status)s::text)
    AND (%(starts_from)s::timestamptz IS NULL OR lower(a.period) >= %(starts_from)s::timestamptz)
    AND (%(starts_before)s::timestamptz IS NULL OR lower(a.period) < %(starts_before)s::timestamptz);

-- name: appointment_by_id
-- One live appointment as the caller's policies show it.
SELECT
    a.id,
    a.organization_id,
    a.calendar_id,
    a.service_id,
    a.specialist_id,
    a.patient_id,
    lower(a.period) AS starts_at,
    upper(a.period) AS ends_at,
    a.status,
    a.modality,
    a.notes,
    a.cancellation_reason,
    a.cancelled_by,
    a.patient_service_plan_id,
    a.guest_name,
    a.guest_phone,
    a.guest_email::text AS guest_email,
    a.request_expires_at,
    a.created_at,
    a.updated_at
FROM appointments.appointments AS a
WHERE a.id = %(id)s::uuid AND a.deleted_at IS NULL;

-- name: appointment_book
-- Books a calendar slot for a patient (appointments.book); holds are the live ones minus the caller's token.
SELECT appointments.book(
    %(calendar)s::uuid, %(patient)s::uuid, %(start)s::timestamptz, %(holds)s::jsonb,
    %(specialist)s::uuid, %(modality)s::text, %(notes)s::text
) AS id;

-- name: appointment_transition
-- Moves an appointment to confirmed, inprogress, done or no_show (appointments.manage).
SELECT appointments.transition(%(id)s::uuid, %(status)s::text) AS status;

-- name: appointment_cancel
-- The clinic cancels with a reason (appointments.manage); true when a plan session came back.
SELECT appointments.cancel(%(id)s::uuid, %(reason)s::text) AS session_returned;

-- name: appointment_reschedule
-- Moves an appointment to another start with the same specialist (appointments.manage).
SELECT appointments.reschedule(%(id)s::uuid, %(start)s::timestamptz, %(holds)s::jsonb);

-- name: my_appointments
-- The signed-in human's appointments and those of people they book for; upcoming ones end
-- after now, past ones have ended. No clinic notes or cancellation reasons.
-- sort: starts_at timestamptz
-- key: id uuid
SELECT
    a.id,
    a.organization_id,
    a.service_id,
    a.specialist_id,
    a.patient_id,
    lower(a.period) AS starts_at,
    upper(a.period) AS ends_at,
    a.status,
    a.modality,
    a.cancelled_by
FROM appointments.appointments AS a
WHERE
    a.patient_profile_id IN (SELECT appointments.my_profile_ids())
    AND a.deleted_at IS NULL
    AND (upper(a.period) > util.now()) = %(upcoming)s::boolean;

-- name: my_appointment_by_id
-- One of the signed-in human's appointments (or of someone they book for).
SELECT
    a.id,
    a.organization_id,
    a.service_id,
    a.specialist_id,
    a.patient_id,
    lower(a.period) AS starts_at,
    upper(a.period) AS ends_at,
    a.status,
    a.modality,
    a.cancelled_by
FROM appointments.appointments AS a
WHERE a.id = %(id)s::uuid AND a.patient_profile_id IN (SELECT appointments.my_profile_ids()) AND a.deleted_at IS NULL;

-- name: my_appointment_cancel
-- The patient or their booking caregiver cancels before the start; true when the session came back.
SELECT appointments.cancel_mine(%(id)s::uuid, %(reason)s::text) AS session_returned;

-- name: public_booking
-- A guest books a public calendar's held slot into requested (system pool): the hold as Redis
-- has it (or NULL), the calendar's other live holds, contact, consents, forms and evidence.
SELECT
    b.appointment_id,
    b.status,
    b.request_expires_at,
    b.replayed
FROM appointments.book_guest(
    %(calendar)s::uuid, %(start)s::timestamptz, %(hold_sha256)s::text, %(hold)s::jsonb, %(holds)s::jsonb,
    %(guest)s::jsonb, %(consents)s::jsonb, %(forms)s::jsonb, %(notes)s::text,
    %(ip)s::text, %(agent)s::text, %(request_id)s::text
) AS b;

-- name: expire_requests
-- Cancels up to `batch` requested guest bookings past their expiry (system pool).
SELECT appointments.expire_requests(%(batch)s::integer) AS expired;
