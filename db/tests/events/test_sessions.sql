-- Leases tied to worker sessions: a lease is held while its time lasts and its worker's
-- session (an advisory lock) does; a lease whose session ended is free at once, its event in
-- hand counted as a redelivery, not a failed attempt; a lease that ran out while its session
-- lived is a timeout (a failed attempt). One database session plays every worker here: taking
-- and dropping the session locks stands for workers starting and dying.
BEGIN;
SELECT plan(41);

SELECT audit.ensure_partitions(0, '2031-05-10 00:00+00');
SELECT tests.freeze_time('2031-05-10 09:00+00');
SELECT events.register_consumer('alpha', p_max_attempts => 3, p_lease => '30 seconds');
INSERT INTO events.event_types VALUES ('test.ping', 1, 'A test event.');

CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
CREATE TEMP TABLE pub (g integer PRIMARY KEY, event_id uuid);
CREATE TEMP TABLE got (step text, lease_id uuid, event_id uuid, attempt integer, redeliveries integer, g integer);
GRANT SELECT ON ids, pub TO restartix_system;
GRANT SELECT, INSERT ON got TO restartix_system;
CREATE FUNCTION pg_temp.ev(p_g integer) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT p.event_id FROM pub AS p WHERE p.g = p_g $$;
CREATE FUNCTION pg_temp.lease(p_step text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT DISTINCT g.lease_id FROM got AS g WHERE g.step = p_step $$;
-- Claim for a worker with a session key, and keep what it got under a name.
CREATE FUNCTION pg_temp.take(p_step text, p_worker text, p_session integer, p_per_lane integer DEFAULT 20)
RETURNS integer LANGUAGE sql AS $$
    INSERT INTO got
    SELECT p_step, c.lease_id, c.event_id, c.attempt, c.redeliveries, (c.payload ->> 'n')::int
    FROM events.claim('alpha', p_worker, 100, p_per_lane, NULL, p_session) AS c;
    SELECT count(*)::int FROM got AS g WHERE g.step = p_step
$$;
CREATE FUNCTION pg_temp.row_of(p_g integer) RETURNS TABLE (
    state text, attempts integer, redeliveries integer, lease_session integer, last_error text
) LANGUAGE sql STABLE AS $$
    SELECT d.state, d.attempts, d.redeliveries, d.lease_session, d.last_error
    FROM events.deliveries AS d WHERE d.event_id = pg_temp.ev(p_g)
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_temp TO restartix_system;
INSERT INTO ids VALUES ('a', gen_random_uuid()), ('b', gen_random_uuid());
-- Clinic A's events are 1-6, clinic B's 7-8; in position order.
INSERT INTO pub
SELECT g, events.publish_for(CASE WHEN g <= 6 THEN (SELECT id FROM ids WHERE name = 'a') ELSE (SELECT id FROM ids WHERE name = 'b') END,
    'test.ping', jsonb_build_object('n', g)) AS event_id
FROM generate_series(1, 8) AS g ORDER BY g;

-- Sessions ----------------------------------------------------------------------------------------
CREATE TEMP TABLE keys AS SELECT events.hold_session() AS w1;
GRANT SELECT, UPDATE ON keys TO restartix_system;
CREATE FUNCTION pg_temp.w1() RETURNS integer LANGUAGE sql STABLE AS $$ SELECT k.w1 FROM keys AS k $$;
GRANT EXECUTE ON FUNCTION pg_temp.w1() TO restartix_system;
SELECT ok(pg_temp.w1() > 0, 'a worker session gets a positive key');
SELECT ok(pg_temp.w1() = any(events.live_sessions()), 'and is live while its lock is held');
SELECT is(events.hold_session(pg_temp.w1()), pg_temp.w1(), 'asking again for a key this session holds gives it back');
SELECT ok(
    (SELECT l.pid = pg_backend_pid() AND l.granted FROM pg_locks AS l
     WHERE l.locktype = 'advisory' AND l.classid = events.session_lock_space()::oid AND l.objid = pg_temp.w1()::oid),
    'the session is a session-level advisory lock an operator finds in pg_locks'
);
SELECT ok(
    NOT has_function_privilege('restartix_app', 'events.hold_session(integer)', 'EXECUTE')
    AND NOT has_function_privilege('restartix_app', 'events.live_sessions()', 'EXECUTE')
    AND NOT has_function_privilege('restartix_app', 'events.claim(text, text, integer, integer, interval, integer)', 'EXECUTE')
    AND has_function_privilege('restartix_system', 'events.hold_session(integer)', 'EXECUTE'),
    'sessions are the system pool''s alone'
);

-- A live session holds its lease ------------------------------------------------------------------
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('w1', 'host:1/alpha#0', pg_temp.w1(), 3), 5, 'the worker takes three of clinic A and both of B');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT DISTINCT lease_session FROM events.deliveries WHERE state = 'leased'$$,
    $$SELECT pg_temp.w1()$$,
    'the leases name the worker''s session'
);
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('w2-early', 'host:2/alpha#0', NULL), 0, 'another worker gets nothing while the session lives');
SELECT is(events.heartbeat(ARRAY[pg_temp.lease('w1')]), 5, 'heartbeats extend the leases of a live session');
SELECT tests.freeze_time('2031-05-10 09:00:25+00');
SELECT is(pg_temp.take('w2-later', 'host:2/alpha#0', NULL), 0, 'a slow but live worker keeps its lanes past the first lease time');

