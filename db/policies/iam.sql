-- Who sees and changes identities, roles and permissions.
-- Nothing is visible to the request pool without an acting principal.
-- The request pool has no INSERT/UPDATE/DELETE grant on these tables (migration 0014,
-- db/tests/test_app_privileges.sql): writes go through the SECURITY DEFINER functions, which
-- carry the owner, last-owner and subset rules; the write policies below are a second fence.

SELECT util.reset_policies('iam.principals');
CREATE POLICY "principals read themselves" ON iam.principals FOR SELECT TO restartix_app
USING (id = (SELECT iam.current_principal_id()));
CREATE POLICY "members read the principals of their organization" ON iam.principals
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM tenancy.organization_memberships AS m
    WHERE m.principal_id = principals.id AND m.organization_id = (SELECT iam.current_member_org_id())
));
CREATE POLICY "platform staff read every principal" ON iam.principals FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "the system pool reads and provisions principals" ON iam.principals
FOR ALL TO restartix_system USING (true) WITH CHECK (kind IN ('human', 'agent', 'service_account'));

SELECT util.reset_policies('iam.humans');
CREATE POLICY "humans read their own profile" ON iam.humans FOR SELECT TO restartix_app
USING (principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "members read the humans of their organization" ON iam.humans
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM tenancy.organization_memberships AS m
    WHERE m.principal_id = humans.principal_id
      AND m.organization_id = (SELECT iam.current_member_org_id())
));
CREATE POLICY "platform staff read every human" ON iam.humans FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "unblocked humans edit their own profile" ON iam.humans FOR UPDATE TO restartix_app
USING (
    principal_id = (SELECT iam.current_principal_id())
    AND NOT (SELECT iam.principal_is_blocked(iam.current_principal_id()))
)
WITH CHECK (principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "platform admins edit every human" ON iam.humans FOR UPDATE TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));
CREATE POLICY "the system pool reads and provisions humans" ON iam.humans
FOR ALL TO restartix_system USING (true) WITH CHECK (true);

SELECT util.reset_policies('iam.permissions');
CREATE POLICY "authenticated principals read the permission catalog" ON iam.permissions
FOR SELECT TO restartix_app
USING ((SELECT iam.current_principal_id()) IS NOT null);

SELECT util.reset_policies('iam.roles');
CREATE POLICY "authenticated principals read system role templates" ON iam.roles
FOR SELECT TO restartix_app
USING (organization_id IS null AND (SELECT iam.current_principal_id()) IS NOT null);
CREATE POLICY "members read their organization's custom roles" ON iam.roles
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
-- /v1/me runs outside any organization and lists every membership with its role.
CREATE POLICY "principals read the custom roles they hold" ON iam.roles
FOR SELECT TO restartix_app
USING (EXISTS (
    SELECT 1 FROM tenancy.organization_memberships AS m
    WHERE m.role_id = roles.id AND m.principal_id = (SELECT iam.current_principal_id())
));
CREATE POLICY "platform staff read every role" ON iam.roles FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "role managers create custom roles" ON iam.roles FOR INSERT TO restartix_app
WITH CHECK (
    organization_id = (SELECT iam.current_org_id()) AND (SELECT iam.has_permission('roles.manage'))
);
CREATE POLICY "role managers edit custom roles" ON iam.roles FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_org_id()) AND (SELECT iam.has_permission('roles.manage'))
)
WITH CHECK (
    organization_id = (SELECT iam.current_org_id()) AND (SELECT iam.has_permission('roles.manage'))
);
CREATE POLICY "role managers delete custom roles" ON iam.roles FOR DELETE TO restartix_app
USING (
    organization_id = (SELECT iam.current_org_id()) AND (SELECT iam.has_permission('roles.manage'))
);
CREATE POLICY "platform admins manage system role templates" ON iam.roles FOR ALL TO restartix_app
USING (organization_id IS null AND (SELECT iam.is_platform_admin()))
WITH CHECK (organization_id IS null AND (SELECT iam.is_platform_admin()));

SELECT util.reset_policies('iam.role_permissions');
CREATE POLICY "principals read the permissions of roles they can see" ON iam.role_permissions
FOR SELECT TO restartix_app
USING (EXISTS (SELECT 1 FROM iam.roles AS r WHERE r.id = role_permissions.role_id));
CREATE POLICY "role managers grant permissions to custom roles" ON iam.role_permissions
FOR INSERT TO restartix_app
WITH CHECK (EXISTS (
    SELECT 1 FROM iam.roles AS r
    WHERE r.id = role_permissions.role_id
      AND r.organization_id = (SELECT iam.current_org_id())
      AND (SELECT iam.has_permission('roles.manage'))
));
CREATE POLICY "role managers revoke permissions from custom roles" ON iam.role_permissions
FOR DELETE TO restartix_app
USING (EXISTS (
    SELECT 1 FROM iam.roles AS r
    WHERE r.id = role_permissions.role_id
      AND r.organization_id = (SELECT iam.current_org_id())
      AND (SELECT iam.has_permission('roles.manage'))
));
CREATE POLICY "platform admins manage template permissions" ON iam.role_permissions
FOR ALL TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));

SELECT util.reset_policies('iam.platform_memberships');
CREATE POLICY "principals read their own platform role" ON iam.platform_memberships
FOR SELECT TO restartix_app
USING (principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "platform staff read platform roles" ON iam.platform_memberships
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "platform admins grant and revoke platform roles" ON iam.platform_memberships
FOR ALL TO restartix_app
USING ((SELECT iam.is_platform_admin())) WITH CHECK ((SELECT iam.is_platform_admin()));

-- Break-glass grants: the staff member sees their own, platform admins all of them, and the
-- organization's auditors (audit.read: owners and admins by default) every grant on their
-- organization, as they see in the audit log every request made under one. Writes go through
-- iam.open_break_glass and iam.close_break_glass only (no write grant, no write policy).
SELECT util.reset_policies('iam.break_glass_grants');
CREATE POLICY "platform staff read their own break-glass grants" ON iam.break_glass_grants
FOR SELECT TO restartix_app
USING (principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "platform admins read every break-glass grant" ON iam.break_glass_grants
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_admin()));
CREATE POLICY "auditors read the break-glass grants on their organization" ON iam.break_glass_grants
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('audit.read'))
);

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('iam.principals', p_org_column => null);
SELECT audit.track('iam.humans', p_org_column => null, p_quiet => ARRAY['last_activity_at']);
SELECT audit.track('iam.permissions', p_org_column => null);
SELECT audit.track('iam.roles');
SELECT audit.track('iam.role_permissions', p_org_column => null);
SELECT audit.track('iam.platform_memberships', p_org_column => null);
SELECT audit.track('iam.break_glass_grants');
