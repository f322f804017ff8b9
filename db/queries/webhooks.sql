-- Webhooks: a clinic's subscriptions, their delivery log and replays (request pool), then the
-- delivery path of the workers (system pool). No query of the request path reads a secret:
-- the request pool has no grant on webhooks.webhook_secrets.

-- name: webhooks_list
-- The organization's subscriptions (webhooks.manage, by policy).
-- sort: created_at timestamptz
-- key: id uuid
SELECT
    s.id,
    s.url,
    s.event_types,
    s.description,
    s.status,
    s.disabled_reason,
    s.disabled_at,
    s.failing_since,
    s.last_success_at,
    s.created_by,
    s.created_at,
    s.updated_at
FROM webhooks.webhook_subscriptions AS s
WHERE s.organization_id = %(org)s::uuid;

-- name: webhook_by_id
-- One subscription of the organization.
SELECT
    s.id,
    s.url,
    s.event_types,
    s.description,
    s.status,
    s.disabled_reason,
    s.disabled_at,
    s.failing_since,
    s.last_success_at,
    s.created_by,
    s.created_at,
    s.updated_at
FROM webhooks.webhook_subscriptions AS s
WHERE s.organization_id = %(org)s::uuid AND s.id = %(id)s::uuid;

-- name: webhook_create
-- Creates a subscription with its sealed signing secret (webhooks.manage; entitlement
-- webhooks; webhooks.max).
SELECT webhooks.create_subscription(
    %(id)s::uuid, %(url)s::text, %(event_types)s::text [], %(description)s::text,
    %(secret_id)s::uuid, %(secret)s::bytea
) AS id;

-- name: webhook_update
-- Sets the fields named in the JSON object (webhooks.manage).
SELECT webhooks.update_subscription(%(id)s::uuid, %(changes)s::jsonb);

-- name: webhook_delete
-- Deletes a subscription, its secrets and owed messages (webhooks.manage).
SELECT webhooks.delete_subscription(%(id)s::uuid);

-- name: webhook_rotate_secret
-- Adds a new sealed secret; the previous one expires in 24 hours (webhooks.manage).
SELECT webhooks.rotate_secret(%(id)s::uuid, %(secret_id)s::uuid, %(secret)s::bytea) AS previous_expires_at;

-- name: webhook_send_test
-- Publishes a webhook.test event for this subscription only (webhooks.manage).
SELECT webhooks.send_test(%(id)s::uuid) AS event_id;

-- name: webhook_replay_message
-- Sends one message again from its first attempt (webhooks.manage).
SELECT webhooks.replay_message(%(id)s::uuid, %(message_id)s::uuid);

-- name: webhook_replay_since
-- Sends again every dead message of the subscription created since a time (webhooks.manage).
SELECT webhooks.replay_since(%(id)s::uuid, %(since)s::timestamptz) AS replayed;

-- name: webhook_attempts_list
-- The delivery log of one subscription, filtered by message, event, outcome and time.
-- sort: created_at timestamptz
-- key: id uuid
SELECT
    a.id,
    a.message_id,
    a.event_id,
    a.attempt,
    a.url,
    a.request_headers,
    a.response_status,
    a.response_body,
    a.duration_ms,
    a.error_class,
    a.created_at
FROM webhooks.webhook_attempts AS a
WHERE
    a.organization_id = %(org)s::uuid
    AND a.subscription_id = %(id)s::uuid
    AND (%(message_id)s::uuid IS NULL OR a.message_id = %(message_id)s::uuid)
    AND (%(event_id)s::uuid IS NULL OR a.event_id = %(event_id)s::uuid)
    AND (
        %(outcome)s::text IS NULL
        OR (%(outcome)s::text = 'success' AND a.error_class IS NULL)
        OR (%(outcome)s::text = 'failure' AND a.error_class IS NOT NULL)
    )
    AND (%(since)s::timestamptz IS NULL OR a.created_at >= %(since)s::timestamptz)
    AND (%(until)s::timestamptz IS NULL OR a.created_at < %(until)s::timestamptz);

-- name: fan_out
-- Worker (the webhooks consumer): one message per active subscription matching the event.
SELECT webhooks.fan_out(%(event_id)s::uuid) AS added;

-- name: messages_claim
-- Worker (sender): leases due messages with their event, target and live sealed secrets.
SELECT
    c.message_id,
    c.subscription_id,
    c.organization_id,
    c.url,
    c.attempt,
    c.event_id,
    c.event_type,
    c.event_version,
    c.occurred_at,
    c.payload::text AS payload,
    c.secret_ids,
    c.secrets
FROM webhooks.claim(
    %(worker)s::text, %(batch)s::integer, %(lease)s::interval, %(per_subscription)s::integer,
    %(session)s::integer
) AS c;

-- name: attempt_record
-- Worker (sender): logs one attempt and moves its message on; answers the new state.
SELECT webhooks.record_attempt(
    %(message_id)s::uuid, %(worker)s::text, %(url)s::text, %(headers)s::jsonb, %(status)s::integer,
    %(body)s::text, %(duration_ms)s::integer, %(error_class)s::text, %(error)s::text,
    %(retry_after)s::integer
) AS state;

-- name: messages_release
-- Worker (sender): gives back leased messages it did not attempt.
SELECT webhooks.release(%(worker)s::text, %(message_ids)s::uuid []) AS released;

-- name: ensure_partitions
-- Periodic task roll_partitions: the delivery log's months ahead, and months past 90 days
-- dropped.
SELECT p AS created FROM webhooks.ensure_partitions(%(ahead)s::integer) AS p;

-- name: replay_failed_for_org
-- CLI (system pool): every dead message of an organization (id or slug) created since a time
-- is owed again.
SELECT r.slug, r.replayed FROM webhooks.replay_failed_for_org(%(org)s::text, %(since)s::timestamptz) AS r;
