-- Outbound webhooks (seed 8.3, signing secrets 1C.4): a clinic's subscriptions, their signing
-- secrets (auth_secret, sealed by the application per organization), the messages owed to each
-- subscription (one per event and matching subscription, fed by the `webhooks` consumer of the
-- outbox) and the delivery log, partitioned by month. The request pool only reads; every write
-- goes through db/functions/webhooks. docs/webhooks.md explains the model.

CREATE SCHEMA webhooks;
COMMENT ON SCHEMA webhooks IS 'Outbound webhook subscriptions, their signing secrets, messages and delivery attempts.';
GRANT USAGE ON SCHEMA webhooks TO restartix_app, restartix_system;

CREATE TABLE webhooks.webhook_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    url text NOT NULL,
    event_types text [] NOT NULL,
    description text,
    status text NOT NULL DEFAULT 'active',
    disabled_reason text,
    disabled_at timestamptz,
    -- The first failure since the last success: five days of it disables the subscription.
    failing_since timestamptz,
    last_success_at timestamptz,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT webhook_subscriptions_url_valid CHECK (
        length(url) BETWEEN 8 AND 2048 AND url ~ '^https?://[^\s/?#@]+(/[^\s]*)?$'
    ),
    CONSTRAINT webhook_subscriptions_event_types_valid CHECK (
        cardinality(event_types) BETWEEN 1 AND 50
        AND array_position(event_types, NULL) IS NULL
        AND array_to_string(event_types, ',') ~ '^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)(,(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?))*$'
    ),
    CONSTRAINT webhook_subscriptions_description_length CHECK (length(description) <= 500),
    CONSTRAINT webhook_subscriptions_status_valid CHECK (status IN ('active', 'disabled')),
    CONSTRAINT webhook_subscriptions_disabled_reason_valid CHECK (
        (status = 'active' AND disabled_reason IS NULL)
        OR (status = 'disabled' AND disabled_reason IN ('manual', 'gone', 'failing'))
    )
);
COMMENT ON TABLE webhooks.webhook_subscriptions IS 'A clinic''s HTTPS endpoint and the event types it receives, active or disabled with a reason.';
CREATE INDEX webhook_subscriptions_org_idx ON webhooks.webhook_subscriptions (organization_id, id);
CREATE INDEX webhook_subscriptions_org_created_idx ON webhooks.webhook_subscriptions (organization_id, created_at, id);

-- One row per signing secret, so that each is sealed under its own row (a rotation adds a row
-- and gives the previous one 24 hours; no secret is ever re-sealed under another column).
CREATE TABLE webhooks.webhook_secrets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    subscription_id uuid NOT NULL REFERENCES webhooks.webhook_subscriptions (id) ON DELETE CASCADE,
    secret_encrypted bytea NOT NULL,
    expires_at timestamptz,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT webhook_secrets_secret_size CHECK (octet_length(secret_encrypted) BETWEEN 16 AND 1024)
);
COMMENT ON TABLE webhooks.webhook_secrets IS 'Signing secrets of a subscription (auth_secret, sealed per organization); a rotated one lives 24 hours more.';
CREATE INDEX webhook_secrets_subscription_idx ON webhooks.webhook_secrets (subscription_id, created_at DESC);
CREATE INDEX webhook_secrets_org_idx ON webhooks.webhook_secrets (organization_id, id);
-- One current secret per subscription.
CREATE UNIQUE INDEX webhook_secrets_current_key ON webhooks.webhook_secrets (subscription_id)
WHERE expires_at IS NULL;

-- What is owed to a subscription: one message per (event, subscription). Its id is the
-- `webhook-id` header (stable across retries and replays). Each subscription is its own lane:
-- messages are claimed independently (SKIP LOCKED), so a failing receiver delays only itself.
CREATE TABLE webhooks.webhook_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    subscription_id uuid NOT NULL REFERENCES webhooks.webhook_subscriptions (id) ON DELETE CASCADE,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    state text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT util.now(),
    lease_expires_at timestamptz,
    leased_by text,
    -- The worker session (docs/events.md) holding the lease: a dead worker's lease is free at once.
    lease_session integer,
    last_status integer,
    last_error text,
    delivered_at timestamptz,
    dead_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT webhook_messages_state_valid CHECK (state IN ('pending', 'leased', 'delivered', 'dead')),
    CONSTRAINT webhook_messages_attempts_valid CHECK (attempts >= 0),
    CONSTRAINT webhook_messages_last_error_length CHECK (length(last_error) <= 1000),
    CONSTRAINT webhook_messages_leased_by_length CHECK (length(leased_by) <= 200)
);
COMMENT ON TABLE webhooks.webhook_messages IS 'One event owed to one subscription; its id is the webhook-id, its state and schedule the retries.';
CREATE UNIQUE INDEX webhook_messages_event_key ON webhooks.webhook_messages (subscription_id, event_id);
CREATE INDEX webhook_messages_org_idx ON webhooks.webhook_messages (organization_id, id);
-- What a sender claims: due work, in due order.
CREATE INDEX webhook_messages_due_idx ON webhooks.webhook_messages (next_attempt_at)
WHERE state IN ('pending', 'leased');

