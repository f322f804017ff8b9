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

-- name: series_book
-- Books a course of sessions (appointments.book for each): a weekly rule or a list of starts.
SELECT appointments.book_series(
    %(calendar)s::uuid, %(patient)s::uuid, %(weekdays)s::integer [], %(time)s::time, %(first)s::date,
    %(count)s::integer, %(until)s::date, %(starts)s::timestamptz [], %(mode)s::text, %(holds)s::jsonb,
    %(specialist)s::uuid, %(modality)s::text, %(notes)s::text
) AS outcome;

-- name: series_by_id
-- One series as the caller's policies show it (appointments.read and patients.read).
SELECT
    s.id,
    s.organization_id,
    s.calendar_id,
    s.patient_id,
    s.specialist_id,
    s.weekdays::integer [] AS weekdays,
    to_char(s.local_time, 'HH24:MI') AS time,
    s.starts_on AS from_,
    s.occurrences AS count,
    s.until_date AS until,
    s.timezone,
    s.mode,
    s.created_by,
    s.created_at,
    s.cancelled_at,
    s.cancelled_from,
    s.cancellation_reason
FROM appointments.series AS s
WHERE s.id = %(id)s::uuid;

-- name: series_appointments
-- The appointments of a series, by start (the appointments policy applies too).
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
WHERE a.series_id = %(id)s::uuid AND a.deleted_at IS NULL
ORDER BY lower(a.period), a.id;

-- name: series_cancel
-- Cancels the remaining active sessions of a series from a time (appointments.manage).
SELECT appointments.cancel_series(%(id)s::uuid, %(reason)s::text, %(cancel_from)s::timestamptz) AS outcome;

-- name: calendar_feed_create
-- Creates (or replaces) a specialist's ICS feed; the token comes back once.
SELECT
    f.id,
    f.token,
    f.created_at
FROM appointments.create_calendar_feed(%(specialist)s::uuid, %(include_patient_names)s::boolean) AS f;

-- name: calendar_feed_get
-- A specialist's live ICS feed, without its token (the specialist or appointments.manage).
SELECT
    f.id,
    f.specialist_id,
    f.include_patient_names,
    f.patient_names_shown,
    f.created_by,
    f.created_at
FROM appointments.specialist_calendar_feed(%(specialist)s::uuid) AS f;

-- name: calendar_feed_revoke
-- Revokes a specialist's ICS feed (the specialist or appointments.manage).
SELECT appointments.revoke_calendar_feed(%(specialist)s::uuid);

-- name: public_calendar_feed
-- The live feed a token names (system pool); no row for an unknown or revoked token.
SELECT
    f.feed_id,
    f.organization_id,
    f.specialist_id,
    f.specialist_name,
    f.organization_name,
    f.patient_names_shown
FROM appointments.public_calendar_feed(%(token)s::text) AS f;

-- name: public_calendar_feed_events
-- The appointments an ICS feed shows, 30 days back to 180 ahead (system pool).
SELECT
    e.id,
    e.starts_at,
    e.ends_at,
    e.status,
    e.modality,
    e.service_name,
    e.patient_name,
    e.created_at,
    e.updated_at
FROM appointments.public_calendar_feed_events(%(token)s::text) AS e;
-- name: appointment_file_upload_begin
-- Records an upload grant for a file of a live appointment (appointments.manage); returns the pending file id.
SELECT appointments.begin_file_upload(
    %(appointment)s::uuid, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: appointment_file_attach
-- Attaches a checked appointment_file to the appointment (appointments.manage).
SELECT appointments.attach_file(%(appointment)s::uuid, %(file)s::uuid);

-- name: appointment_file_remove
-- Removes a file from the appointment (appointments.manage): soft delete, the sweep removes the bytes.
SELECT appointments.remove_file(%(appointment)s::uuid, %(file)s::uuid);

-- name: appointment_files
-- The checked files of a live appointment (appointments.read and patients.read).
SELECT f.* FROM appointments.files_of(%(appointment)s::uuid) AS f;

-- name: my_appointment_files
-- The checked files of one of the signed-in human's appointments (or of someone they book for).
SELECT f.* FROM appointments.my_files(%(appointment)s::uuid) AS f;

-- name: my_appointment_org
-- The organization that keeps one of the signed-in human's appointments (or of someone they
-- book for); no row otherwise.
SELECT a.organization_id
FROM appointments.appointments AS a
WHERE
    a.id = %(appointment)s::uuid
    AND a.patient_profile_id IN (SELECT appointments.my_profile_ids())
    AND a.deleted_at IS NULL;

