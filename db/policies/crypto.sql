-- Who reaches the wrapped data keys: the system pool, for the organization its transaction
-- names (app.current_org_id), and nobody else. The request pool has no grant on the schema.

SELECT util.reset_policies('crypto.organization_data_keys');
CREATE POLICY "the system pool uses the keys of the organization it acts for"
ON crypto.organization_data_keys
FOR ALL TO restartix_system
USING (organization_id = (SELECT iam.current_org_id()))
WITH CHECK (organization_id = (SELECT iam.current_org_id()));

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('crypto.organization_data_keys');
