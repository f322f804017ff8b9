-- Appointments are patient data: members read them when their role holds appointments.read
-- and patients.read (people.member_holds, never a platform role alone). Nobody writes the
-- table directly (db/tests/test_app_privileges.sql): db/functions/appointments/ does.
-- Patients, and caregivers allowed to book for them, read their own appointments.

SELECT util.reset_policies('appointments.appointments');
CREATE POLICY "appointment readers who read patients read their organization's live appointments" ON appointments.appointments
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('appointments.read'))
    AND (SELECT people.member_holds('patients.read'))
);
CREATE POLICY "humans read their appointments and those of people they book for" ON appointments.appointments
FOR SELECT TO restartix_app
USING (
    patient_profile_id IN (SELECT appointments.my_profile_ids())
    AND deleted_at IS NULL
);

SELECT audit.track('appointments.appointments');

-- A series is read like its appointments: appointments.read and patients.read in the
-- organization. Written only by appointments.book_series and appointments.cancel_series.
SELECT util.reset_policies('appointments.series');
CREATE POLICY "appointment readers who read patients read their organization's series" ON appointments.series
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('appointments.read'))
    AND (SELECT people.member_holds('patients.read'))
);

SELECT audit.track('appointments.series');

-- Feed tokens: the specialist sees their own feeds, appointment managers those of the
-- organization; the token hash is not granted to the request pool at all (column grants).
SELECT util.reset_policies('appointments.calendar_feeds');
CREATE POLICY "appointment managers and the specialist themself read the organization's feeds" ON appointments.calendar_feeds
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (
        (SELECT people.member_holds('appointments.manage'))
        OR specialist_id IN (SELECT appointments.my_specialist_ids())
    )
);

SELECT audit.track('appointments.calendar_feeds');

-- Appointment files: the clinic's appointment readers read which files an appointment
-- carries; the patient and booking caregivers read theirs through appointments.my_files().
SELECT util.reset_policies('appointments.appointment_files');
CREATE POLICY "appointment readers who read patients read which files their organization's appointments carry" ON appointments.appointment_files
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('appointments.read'))
    AND (SELECT people.member_holds('patients.read'))
);

-- Reviews: the clinic's appointment readers, and the human who may see the appointment.
SELECT util.reset_policies('appointments.appointment_reviews');
CREATE POLICY "appointment readers who read patients read their organization's reviews" ON appointments.appointment_reviews
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('appointments.read'))
    AND (SELECT people.member_holds('patients.read'))
);
CREATE POLICY "humans read the reviews of their appointments and of those they book for" ON appointments.appointment_reviews
FOR SELECT TO restartix_app
USING (
    appointment_id IN (
        SELECT a.id FROM appointments.appointments AS a
        WHERE
            a.patient_profile_id IN (SELECT appointments.my_profile_ids())
            AND a.deleted_at IS NULL
    )
);

SELECT audit.track('appointments.appointment_files');
SELECT audit.track('appointments.appointment_reviews');

-- A video room is seen with its appointment (the appointment's policies decide: its clinic's
-- readers, its patient and their booking caregivers); the worker sees every room it serves.
SELECT util.reset_policies('appointments.video_rooms');
CREATE POLICY "video rooms are visible with their appointment" ON appointments.video_rooms
FOR SELECT TO restartix_app
USING (EXISTS (SELECT 1 FROM appointments.appointments AS a WHERE a.id = video_rooms.appointment_id));
CREATE POLICY "the system pool reads every video room it serves" ON appointments.video_rooms
FOR SELECT TO restartix_system
USING (TRUE);

SELECT audit.track('appointments.video_rooms');
