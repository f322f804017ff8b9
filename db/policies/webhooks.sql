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
-- Messages are audited as they are created and deleted; an update that touches only delivery
-- bookkeeping (state, schedule, lease) is quiet, since webhook_attempts is the log of those.
-- webhook_attempts is itself an append-only log, written only by webhooks.record_attempt.
SELECT audit.track('webhooks.webhook_subscriptions');
SELECT audit.track('webhooks.webhook_secrets');
SELECT audit.track('webhooks.webhook_messages', p_quiet => ARRAY['state', 'attempts', 'next_attempt_at', 'lease_expires_at', 'leased_by', 'lease_session', 'last_status', 'last_error', 'delivered_at', 'dead_at', 'updated_at']);