-- The worker dies: its lease is free at once --------------------------------------------------------
SELECT tests.clear_authentication();
SELECT pg_advisory_unlock_all();
SELECT ok(NOT pg_temp.w1() = any(events.live_sessions()), 'a dropped lock is an ended session');
SELECT results_eq(
    $$SELECT consumer, leased, orphaned FROM events.consumer_status()$$,
    $$VALUES ('alpha', 5::bigint, 5::bigint)$$,
    'the status counts the leases of ended sessions as orphaned'
);
SELECT is(events.orphaned_leases(ARRAY['alpha']), 5::bigint, 'an idle worker of the consumer finds them too');
SELECT is(events.orphaned_leases(ARRAY['someone_else']), 0::bigint, 'and only its own consumers'' count');
CREATE TEMP TABLE w2key AS SELECT events.hold_session() AS k;
GRANT SELECT ON w2key TO restartix_system;
SELECT tests.authenticate_as_system();
SELECT is(
    pg_temp.take('w2', 'host:2/alpha#0', (SELECT k FROM w2key)), 8,
    'long before the lease runs out, another worker takes the dead worker''s lanes (and their rest)'
);
SELECT results_eq(
    $$SELECT g, attempt, redeliveries FROM got WHERE step = 'w2' ORDER BY g$$,
    $$SELECT g, 1, CASE WHEN g = 1 THEN 1 ELSE 0 END FROM generate_series(1, 8) AS g$$,
    'the lease''s first event (maybe in hand) is a redelivery; the rest come back untouched; no attempt is charged'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT * FROM pg_temp.row_of(1)$$,
    $$SELECT 'leased', 0, 1, (SELECT k FROM w2key), NULL::text$$,
    'the redelivered event records one redelivery, no failed attempt and no error'
);
SELECT tests.authenticate_as_system();
SELECT ok(NOT events.complete(pg_temp.lease('w1'), pg_temp.ev(2)), 'the dead worker''s completion would be refused');
SELECT ok(events.complete(pg_temp.lease('w2'), pg_temp.ev(1)), 'the new holder completes');

-- A claim with a session nobody holds leases on time alone -----------------------------------------
SELECT is(events.release(pg_temp.lease('w2')), 7, 'the new holder gives back the rest');
SELECT is(pg_temp.take('w3', 'host:3/alpha#0', 123456789), 7, 'a claim naming a session nobody holds still leases');
SELECT tests.clear_authentication();
SELECT is(
    (SELECT count(*)::int FROM events.deliveries WHERE state = 'leased' AND lease_session IS NULL), 7,
    'but without a session: nobody can end it but time'
);
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('w2-again', 'host:2/alpha#0', (SELECT k FROM w2key)), 0, 'so the lanes stay held until the lease runs out');

-- A lease that runs out while its session lives: a timeout, a failed attempt ----------------------
SELECT is(events.release(pg_temp.lease('w3')), 7, 'released');
SELECT is(pg_temp.take('w2-b', 'host:2/alpha#0', (SELECT k FROM w2key), 1), 2, 'the live worker takes the head of each lane');
SELECT tests.freeze_time('2031-05-10 09:01:00+00');
SELECT is(pg_temp.take('w4', 'host:4/alpha#0', NULL), 0, 'its lease ran out: the first claim after charges the head of each lane');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, redeliveries, last_error LIKE 'lease expired at % the worker host:2/alpha#0 hung or ran past its limit during attempt 1'
      FROM pg_temp.row_of(2)$$,
    $$VALUES ('pending', 1, 0, true)$$,
    'a lease that ran out under a live session is a failed attempt (a timeout), with backoff'
);
SELECT ok(
    (SELECT d.available_at > util.now() FROM events.deliveries AS d WHERE d.event_id = pg_temp.ev(2)),
    'and waits out its backoff'
);

