-- Event delivery, second round. Publishing matches consumers once per type, not per event:
-- events.routes holds which consumers each catalog type goes to. Leases are tied to the
-- worker's database session, so a dead worker's leases are free at once, and redeliveries are
-- counted apart from failed attempts. Every completed delivery leaves a compact record in its
-- event's month. Functions in db/functions/events; docs/events.md explains them.

-- The consumers each (type, version) goes to, kept in step with events.event_types and
-- events.consumers by statement triggers (db/functions/events/outbox.sql). A row exists for
-- every catalog type, with no consumer too, so publishing checks the type and finds its
-- consumers in one primary-key read.
CREATE TABLE events.routes (
    type text NOT NULL,
    version integer NOT NULL,
    consumer_ids integer [] NOT NULL DEFAULT '{}',
    PRIMARY KEY (type, version),
    CONSTRAINT routes_event_type_fkey FOREIGN KEY (type, version)
    REFERENCES events.event_types (type, version) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE events.routes IS 'The enabled consumers each event type is delivered to; derived from events.consumers and events.event_types.';

-- lease_session: the worker session (a session advisory lock held by the worker's LISTEN
-- connection) the lease belongs to; while that session lasts the lease is the worker's,
-- once it ends the lease is free. NULL: a claim made without a session (the lease alone).
-- redeliveries: times the delivery was handed out again because its worker's session ended
-- while the event was in hand; not failed attempts.
ALTER TABLE events.deliveries
ADD COLUMN redeliveries integer NOT NULL DEFAULT 0,
ADD COLUMN lease_session integer,
ADD CONSTRAINT deliveries_redeliveries_range CHECK (redeliveries >= 0);

-- One compact row per completed delivery, in the months of the outbox (partitioned by the
-- event id like events.outbox, created and retired with it): which consumer, at which
-- attempt, after how many redeliveries, the last error of the attempts that failed, when.
CREATE TABLE events.delivery_history (
    event_id uuid NOT NULL,
    consumer_id integer NOT NULL,
    attempts integer NOT NULL,
    redeliveries integer NOT NULL,
    last_error text,
    completed_at timestamptz NOT NULL,
    CONSTRAINT delivery_history_attempts_range CHECK (attempts >= 1),
    CONSTRAINT delivery_history_redeliveries_range CHECK (redeliveries >= 0)
) PARTITION BY RANGE (event_id);
COMMENT ON TABLE events.delivery_history IS 'Every completed delivery (consumer, attempts, redeliveries, last error, when), kept as long as its outbox month.';
CREATE INDEX delivery_history_event_idx ON events.delivery_history (event_id, consumer_id);

-- Every outbox month that exists already gets its history month, with the same bounds.
DO $$
DECLARE
    v_part record;
BEGIN
    FOR v_part IN
        SELECT c.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_catalog.pg_inherits AS i
        INNER JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'events.outbox'::regclass
    LOOP
        EXECUTE pg_catalog.format(
            'CREATE TABLE events.%I PARTITION OF events.delivery_history %s',
            pg_catalog.replace(v_part.relname, 'outbox_p', 'delivery_history_p'), v_part.bound
        );
        EXECUTE pg_catalog.format(
            'ALTER TABLE events.%I ENABLE ROW LEVEL SECURITY',
            pg_catalog.replace(v_part.relname, 'outbox_p', 'delivery_history_p')
        );
        EXECUTE pg_catalog.format(
            'ALTER TABLE events.%I FORCE ROW LEVEL SECURITY',
            pg_catalog.replace(v_part.relname, 'outbox_p', 'delivery_history_p')
        );
    END LOOP;
END;
$$;

-- New signatures and result columns: the functions files create them again.
DROP FUNCTION IF EXISTS events.claim(text, text, integer, integer, interval);
DROP FUNCTION IF EXISTS events.consumer_status();

REVOKE ALL ON events.routes, events.delivery_history FROM public;
GRANT SELECT ON events.routes, events.delivery_history TO restartix_system;
