-- Who reads stored files. Nobody writes them directly: the storage functions do, as the
-- owner, after checking the purpose's permission (db/functions/storage/files.sql).

SELECT util.reset_policies('storage.files');
-- A clinic's logo is shown to everyone working there, whatever their role.
CREATE POLICY "members read their organization's logos" ON storage.files
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND purpose = 'logo');
CREATE POLICY "file readers read their organization's files" ON storage.files
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT iam.has_permission('files.read'))
);
CREATE POLICY "platform staff read every file" ON storage.files
FOR SELECT TO restartix_app
USING ((SELECT iam.is_platform_staff()));
CREATE POLICY "the system pool reads the files of the organization it acts for" ON storage.files
FOR SELECT TO restartix_system
USING (organization_id = (SELECT iam.current_org_id()));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('storage.files');
