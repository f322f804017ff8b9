-- The record of completed deliveries: one compact row per completion (attempt, redeliveries,
-- last error, when), in the monthly partitions of its event, created and retired with the
-- outbox's months.
BEGIN;
SELECT plan(14);

SELECT audit.ensure_partitions(0, '2031-05-10 00:00+00');
SELECT tests.freeze_time('2031-05-10 09:00+00');
SELECT events.register_consumer('alpha', p_max_attempts => 5, p_backoff_base => '1 second');
INSERT INTO events.event_types VALUES ('test.ping', 1, 'A test event.');
CREATE TEMP TABLE pub AS
SELECT g, events.publish_for(gen_random_uuid(), 'test.ping', jsonb_build_object('n', g)) AS event_id
FROM generate_series(1, 3) AS g;
CREATE TEMP TABLE got (step text, lease_id uuid, event_id uuid);
GRANT SELECT ON pub TO restartix_system;
GRANT SELECT, INSERT ON got TO restartix_system;
CREATE FUNCTION pg_temp.ev(p_g integer) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT p.event_id FROM pub AS p WHERE p.g = p_g $$;
CREATE FUNCTION pg_temp.lease_of(p_step text, p_g integer) RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT g.lease_id FROM got AS g WHERE g.step = p_step AND g.event_id = pg_temp.ev(p_g) $$;
CREATE FUNCTION pg_temp.take(p_step text, p_session integer DEFAULT NULL) RETURNS integer LANGUAGE sql AS $$
    INSERT INTO got SELECT p_step, c.lease_id, c.event_id FROM events.claim('alpha', 'w', 100, 20, NULL, p_session) AS c;
    SELECT count(*)::int FROM got AS g WHERE g.step = p_step
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_temp TO restartix_system;
CREATE TEMP TABLE k AS SELECT events.hold_session() AS key;
GRANT SELECT ON k TO restartix_system;

SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('first', (SELECT key FROM k)), 3, 'three events in three lanes');
SELECT ok(events.complete(pg_temp.lease_of('first', 1), pg_temp.ev(1)), 'event 1 completes at its first attempt');
SELECT is(events.fail(pg_temp.lease_of('first', 2), pg_temp.ev(2), 'TimeoutError: the clinic''s server did not answer'), 'pending', 'event 2 fails once');
SELECT tests.clear_authentication();
-- Event 3's worker dies.
SELECT pg_advisory_unlock_all();
SELECT tests.freeze_time('2031-05-10 09:00:05+00');
UPDATE k SET key = events.hold_session();
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('second', (SELECT key FROM k)), 2, 'event 2 after its backoff, event 3 at once as a redelivery');
SELECT ok(
    events.complete(pg_temp.lease_of('second', 2), pg_temp.ev(2))
    AND events.complete(pg_temp.lease_of('second', 3), pg_temp.ev(3)),
    'both complete'
);
SELECT ok(NOT events.complete(pg_temp.lease_of('first', 3), pg_temp.ev(3)), 'a refused completion records nothing');
SELECT results_eq(
    $$SELECT p.g, h.attempts, h.redeliveries, h.last_error, h.completed_at
      FROM events.delivery_history AS h JOIN pub AS p ON h.event_id = p.event_id ORDER BY p.g$$,
    $$VALUES
      (1, 1, 0, NULL::text, '2031-05-10 09:00+00'::timestamptz),
      (2, 2, 0, 'TimeoutError: the clinic''s server did not answer', '2031-05-10 09:00:05+00'),
      (3, 1, 1, NULL, '2031-05-10 09:00:05+00')$$,
    'each completion keeps its attempt, its redeliveries, the last error of its failed attempts and when'
);
SELECT is(
    (SELECT count(*)::int FROM events.delivery_history AS h
     INNER JOIN events.consumers AS c ON h.consumer_id = c.id WHERE c.name = 'alpha'),
    3, 'one record per completed delivery, naming its consumer'
);
SELECT is_empty($$SELECT 1 FROM events.deliveries$$, 'while the queue is empty');
SELECT tests.clear_authentication();

SELECT ok(
    has_table_privilege('restartix_system', 'events.delivery_history', 'SELECT')
    AND NOT has_table_privilege('restartix_system', 'events.delivery_history', 'INSERT')
    AND NOT has_table_privilege('restartix_app', 'events.delivery_history', 'SELECT'),
    'the system pool reads the record; only events.complete writes it; the request pool sees none of it'
);

-- Months: created and retired with the outbox's ---------------------------------------------------
SELECT is(
    (SELECT count(*)::int FROM events.ensure_partitions(1, '2020-01-15 00:00+00')), 2,
    'rolling a new range still names the outbox months it created'
);
SELECT results_eq(
    $$SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class AS c WHERE c.relname = 'delivery_history_p2020_02'$$,
    $$SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class AS c WHERE c.relname = 'outbox_p2020_02'$$,
    'and made each month''s history partition with the outbox month''s bounds'
);
SELECT is_empty(
    $$SELECT o.relname FROM pg_inherits AS i JOIN pg_class AS o ON o.oid = i.inhrelid
      WHERE i.inhparent = 'events.outbox'::regclass
        AND to_regclass('events.' || replace(o.relname, 'outbox_p', 'delivery_history_p')) IS NULL$$,
    'every outbox month has its history month'
);
SELECT events.retire_month('2020-01-01');
SELECT is_empty(
    $$SELECT 1 FROM pg_class WHERE relname IN ('outbox_p2020_01', 'delivery_history_p2020_01')$$,
    'retiring a month drops its events and their record together'
);

SELECT * FROM finish();
ROLLBACK;
