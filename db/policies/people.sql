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

-- Specialists and specialties are the clinic's staff data, not patient data: every active
-- member reads the live ones (a receptionist books with them, a specialist sees colleagues),
-- and platform staff read them too (support answers "why is Dr X not bookable"), as they
-- read members and roles. Nobody writes them directly: the people functions do, for members
-- holding specialists.manage through their role. Signature files are not readable here:
-- people.specialist_signature() is the only way to them.
SELECT util.reset_policies('people.specialists');
CREATE POLICY "members read their organization's live specialists" ON people.specialists
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND deleted_at IS NULL);
CREATE POLICY "platform staff read every specialist" ON people.specialists
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('people.specialties');
CREATE POLICY "members read their organization's specialties" ON people.specialties
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform staff read every specialty" ON people.specialties
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('people.specialist_specialties');
CREATE POLICY "members read their organization's specialist specialties" ON people.specialist_specialties
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform staff read every specialist specialty" ON people.specialist_specialties
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

SELECT audit.track('people.specialists');
SELECT audit.track('people.specialties');
SELECT audit.track('people.specialist_specialties');
-- Patient subscriptions: the clinic's patient readers, and the person (or their caregivers)
-- for their own; overrides (with the clinic's reasons) are the clinic's only. No platform
-- staff policy here either.
SELECT util.reset_policies('people.patient_subscriptions');
CREATE POLICY "patient readers read their organization's patient subscriptions" ON people.patient_subscriptions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('patients.read'))
);
CREATE POLICY "humans read the subscriptions where they and those they care for are patients"
ON people.patient_subscriptions
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM people.patients AS pt
    WHERE pt.id = patient_subscriptions.patient_id
      AND pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
      AND pt.deleted_at IS NULL
));

-- A snapshot row is visible with its subscription: the subquery is itself filtered by the
-- two policies above.
SELECT util.reset_policies('people.patient_subscription_entitlements');
CREATE POLICY "readers of a patient subscription read its perk snapshot" ON people.patient_subscription_entitlements
FOR SELECT TO restartix_app
USING (subscription_id IN (SELECT s.id FROM people.patient_subscriptions AS s));

SELECT util.reset_policies('people.patient_subscription_limits');
CREATE POLICY "readers of a patient subscription read its limit snapshot" ON people.patient_subscription_limits
FOR SELECT TO restartix_app
USING (subscription_id IN (SELECT s.id FROM people.patient_subscriptions AS s));

SELECT util.reset_policies('people.patient_subscription_overrides');
CREATE POLICY "patient readers read their organization's patient overrides" ON people.patient_subscription_overrides
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('patients.read'))
);

SELECT audit.track('people.patient_subscriptions');
SELECT audit.track('people.patient_subscription_entitlements');
SELECT audit.track('people.patient_subscription_limits');
SELECT audit.track('people.patient_subscription_overrides');