-- name: my_appointment_file_upload_begin
-- Records an upload grant for a file of one of the signed-in human's appointments (or of
-- someone they book for) that still takes files; returns the pending file id.
SELECT appointments.begin_my_file_upload(
    %(appointment)s::uuid, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: my_appointment_file_upload_pending
-- Locks a pending file the signed-in human uploaded for one of their appointments for its
-- confirmation and returns what the check of its bytes needs.
SELECT
    u.object_key,
    u.purpose,
    u.declared_mime,
    u.upload_expires_at
FROM appointments.pending_my_file_upload(%(appointment)s::uuid, %(id)s::uuid) AS u;

-- name: my_appointment_file_upload_complete
-- Keeps the checked file within the clinic's storage.bytes limit and the 20-file cap and
-- attaches it to the appointment.
SELECT appointments.complete_my_file_upload(
    %(appointment)s::uuid,
    %(id)s::uuid,
    %(object_key)s::text,
    %(detected_mime)s::text,
    %(size_bytes)s::bigint,
    %(sha256)s::text
);

-- name: my_appointment_file_upload_reject
-- Marks a pending file of the signed-in human's appointment rejected with the reason its bytes were refused.
SELECT appointments.reject_my_file_upload(
    %(appointment)s::uuid, %(id)s::uuid, %(reason)s::text, %(detected_mime)s::text, %(size_bytes)s::bigint
);

-- name: my_appointment_review_create
-- The patient or their booking caregiver rates a done appointment once; returns the review id.
SELECT appointments.review(%(appointment)s::uuid, %(stars)s::integer, %(comment)s::text) AS id;

-- name: my_appointment_review
-- The review of one of the signed-in human's appointments, through the reviews' policy.
SELECT
    r.id,
    r.appointment_id,
    r.stars,
    r.comment,
    r.created_at
FROM appointments.appointment_reviews AS r
INNER JOIN appointments.appointments AS a ON r.appointment_id = a.id
WHERE
    r.appointment_id = %(appointment)s::uuid
    AND a.patient_profile_id IN (SELECT appointments.my_profile_ids())
    AND a.deleted_at IS NULL;

-- name: appointment_review
-- The review of a live appointment of the organization (appointments.read and patients.read).
SELECT
    r.id,
    r.appointment_id,
    a.specialist_id,
    a.patient_id,
    r.stars,
    r.comment,
    r.created_at
FROM appointments.appointment_reviews AS r
INNER JOIN appointments.appointments AS a ON r.appointment_id = a.id
WHERE r.appointment_id = %(appointment)s::uuid AND a.deleted_at IS NULL;

-- name: appointment_reviews_list
-- The organization's reviews, filtered by specialist, stars and a range of when they were written.
-- sort: created_at timestamptz
-- key: id uuid
SELECT
    r.id,
    r.appointment_id,
    a.specialist_id,
    a.patient_id,
    r.stars,
    r.comment,
    r.created_at
FROM appointments.appointment_reviews AS r
INNER JOIN appointments.appointments AS a ON r.appointment_id = a.id
WHERE
    a.deleted_at IS NULL
    AND (%(specialist)s::uuid IS NULL OR a.specialist_id = %(specialist)s::uuid)
    AND (%(stars)s::integer IS NULL OR r.stars = %(stars)s::integer)
    AND (%(max_stars)s::integer IS NULL OR r.stars <= %(max_stars)s::integer)
    AND (%(created_from)s::timestamptz IS NULL OR r.created_at >= %(created_from)s::timestamptz)
    AND (%(created_before)s::timestamptz IS NULL OR r.created_at < %(created_before)s::timestamptz);

-- name: video_join
-- The clinic's way into a video appointment's room (appointments.manage): in progress, room created.
SELECT
    v.room_name,
    v.room_url,
    v.provider_id,
    v.provider,
    v.config,
    v.expires_at
FROM appointments.video_join(%(id)s::uuid) AS v;

-- name: my_video_join
-- The patient's way into their video appointment's room: in progress, room created.
SELECT
    v.room_name,
    v.room_url,
    v.provider_id,
    v.provider,
    v.config,
    v.expires_at
FROM appointments.my_video_join(%(id)s::uuid) AS v;

-- name: video_rooms_claim
-- System side (the video_rooms worker): lease due rooms to create or delete at the provider.
SELECT
    c.id,
    c.organization_id,
    c.appointment_id,
    c.provider_id,
    c.provider,
    c.config,
    c.room_name,
    c.state,
    c.attempt,
    c.expires_at
FROM appointments.video_rooms_claim(%(worker)s::text, %(batch)s::integer, %(lease)s::interval) AS c;

-- name: video_room_record
-- System side: what the provider answered for a leased room; returns the room's new state.
SELECT appointments.video_room_record(
    %(id)s::uuid, %(worker)s::text, %(operation)s::text, %(ok)s::boolean, %(permanent)s::boolean,
    %(room_url)s::text, %(error)s::text
) AS state;

-- name: booking_requirements
-- What a patient still lacks to book a calendar (appointments.book); missing required forms become pending once.
SELECT appointments.booking_requirements(%(calendar)s::uuid, %(patient)s::uuid) AS requirements;

-- name: my_booking_requirements
-- What the signed-in human (or the person they book for) still lacks to book a public calendar.
SELECT appointments.my_booking_requirements(%(calendar)s::uuid, %(patient)s::uuid) AS requirements;

-- name: my_calendar_org
-- The organization of a public calendar a signed-in person may book (its holds are kept per organization).
SELECT appointments.my_calendar_org(%(calendar)s::uuid) AS organization_id;

-- name: my_appointment_book
-- The patient or their booking caregiver books a public calendar: requested, or confirmed when it auto-confirms.
SELECT appointments.book_mine(
    %(calendar)s::uuid, %(start)s::timestamptz, %(holds)s::jsonb, %(patient)s::uuid,
    %(specialist)s::uuid, %(modality)s::text
) AS id;

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
