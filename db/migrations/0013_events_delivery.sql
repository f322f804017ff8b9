-- Event delivery, second round. Publishing matches consumers once per type, not per event:
-- events.routes holds which consumers each catalog type goes to. Functions in
-- db/functions/events; docs/events.md explains them.

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

REVOKE ALL ON events.routes FROM public;
GRANT SELECT ON events.routes TO restartix_system;
