-- Who reads webhooks. The request pool has no write grant on any of these tables and no grant
-- at all on the secrets (db/tests/test_app_privileges.sql): writes go through the webhooks
-- functions. Managers are members of the organization holding webhooks.manage; no platform
-- role reads a clinic's webhooks. The system pool (the workers) reads everything it delivers.

SELECT util.reset_policies('webhooks.webhook_subscriptions');
CREATE POLICY "webhook managers read their organization's subscriptions" ON webhooks.webhook_subscriptions
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT webhooks.is_manager()));
CREATE POLICY "the system pool reads every subscription it delivers to" ON webhooks.webhook_subscriptions
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('webhooks.webhook_secrets');
CREATE POLICY "the system pool reads the signing secrets it signs with" ON webhooks.webhook_secrets
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('webhooks.webhook_messages');
CREATE POLICY "webhook managers read their organization's messages" ON webhooks.webhook_messages
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT webhooks.is_manager()));
CREATE POLICY "the system pool reads every message it delivers" ON webhooks.webhook_messages
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('webhooks.webhook_attempts');
CREATE POLICY "webhook managers read their organization's delivery log" ON webhooks.webhook_attempts
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND (SELECT webhooks.is_manager()));
CREATE POLICY "the system pool reads the delivery log" ON webhooks.webhook_attempts
FOR SELECT TO restartix_system
USING (true);

-- Subscriptions and secrets are audited (the secret's value is masked as auth_secret).
-- Messages are the delivery work queue (as events.deliveries is the outbox's) and
-- webhook_attempts is itself an append-only log: both are on the audit allow-list
-- (db/tests/audit/test_audit_catalog.sql) with their reasons.
SELECT audit.track('webhooks.webhook_subscriptions');
SELECT audit.track('webhooks.webhook_secrets');
-- Messages carry no audit trigger (one made by an earlier build of this branch is dropped).
DROP TRIGGER IF EXISTS audit_log_changes ON webhooks.webhook_messages;
