-- The event bus: the transactional outbox (monthly partitions by the time in its ids), the
-- catalog of event types, named consumers with their per-event delivery state, and the
-- bookkeeping of the workers' periodic tasks. Functions live in db/functions/events.

-- Time-ordered ids: 48 bits of Unix milliseconds (real time, never the frozen test clock,
-- because the outbox is partitioned by it), version 7, then random bits.
CREATE FUNCTION util.uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    SELECT pg_catalog.encode(
        pg_catalog.set_bit(
            pg_catalog.set_bit(
                pg_catalog.overlay(
                    pg_catalog.uuid_send(pg_catalog.gen_random_uuid()),
                    pg_catalog.substr(
                        pg_catalog.int8send(
                            pg_catalog.floor(
                                pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000
                            )::bigint
                        ),
                        3
                    ),
                    1,
                    6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid
$$;
COMMENT ON FUNCTION util.uuid_v7() IS 'A new time-ordered UUID (version 7) from the real clock.';

CREATE FUNCTION util.uuid_v7_floor(p_at timestamptz) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (
        pg_catalog.lpad(
            pg_catalog.to_hex(pg_catalog.floor(pg_catalog.date_part('epoch', p_at) * 1000)::bigint), 12, '0'
        ) || '00000000000000000000'
    )::uuid
$$;
COMMENT ON FUNCTION util.uuid_v7_floor(timestamptz) IS 'The smallest version-7 UUID of a millisecond: a range bound for ids made at or after it.';

GRANT EXECUTE ON FUNCTION util.uuid_v7(), util.uuid_v7_floor(timestamptz)
TO restartix_app, restartix_system;

CREATE TABLE events.event_types (
    type text NOT NULL,
    version integer NOT NULL,
    description text NOT NULL,
    PRIMARY KEY (type, version),
    CONSTRAINT event_types_type_format CHECK (type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    CONSTRAINT event_types_version_positive CHECK (version >= 1)
);
COMMENT ON TABLE events.event_types IS 'The event types events.publish accepts; reloaded from db/functions/events/types.sql by every migrate.';

CREATE SEQUENCE events.outbox_position_seq AS bigint;
COMMENT ON SEQUENCE events.outbox_position_seq IS 'Insert order of events: consumers receive one organization''s events in this order.';

CREATE TABLE events.outbox (
    id uuid NOT NULL DEFAULT util.uuid_v7(),
    position bigint NOT NULL DEFAULT nextval('events.outbox_position_seq'),
    type text NOT NULL,
    version integer NOT NULL,
    organization_id uuid,
    actor_id uuid NOT NULL,
    actor_type text NOT NULL,
    request_id text,
    occurred_at timestamptz NOT NULL DEFAULT util.now(),
    payload jsonb NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT outbox_actor_type_valid CHECK (actor_type IN ('human', 'agent', 'service_account', 'system')),
    CONSTRAINT outbox_payload_is_object CHECK (jsonb_typeof(payload) = 'object')
) PARTITION BY RANGE (id);
COMMENT ON TABLE events.outbox IS 'Every published event, written in the publisher''s transaction; append-only, partitioned by the month of its id.';
ALTER SEQUENCE events.outbox_position_seq OWNED BY events.outbox.position;

CREATE TABLE events.consumers (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    types text [] NOT NULL DEFAULT '{*}',
    enabled boolean NOT NULL DEFAULT true,
    max_attempts integer NOT NULL DEFAULT 10,
    lease interval NOT NULL DEFAULT '30 seconds',
    backoff_base interval NOT NULL DEFAULT '1 second',
    backoff_max interval NOT NULL DEFAULT '10 minutes',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT consumers_name_key UNIQUE (name),
    CONSTRAINT consumers_name_format CHECK (name ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT consumers_types_valid CHECK (
        cardinality(types) >= 1
        AND array_to_string(types, ' ') ~ '^(\*|[a-z][a-z0-9_.]*(\.\*)?)( (\*|[a-z][a-z0-9_.]*(\.\*)?))*$'
    ),
    CONSTRAINT consumers_max_attempts_range CHECK (max_attempts BETWEEN 1 AND 100),
    CONSTRAINT consumers_lease_range CHECK (lease BETWEEN interval '1 second' AND interval '15 minutes'),
    CONSTRAINT consumers_backoff_range CHECK (
        backoff_base > interval '0' AND backoff_base <= backoff_max AND backoff_max <= interval '1 day'
    )
);
COMMENT ON TABLE events.consumers IS 'Named consumers: each receives every event of its types at least once, on its own.';

-- consumer_id has no foreign key on purpose: its check would take a KEY SHARE lock on the
-- consumer's row for every published event, one shared row for every publisher (multixact
-- churn). Deliveries are only written from existing consumers, and a trigger on
-- events.consumers removes a deleted consumer's deliveries.
CREATE TABLE events.deliveries (
    consumer_id integer NOT NULL,
    event_id uuid NOT NULL,
    position bigint NOT NULL,
    lane uuid NOT NULL,
    state text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    available_at timestamptz NOT NULL DEFAULT util.now(),
    lease_id uuid,
    leased_by text,
    lease_expires_at timestamptz,
    last_error text,
    dead_at timestamptz,
    PRIMARY KEY (consumer_id, event_id),
    CONSTRAINT deliveries_state_valid CHECK (state IN ('pending', 'leased', 'dead')),
    CONSTRAINT deliveries_lease_complete CHECK (
        state <> 'leased' OR (lease_id IS NOT null AND lease_expires_at IS NOT null)
    ),
    CONSTRAINT deliveries_dead_dated CHECK (state <> 'dead' OR dead_at IS NOT null),
    CONSTRAINT deliveries_attempts_range CHECK (attempts >= 0)
);
COMMENT ON TABLE events.deliveries IS 'Work still owed to a consumer: one row per (consumer, event) until done; dead letters stay.';
-- A lane is one organization's queue for one consumer (the nil uuid for platform events).
CREATE INDEX deliveries_lane_idx ON events.deliveries (consumer_id, lane, position)
WHERE state <> 'dead';
CREATE INDEX deliveries_lane_leased_idx ON events.deliveries (consumer_id, lane)
WHERE state = 'leased';
CREATE INDEX deliveries_lease_idx ON events.deliveries (lease_id) WHERE state = 'leased';
CREATE INDEX deliveries_dead_idx ON events.deliveries (consumer_id, dead_at) WHERE state = 'dead';
-- A work queue: every delivery is inserted, leased and deleted, and until VACUUM passes the dead
-- entries sit at the front of each lane, where every claim looks. Vacuum it early and at full
-- speed (docs/workers.md, "Costs").
ALTER TABLE events.deliveries SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0,
    autovacuum_analyze_scale_factor = 0.05
);

CREATE TABLE events.periodic_tasks (
    task text PRIMARY KEY,
    last_started_at timestamptz,
    last_finished_at timestamptz,
    last_status text,
    last_detail text,
    CONSTRAINT periodic_tasks_status_valid CHECK (last_status IN ('ok', 'failed'))
);
COMMENT ON TABLE events.periodic_tasks IS 'When each periodic task of the workers last ran, and how it ended.';

-- Nothing is granted on the tables to the request pool: it publishes through events.publish.
-- The system pool reads them (policies in db/policies/events.sql) and changes deliveries and
-- consumers only through the functions in db/functions/events.
REVOKE ALL ON events.event_types, events.outbox, events.consumers, events.deliveries,
events.periodic_tasks FROM public;
GRANT SELECT ON events.event_types, events.outbox, events.consumers, events.deliveries
TO restartix_system;
GRANT SELECT, INSERT, UPDATE ON events.periodic_tasks TO restartix_system;