-- Whole leases: one redelivery per dead lease, across lanes -----------------------------------------
DELETE FROM events.deliveries;
DELETE FROM pub;
INSERT INTO pub
SELECT g, events.publish_for(CASE WHEN g % 2 = 1 THEN (SELECT id FROM ids WHERE name = 'a') ELSE (SELECT id FROM ids WHERE name = 'b') END,
    'test.ping', jsonb_build_object('n', g)) AS event_id
FROM generate_series(1, 6) AS g ORDER BY g;
UPDATE keys SET w1 = events.hold_session();
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('x1', 'host:1/alpha#0', pg_temp.w1()), 6, 'a worker leases both lanes in one lease');
SELECT ok(events.complete(pg_temp.lease('x1'), pg_temp.ev(1)), 'it completes event 1, then dies during event 2');
SELECT tests.clear_authentication();
SELECT pg_advisory_unlock(events.session_lock_space(), pg_temp.w1());
SELECT pg_advisory_unlock(events.session_lock_space(), pg_temp.w1());
SELECT ok(NOT pg_temp.w1() = any(events.live_sessions()), 'the session ended');
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('x2', 'host:2/alpha#0', (SELECT k FROM w2key)), 5, 'another worker takes the rest of the lease');
SELECT results_eq(
    $$SELECT g, redeliveries FROM got WHERE step = 'x2' ORDER BY g$$,
    $$VALUES (2, 1), (3, 0), (4, 0), (5, 0), (6, 0)$$,
    'only the lease''s first unfinished event (the one a batch in position order had in hand) counts as redelivered'
);

-- A poison event that kills every worker holding it ends as a dead letter ---------------------------
SELECT tests.clear_authentication();
SELECT is(events.release(pg_temp.lease('x2')), 5, 'released');
UPDATE events.deliveries SET redeliveries = 9 WHERE event_id = pg_temp.ev(2);
UPDATE keys SET w1 = events.hold_session();
SELECT tests.authenticate_as_system();
SELECT is(pg_temp.take('p1', 'host:5/alpha#0', pg_temp.w1(), 1), 2, 'a worker takes the head of each lane');
SELECT tests.clear_authentication();
SELECT pg_advisory_unlock(events.session_lock_space(), pg_temp.w1());
SELECT tests.authenticate_as_system();
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int, redeliveries FROM events.claim('alpha', 'host:6/alpha#0', 100, 20, NULL, (SELECT k FROM w2key)) ORDER BY event_position$$,
    $$VALUES (3, 0), (4, 0), (5, 0), (6, 0)$$,
    'after its tenth redelivery the event no longer holds its lane up: the next claim goes on past it'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, redeliveries, last_error FROM pg_temp.row_of(2)$$,
    $$VALUES ('dead', 0, 10, 'redelivered 10 times: each worker holding it ended during it (the last was host:5/alpha#0)')$$,
    'it is a dead letter that says why, with no failed attempt'
);
SELECT results_eq(
    $$SELECT state, last_error FROM pg_temp.row_of(4)$$, $$VALUES ('leased', NULL::text)$$,
    'the next event of its lane is handed out, with no error of its own'
);

-- Replay starts the count over ----------------------------------------------------------------------
SELECT tests.authenticate_as_system();
SELECT ok(
    events.replay('alpha', pg_catalog.now() - interval '1 hour', pg_catalog.now() + interval '1 hour') >= 1,
    'replay brings the dead letter back'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, redeliveries FROM pg_temp.row_of(2)$$,
    $$VALUES ('pending', 0, 0)$$,
    'from a first delivery: no attempts, no redeliveries'
);
SELECT is(
    (SELECT count(*)::int FROM events.deliveries WHERE state <> 'leased' AND lease_session IS NOT NULL), 0,
    'only leased deliveries name a session'
);

SELECT * FROM finish();
ROLLBACK;
