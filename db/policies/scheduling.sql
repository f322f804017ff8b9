-- Who reads scheduling. The request pool has no write grant on these tables
-- (db/tests/test_app_privileges.sql): writes go through the scheduling functions. Readers
-- are members of the organization whose role holds the permission (people.member_holds),
-- never a platform role. The appointments table's policy is in db/policies/appointments.sql.
-- The public booking page reads through scheduling.public_availability() on the system pool.

SELECT util.reset_policies('scheduling.specialist_weekly_hours');
CREATE POLICY "scheduling readers read their organization's weekly hours" ON scheduling.specialist_weekly_hours
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.specialist_schedule_overrides');
CREATE POLICY "scheduling readers read their organization's schedule overrides" ON scheduling.specialist_schedule_overrides
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.organization_closures');
CREATE POLICY "scheduling readers read their organization's closures" ON scheduling.organization_closures
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.calendars');
CREATE POLICY "scheduling readers read their organization's live calendars" ON scheduling.calendars
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.calendar_specialists');
CREATE POLICY "scheduling readers read the specialists of their organization's calendars" ON scheduling.calendar_specialists
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.calendar_forms');
CREATE POLICY "scheduling readers read the forms of their organization's calendars" ON scheduling.calendar_forms
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT util.reset_policies('scheduling.specialist_assignment_tracking');
CREATE POLICY "scheduling readers read their organization's assignment tracking" ON scheduling.specialist_assignment_tracking
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('scheduling.read'))
);

SELECT audit.track('scheduling.time_zones');
SELECT audit.track('scheduling.specialist_weekly_hours');
SELECT audit.track('scheduling.specialist_schedule_overrides');
SELECT audit.track('scheduling.organization_closures');
SELECT audit.track('scheduling.calendars');
SELECT audit.track('scheduling.calendar_specialists');
SELECT audit.track('scheduling.calendar_forms');
SELECT audit.track('scheduling.specialist_assignment_tracking');
