-- Who reads the audit log. Nobody writes it directly: the audit trigger does, as the owner.

SELECT util.reset_policies('audit.audit_log');
CREATE POLICY "auditors read their organization's audit log" ON audit.audit_log
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('audit.read'))
);
CREATE POLICY "platform admins read every audit row" ON audit.audit_log
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_admin()));

SELECT util.reset_policies('audit.audit_ai_provenance');
CREATE POLICY "auditors read their organization's AI provenance" ON audit.audit_ai_provenance
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('audit.read'))
);
CREATE POLICY "platform admins read all AI provenance" ON audit.audit_ai_provenance
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_admin()));

SELECT util.reset_policies('util.column_classification');
CREATE POLICY "everyone reads the classification registry" ON util.column_classification
FOR SELECT TO restartix_app, restartix_system, restartix_analyst
USING (true);
