-- Who reads the consents ledger. Nobody writes it directly: the consent functions do, as
-- the owner, after their own checks (db/functions/consent/ledger.sql).

SELECT util.reset_policies('consent.purposes');
CREATE POLICY "authenticated principals read the consent purposes" ON consent.purposes
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
CREATE POLICY "the system pool reads the consent purposes" ON consent.purposes
FOR SELECT TO restartix_system USING (TRUE);

-- Published terms and notices are what people are asked to agree to: anyone signed in may
-- read every version of them.
SELECT util.reset_policies('consent.documents');
CREATE POLICY "authenticated principals read published documents" ON consent.documents
FOR SELECT TO restartix_app USING ((SELECT iam.current_principal_id()) IS NOT NULL);
CREATE POLICY "the system pool reads published documents" ON consent.documents
FOR SELECT TO restartix_system USING (TRUE);

SELECT util.reset_policies('consent.consents');
CREATE POLICY "subjects read their own consents" ON consent.consents
FOR SELECT TO restartix_app
USING (subject_principal_id = (SELECT iam.current_principal_id()));
CREATE POLICY "consent readers read their organization's consents" ON consent.consents
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('consents.read'))
);
CREATE POLICY "platform staff read every consent" ON consent.consents
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('consent.purposes', p_org_column => NULL);
SELECT audit.track('consent.documents');
SELECT audit.track('consent.consents');
