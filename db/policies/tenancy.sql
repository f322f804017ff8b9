-- Who sees and changes organizations, their domains and their memberships.
-- Members act in the organization of the request (iam.current_member_org_id()); platform
-- staff read across organizations only through the policies that name them.
-- The request pool has no INSERT/UPDATE/DELETE grant on these tables (migration 0014,
-- db/tests/test_app_privileges.sql): writes go through the SECURITY DEFINER functions, which
-- carry the owner, last-owner and subset rules; the write policies below are a second fence.

SELECT util.reset_policies('tenancy.organizations');
CREATE POLICY "members read their current organization" ON tenancy.organizations
FOR SELECT TO restartix_app
USING (id = (SELECT iam.current_member_org_id()));
CREATE POLICY "principals read the organizations they belong to" ON tenancy.organizations
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM tenancy.organization_memberships AS m
    WHERE m.organization_id = organizations.id
      AND m.principal_id = (SELECT iam.current_principal_id())
));
CREATE POLICY "platform staff read every organization" ON tenancy.organizations
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "organization editors update their organization" ON tenancy.organizations
FOR UPDATE TO restartix_app
USING (
    id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('organizations.update'))
)
WITH CHECK (id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform admins create and update organizations" ON tenancy.organizations
FOR ALL TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));

SELECT util.reset_policies('tenancy.organization_domains');
CREATE POLICY "members read their organization's domains" ON tenancy.organization_domains
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform staff read every domain" ON tenancy.organization_domains
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "domain managers manage their organization's domains" ON tenancy.organization_domains
FOR ALL TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('domains.manage'))
)
WITH CHECK (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('domains.manage'))
);

SELECT util.reset_policies('tenancy.organization_memberships');
CREATE POLICY "members read their organization's memberships" ON tenancy.organization_memberships
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "principals read their own memberships" ON tenancy.organization_memberships
FOR SELECT TO restartix_app
USING (principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "platform staff read every membership" ON tenancy.organization_memberships
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "inviters invite into their organization" ON tenancy.organization_memberships
FOR INSERT TO restartix_app
WITH CHECK (
    organization_id = (SELECT iam.current_member_org_id())
    AND status = 'invited'
    AND (SELECT iam.has_permission('members.invite'))
);
CREATE POLICY "member managers change memberships" ON tenancy.organization_memberships
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('members.manage'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "member managers remove memberships" ON tenancy.organization_memberships
FOR DELETE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('members.manage'))
);
CREATE POLICY "platform admins manage every membership" ON tenancy.organization_memberships
FOR ALL TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));
CREATE POLICY "the system pool reads memberships and records their use"
ON tenancy.organization_memberships
FOR ALL TO restartix_system USING (true) WITH CHECK (true);

SELECT util.reset_policies('tenancy.invitations');
CREATE POLICY "members who may see members read their organization's invitations" ON tenancy.invitations
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('members.read'))
);
CREATE POLICY "platform staff read every invitation" ON tenancy.invitations
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "inviters create invitations in their organization" ON tenancy.invitations
FOR INSERT TO restartix_app
WITH CHECK (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('members.invite'))
);
CREATE POLICY "member managers revoke their organization's invitations" ON tenancy.invitations
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('members.manage'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform admins manage every invitation" ON tenancy.invitations
FOR ALL TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('tenancy.organizations', p_org_column => 'id');
SELECT audit.track('tenancy.organization_domains');
SELECT audit.track('tenancy.organization_memberships', p_quiet => ARRAY['last_used_at']);
SELECT audit.track('tenancy.invitations');
SELECT audit.track('tenancy.organization_settings');
