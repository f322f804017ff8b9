-- Who reads billing state. Writes go through the billing functions (security definer,
-- platform-admin checks) or, for the companions, through their own policies below.

SELECT util.reset_policies('tenancy.organization_settings');
CREATE POLICY "members read their organization's settings" ON tenancy.organization_settings
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform staff read every organization's settings" ON tenancy.organization_settings
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "settings editors change their organization's settings" ON tenancy.organization_settings
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('organizations.update_settings'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));

SELECT util.reset_policies('billing.organization_billing');
CREATE POLICY "billing readers read their organization's billing profile" ON billing.organization_billing
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND ((SELECT iam.has_permission('billing.read')) OR (SELECT iam.has_permission('organizations.manage_billing')))
);
CREATE POLICY "platform staff read every billing profile" ON billing.organization_billing
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "billing managers edit their organization's billing profile" ON billing.organization_billing
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('organizations.manage_billing'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "the system pool re-encrypts tax ids" ON billing.organization_billing
FOR ALL TO restartix_system
USING (organization_id = (SELECT iam.current_org_id()))
WITH CHECK (organization_id = (SELECT iam.current_org_id()));

-- Catalog tables: readable by any authenticated principal, written by platform functions.
SELECT util.reset_policies('billing.entitlements');
CREATE POLICY "authenticated principals read the entitlement catalog" ON billing.entitlements
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
SELECT util.reset_policies('billing.limit_definitions');
CREATE POLICY "authenticated principals read the limit catalog" ON billing.limit_definitions
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
SELECT util.reset_policies('billing.tiers');
CREATE POLICY "authenticated principals read the tier catalog" ON billing.tiers
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
SELECT util.reset_policies('billing.tier_versions');
CREATE POLICY "authenticated principals read tier versions" ON billing.tier_versions
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
SELECT util.reset_policies('billing.tier_entitlements');
CREATE POLICY "authenticated principals read tier entitlements" ON billing.tier_entitlements
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
SELECT util.reset_policies('billing.tier_limits');
CREATE POLICY "authenticated principals read tier limits" ON billing.tier_limits
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);

-- Per-organization billing state: members who read billing, and platform staff.
SELECT util.reset_policies('billing.organization_subscriptions');
CREATE POLICY "billing readers read their organization's subscriptions" ON billing.organization_subscriptions
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('billing.read')));
CREATE POLICY "platform staff read every subscription" ON billing.organization_subscriptions
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('billing.organization_subscription_entitlements');
CREATE POLICY "billing readers read their organization's entitlement snapshot"
ON billing.organization_subscription_entitlements
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('billing.read')));
CREATE POLICY "platform staff read every entitlement snapshot" ON billing.organization_subscription_entitlements
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('billing.organization_subscription_limits');
CREATE POLICY "billing readers read their organization's limit snapshot" ON billing.organization_subscription_limits
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('billing.read')));
CREATE POLICY "platform staff read every limit snapshot" ON billing.organization_subscription_limits
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('billing.organization_subscription_overrides');
CREATE POLICY "billing readers read their organization's overrides" ON billing.organization_subscription_overrides
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('billing.read')));
CREATE POLICY "platform staff read every override" ON billing.organization_subscription_overrides
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));

SELECT util.reset_policies('billing.organization_entitlements');
CREATE POLICY "members read their organization's entitlement toggles" ON billing.organization_entitlements
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "platform staff read every entitlement toggle" ON billing.organization_entitlements
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));

-- Patient tiers: members read them; changes go through billing.save_patient_tier.
SELECT util.reset_policies('billing.patient_tiers');
CREATE POLICY "members read their organization's patient tiers" ON billing.patient_tiers
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.read')));
CREATE POLICY "platform staff read every patient tier" ON billing.patient_tiers
FOR SELECT TO restartix_app USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "patient tier managers create patient tiers" ON billing.patient_tiers
FOR INSERT TO restartix_app
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.manage')));
CREATE POLICY "patient tier managers edit patient tiers" ON billing.patient_tiers
FOR UPDATE TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.manage')))
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));

SELECT util.reset_policies('billing.patient_tier_versions');
CREATE POLICY "members read their organization's patient tier versions" ON billing.patient_tier_versions
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.read')));
CREATE POLICY "patient tier managers publish versions" ON billing.patient_tier_versions
FOR INSERT TO restartix_app
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.manage')));

SELECT util.reset_policies('billing.patient_tier_entitlements');
CREATE POLICY "members read their organization's patient tier perks" ON billing.patient_tier_entitlements
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.read')));
CREATE POLICY "patient tier managers set perks" ON billing.patient_tier_entitlements
FOR INSERT TO restartix_app
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.manage')));

SELECT util.reset_policies('billing.patient_tier_limits');
CREATE POLICY "members read their organization's patient tier limits" ON billing.patient_tier_limits
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.read')));
CREATE POLICY "patient tier managers set limits" ON billing.patient_tier_limits
FOR INSERT TO restartix_app
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT iam.has_permission('patient_tiers.manage')));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('billing.organization_billing');
SELECT audit.track('billing.organization_entitlements');
SELECT audit.track('billing.entitlements', p_org_column => NULL);
SELECT audit.track('billing.limit_definitions', p_org_column => NULL);
SELECT audit.track('billing.tiers', p_org_column => NULL);
SELECT audit.track('billing.tier_versions', p_org_column => NULL);
SELECT audit.track('billing.tier_entitlements', p_org_column => NULL);
SELECT audit.track('billing.tier_limits', p_org_column => NULL);
SELECT audit.track('billing.organization_subscriptions');
SELECT audit.track('billing.organization_subscription_entitlements');
SELECT audit.track('billing.organization_subscription_limits');
SELECT audit.track('billing.organization_subscription_overrides');
SELECT audit.track('billing.patient_tiers');
SELECT audit.track('billing.patient_tier_versions');
SELECT audit.track('billing.patient_tier_entitlements');
SELECT audit.track('billing.patient_tier_limits');
