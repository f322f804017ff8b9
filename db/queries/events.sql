-- name: event_types_sync
-- Makes events.event_types exactly the (type, version, description) rows of the event
-- catalogue (every domain's payload structs), run by each migrate as the owner.
WITH wanted AS (
    SELECT w.type, w.version, w.description
    FROM jsonb_to_recordset(%(types)s::jsonb) AS w (type text, version integer, description text)
),

stale AS (
    DELETE FROM events.event_types AS t
    WHERE NOT EXISTS (SELECT 1 FROM wanted AS w WHERE w.type = t.type AND w.version = t.version)
)

INSERT INTO events.event_types (type, version, description)
SELECT w.type, w.version, w.description FROM wanted AS w
ON CONFLICT (type, version) DO UPDATE SET description = excluded.description;

-- name: consumer_register
-- Registers (or updates) a consumer: the types it takes, its attempt cap, lease and backoff.
-- Run by every worker at start; answers how many types it subscribes to.
SELECT events.register_consumer(
    %(name)s::text, %(types)s::text [], %(max_attempts)s::integer,
    %(lease)s::interval, %(backoff_base)s::interval, %(backoff_max)s::interval
);

-- name: session_hold
-- Holds a worker session on the LISTEN connection for as long as it stays open; answers its
-- key (the same one after a reconnect when nobody else took it).
SELECT events.hold_session(%(key)s::integer);

-- name: deliveries_claim
-- Leases up to `batch` deliveries of a consumer (at most `per_lane` per organization lane, in
-- position order), bound to the worker's session; the event travels with each lease.
SELECT
    c.lease_id,
    c.event_id,
    c.attempt,
    c.redeliveries,
    c.lane,
    c.event_position AS position,
    c.type,
    c.version,
    c.organization_id,
    c.actor_id,
    c.actor_type,
    c.request_id,
    c.occurred_at,
    c.payload::text AS payload
FROM events.claim(
    %(consumer)s::text, %(worker)s::text, %(batch)s::integer, %(per_lane)s::integer,
    %(lease)s::interval, %(session)s::integer
) AS c;

-- name: delivery_complete
-- Marks a leased delivery done; false when the lease was lost meanwhile.
SELECT events.complete(%(lease_id)s::uuid, %(event_id)s::uuid);

-- name: delivery_fail
-- Records a failed attempt; answers the delivery's new state (pending or dead), NULL when the
-- lease was lost.
SELECT events.fail(%(lease_id)s::uuid, %(event_id)s::uuid, %(error)s::text);

-- name: lease_release
-- Gives back what a lease still holds without counting an attempt (a worker stopping).
SELECT events.release(%(lease_id)s::uuid);

-- name: leases_heartbeat
-- Extends the worker's live leases; answers how many were extended.
SELECT events.heartbeat(%(lease_ids)s::uuid [], %(lease)s::interval);

-- name: leases_orphaned
-- Deliveries of these consumers leased by workers whose database session has ended.
SELECT events.orphaned_leases(%(consumers)s::text []);

-- name: deliveries_replay
-- Owes a consumer again every event of a time range (operators' replay).
SELECT events.replay(%(consumer)s::text, %(since)s::timestamptz, %(until)s::timestamptz);

-- name: ensure_partitions
-- Creates the outbox's missing monthly partitions through `ahead` months; one row per new one.
SELECT events.ensure_partitions(%(ahead)s::integer) AS created;

-- name: consumer_status
-- Each consumer's backlog for operators: pending, leased, dead, oldest pending, orphaned.
SELECT
    s.consumer,
    s.enabled,
    s.pending,
    s.leased,
    s.dead,
    s.oldest_pending,
    s.orphaned
FROM events.consumer_status() AS s;

-- name: periodic_task_lock
-- One worker at a time runs a periodic task: a transaction-level advisory lock on its name.
SELECT pg_try_advisory_xact_lock(hashtext('restartix.periodic:' || %(task)s::text)) AS locked;

-- name: periodic_task_state
-- The database's clock and a periodic task's last run (a row even when it never ran).
SELECT
    now() AS now,
    t.last_finished_at,
    t.last_status,
    t.last_started_at
FROM (SELECT %(task)s::text AS task) AS k
LEFT JOIN events.periodic_tasks AS t ON k.task = t.task;

-- name: periodic_task_record
-- Records how a periodic task's run ended (ok keeps the finish time, failed keeps the last
-- good one).
INSERT INTO events.periodic_tasks AS t (task, last_started_at, last_finished_at, last_status, last_detail)
VALUES (
    %(task)s::text, now(), CASE WHEN %(status)s::text = 'ok' THEN clock_timestamp() END,
    %(status)s::text, %(detail)s::text
)
ON CONFLICT (task) DO UPDATE SET
    last_started_at = excluded.last_started_at,
    last_finished_at = coalesce(excluded.last_finished_at, t.last_finished_at),
    last_status = excluded.last_status,
    last_detail = excluded.last_detail;
