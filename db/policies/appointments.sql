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
