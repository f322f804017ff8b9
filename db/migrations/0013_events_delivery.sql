-- Event delivery, second round. Publishing matches consumers once per type, not per event:
-- events.routes holds which consumers each catalog type goes to. Leases are tied to the
-- worker's database session, so a dead worker's leases are free at once, and redeliveries are
-- counted apart from failed attempts. Functions in db/functions/events; docs/events.md
-- explains them.

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

-- New signatures and result columns: the functions files create them again.
DROP FUNCTION IF EXISTS events.claim(text, text, integer, integer, interval);
DROP FUNCTION IF EXISTS events.consumer_status();

REVOKE ALL ON events.routes FROM public;
GRANT SELECT ON events.routes TO restartix_system;
