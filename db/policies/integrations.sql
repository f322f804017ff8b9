-- Who reaches the provider registries. Column grants (db/migrations/0009_integrations.sql)
-- already keep credentials out of every request-pool SELECT; these policies decide the rows.

-- Cat A: curated by platform admins, read by platform staff, used by the system pool.
-- Clinics see only what integrations.resolve_provider answers for their own organization.
SELECT util.reset_policies('integrations.platform_service_providers');
CREATE POLICY "platform staff read the service providers" ON integrations.platform_service_providers
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "platform admins add service providers" ON integrations.platform_service_providers
FOR INSERT TO restartix_app
WITH CHECK ((SELECT iam.is_platform_admin()));
CREATE POLICY "platform admins change service providers" ON integrations.platform_service_providers
FOR UPDATE TO restartix_app
USING ((SELECT iam.is_platform_admin()))
WITH CHECK ((SELECT iam.is_platform_admin()));
CREATE POLICY "platform admins remove service providers" ON integrations.platform_service_providers
FOR DELETE TO restartix_app
USING ((SELECT iam.is_platform_admin()));
CREATE POLICY "the system pool reads the service providers it calls" ON integrations.platform_service_providers
FOR SELECT TO restartix_system
USING (true);

-- Cat B: the clinic's own connections, managed by holders of integrations.manage.
SELECT util.reset_policies('integrations.organization_integrations');
CREATE POLICY "integration managers read their organization's integrations"
ON integrations.organization_integrations
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('integrations.manage'))
);
CREATE POLICY "platform staff read every integration" ON integrations.organization_integrations
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "integration managers connect integrations" ON integrations.organization_integrations
FOR INSERT TO restartix_app
WITH CHECK (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('integrations.manage'))
);
CREATE POLICY "integration managers change their organization's integrations"
ON integrations.organization_integrations
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('integrations.manage'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "integration managers disconnect their organization's integrations"
ON integrations.organization_integrations
FOR DELETE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('integrations.manage'))
);
CREATE POLICY "the system pool uses the integrations of the organization it acts for"
ON integrations.organization_integrations
FOR SELECT TO restartix_system
USING (organization_id = (SELECT iam.current_org_id()));
CREATE POLICY "the system pool records the state of the organization's integrations"
ON integrations.organization_integrations
FOR UPDATE TO restartix_system
USING (organization_id = (SELECT iam.current_org_id()))
WITH CHECK (organization_id = (SELECT iam.current_org_id()));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('integrations.platform_service_providers');
SELECT audit.track('integrations.organization_integrations');
