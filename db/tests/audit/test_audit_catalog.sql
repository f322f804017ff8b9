-- Every table of the product is audited, unless this file says why not.
BEGIN;
SELECT plan(1);

CREATE TEMP TABLE audit_allow_list (relation text PRIMARY KEY, reason text NOT NULL);
INSERT INTO audit_allow_list VALUES
('audit.audit_log', 'the audit log itself'),
('audit.audit_ai_provenance', 'written by the audit trigger alongside its audit row'),
('util.column_classification', 'reloaded from docs/data-classification.md by every migrate; its history is in git'),
('events.outbox', 'events are their own log: append-only, with actor, organization and request id'),
('events.deliveries', 'work-queue state of the outbox (leases, retries); the events it points at are the record'),
('events.event_types', 'reloaded from the domains'' event payload structs by every migrate; its history is in git'),
('events.routes', 'which consumers each event type goes to, rebuilt by triggers from consumers and event types'),
('events.delivery_history', 'the compact record of completed deliveries; the events it points at are the record'),
('events.periodic_tasks', 'the workers'' scheduler bookkeeping (last run of each task), not business data'),
('metering.usage_events', 'usage events are their own append-only log (org, meter, quantity, recorded_by), at high volume'),
('metering.usage_event_keys', 'the idempotency index of usage events, written with each event'),
('webhooks.webhook_messages', 'work-queue state of webhook delivery (one row per event and subscription, at event rate); the event and webhook_attempts are the record'),
('webhooks.webhook_attempts', 'the delivery log is itself an append-only log (org, subscription, message, attempt), at event rate'),
('metering.usage_rollups', 'sums of the usage events, rebuilt from them; one audit row per event would double the write');

SELECT is_empty(
    $$
    SELECT n.nspname || '.' || c.relname
    FROM pg_class AS c
    INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_trigger AS t
          WHERE t.tgrelid = c.oid AND t.tgname = 'audit_log_changes' AND NOT t.tgisinternal
      )
      AND n.nspname || '.' || c.relname NOT IN (SELECT relation FROM audit_allow_list)
    $$,
    'every app table carries the audit trigger or is on the commented allow-list'
);

SELECT * FROM finish();
ROLLBACK;
