-- Who reads metered usage. Nobody writes it directly: metering.record_usage does, as the
-- owner, after its own checks (db/functions/metering/usage.sql).

SELECT util.reset_policies('metering.meters');
CREATE POLICY "authenticated principals read the meters" ON metering.meters
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
CREATE POLICY "the system pool reads the meters" ON metering.meters
FOR SELECT TO restartix_system USING (TRUE);

SELECT util.reset_policies('metering.usage_events');
CREATE POLICY "usage readers read their organization's usage events" ON metering.usage_events
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('usage.read'))
);
CREATE POLICY "platform staff read every usage event" ON metering.usage_events
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('metering.usage_rollups');
CREATE POLICY "usage readers read their organization's usage" ON metering.usage_rollups
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('usage.read'))
);
CREATE POLICY "platform staff read all usage" ON metering.usage_rollups
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

-- The idempotency keys are bookkeeping of record_usage: no runtime role has a grant, and
-- no policy lets anyone through.
SELECT util.reset_policies('metering.usage_event_keys');

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('metering.meters', p_org_column => NULL);
