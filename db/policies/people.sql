-- Who sees patient profiles, caregivers and patients. The request pool has no write grant on
-- these tables (db/tests/test_app_privileges.sql): writes go through the people functions.
-- Patient-facing policies use people.current_human_patient_profile_ids() (one's own profile
-- and those one is an active caregiver of). Members of an organization never read
-- patient_profiles directly: people.org_patients() is the sharing gate. There is no platform
-- staff policy on any of these tables: platform staff read patient data only under an open
-- break-glass grant, as a read-only member (iam.current_member_org_id, people.member_holds).

SELECT util.reset_policies('people.patient_profiles');
CREATE POLICY "humans read their own and their cared-for profiles" ON people.patient_profiles
FOR SELECT TO restartix_app
USING (id IN (SELECT people.current_human_patient_profile_ids()));

SELECT util.reset_policies('people.patient_caregivers');
CREATE POLICY "caregivers read their own links" ON people.patient_caregivers
FOR SELECT TO restartix_app
USING (caregiver_human_id = (SELECT iam.current_principal_id()));
CREATE POLICY "humans read the caregivers of their own profile" ON people.patient_caregivers
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM people.patient_profiles AS pp
    WHERE pp.id = patient_caregivers.patient_profile_id
      AND pp.human_id = (SELECT iam.current_principal_id())
));
CREATE POLICY "patient readers read the caregivers of their organization's patients" ON people.patient_caregivers
FOR SELECT TO restartix_app
USING (
    (SELECT people.member_holds('patients.read'))
    AND EXISTS (
        SELECT 1 FROM people.patients AS pt
        WHERE pt.patient_profile_id = patient_caregivers.patient_profile_id
          AND pt.organization_id = (SELECT iam.current_member_org_id())
          AND pt.deleted_at IS NULL
    )
);

SELECT util.reset_policies('people.patients');
CREATE POLICY "patient readers read their organization's live patients" ON people.patients
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('patients.read'))
);
CREATE POLICY "humans read where they and those they care for are patients" ON people.patients
FOR SELECT TO restartix_app
USING (
    patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
    AND deleted_at IS NULL
);

SELECT audit.track('people.patient_profiles', p_org_column => NULL);
SELECT audit.track('people.patient_caregivers', p_org_column => NULL);
SELECT audit.track('people.patients');