-- The delivery log: one row per HTTP attempt, partitioned by month like the audit log and kept
-- 90 days (webhooks.ensure_partitions, from the roll_partitions task, drops older months).
CREATE TABLE webhooks.webhook_attempts (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    message_id uuid NOT NULL,
    event_id uuid NOT NULL,
    attempt integer NOT NULL,
    url text NOT NULL,
    request_headers jsonb NOT NULL DEFAULT '{}',
    response_status integer,
    response_body text,
    duration_ms integer NOT NULL DEFAULT 0,
    error_class text,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (id, created_at),
    CONSTRAINT webhook_attempts_attempt_valid CHECK (attempt >= 1),
    CONSTRAINT webhook_attempts_headers_object CHECK (
        jsonb_typeof(request_headers) = 'object' AND octet_length(request_headers::text) <= 8192
    ),
    CONSTRAINT webhook_attempts_response_body_length CHECK (octet_length(response_body) <= 4096),
    CONSTRAINT webhook_attempts_error_class_valid CHECK (
        error_class IN ('timeout', 'connect', 'refused_address', 'http_status', 'too_large', 'tls', 'protocol')
    )
) PARTITION BY RANGE (created_at);
COMMENT ON TABLE webhooks.webhook_attempts IS 'Every delivery attempt: request headers (no secret), response status and first 4 KiB, duration, error class; 90 days.';
CREATE INDEX webhook_attempts_subscription_idx ON webhooks.webhook_attempts (organization_id, subscription_id, created_at, id);
CREATE INDEX webhook_attempts_message_idx ON webhooks.webhook_attempts (message_id);

-- Reads only; every write goes through the webhooks functions. The request pool never selects
-- a secret: it has no grant on webhook_secrets at all.
GRANT SELECT ON webhooks.webhook_subscriptions, webhooks.webhook_messages, webhooks.webhook_attempts TO restartix_app;
GRANT SELECT ON webhooks.webhook_subscriptions, webhooks.webhook_secrets, webhooks.webhook_messages,
webhooks.webhook_attempts TO restartix_system;

INSERT INTO iam.permissions (code, description) VALUES
('webhooks.manage', 'Create, change, rotate, test and replay the organization''s outbound webhooks.');
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT
    r.id AS role_id,
    'webhooks.manage' AS permission_code
FROM iam.roles AS r
WHERE r.organization_id IS NULL AND r.code IN ('owner', 'admin');

-- The tier catalog: an entitlement (off on Free) and a standing limit, with a value per tier.
INSERT INTO billing.entitlements (code, scope, description, default_enabled) VALUES
('webhooks', 'tier', 'Send the clinic''s events to its own HTTPS endpoints.', FALSE);
INSERT INTO billing.limit_definitions (code, description, unit, period) VALUES
('webhooks.max', 'Webhook subscriptions of the organization.', 'subscriptions', NULL);

INSERT INTO billing.tier_entitlements (tier_version_id, entitlement_code, enabled)
SELECT
    v.id AS tier_version_id,
    'webhooks' AS entitlement_code,
    t.code <> 'free' AS enabled
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id AND t.kind = 'base'
ON CONFLICT DO NOTHING;
INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
SELECT
    v.id AS tier_version_id,
    'webhooks.max' AS limit_code,
    CASE t.code WHEN 'free' THEN 0 WHEN 'pro' THEN 10 ELSE 100 END AS value
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id AND t.kind = 'base'
ON CONFLICT DO NOTHING;

-- Backfill: the snapshots of subscriptions taken before this migration get the values of
-- their own tier version, so a missing limit never reads as 0.
INSERT INTO billing.organization_subscription_entitlements (subscription_id, organization_id, entitlement_code, enabled)
SELECT
    s.id AS subscription_id,
    s.organization_id,
    te.entitlement_code,
    te.enabled
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_entitlements AS te ON s.tier_version_id = te.tier_version_id
WHERE te.entitlement_code = 'webhooks'
ON CONFLICT DO NOTHING;
INSERT INTO billing.organization_subscription_limits (subscription_id, organization_id, limit_code, value)
SELECT
    s.id AS subscription_id,
    s.organization_id,
    tl.limit_code,
    tl.value
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_limits AS tl ON s.tier_version_id = tl.tier_version_id
WHERE tl.limit_code = 'webhooks.max'
ON CONFLICT DO NOTHING;
