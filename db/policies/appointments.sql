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
