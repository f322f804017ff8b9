-- Consumers and their deliveries: register, worker sessions, claim (lease), heartbeat,
-- complete, fail (backoff, dead letter), release, replay. Called by the workers on the system
-- pool; docs/workers.md states the guarantees, docs/events.md how leases and sessions work. A
-- lane is one organization's queue for one consumer (platform events share the nil-uuid lane);
-- a lane is held by at most one lease at a time, and hands out its events in position order.

CREATE OR REPLACE FUNCTION events.register_consumer(
    p_name text,
    p_types text [] DEFAULT '{*}',
    p_max_attempts integer DEFAULT 10,
    p_lease interval DEFAULT '30 seconds',
    p_backoff_base interval DEFAULT '1 second',
    p_backoff_max interval DEFAULT '10 minutes'
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id integer;
BEGIN
    -- The code that runs a consumer is the source of its settings; `enabled` stays an operator's.
    INSERT INTO events.consumers AS c (name, types, max_attempts, lease, backoff_base, backoff_max)
    VALUES (p_name, p_types, p_max_attempts, p_lease, p_backoff_base, p_backoff_max)
    ON CONFLICT (name) DO UPDATE SET
        types = excluded.types,
        max_attempts = excluded.max_attempts,
        lease = excluded.lease,
        backoff_base = excluded.backoff_base,
        backoff_max = excluded.backoff_max,
        updated_at = util.now()
    WHERE (c.types, c.max_attempts, c.lease, c.backoff_base, c.backoff_max)
        IS DISTINCT FROM (excluded.types, excluded.max_attempts, excluded.lease,
                          excluded.backoff_base, excluded.backoff_max)
    RETURNING c.id INTO v_id;
    IF v_id IS NULL THEN
        SELECT c.id INTO v_id FROM events.consumers AS c WHERE c.name = p_name;
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION events.register_consumer(text, text [], integer, interval, interval, interval) IS 'Create a consumer or update its types and retry settings; it receives events published from then on.';

CREATE OR REPLACE FUNCTION events.forget_consumer_deliveries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    DELETE FROM events.deliveries AS d WHERE d.consumer_id = OLD.id;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.forget_consumer_deliveries() IS 'AFTER DELETE trigger on events.consumers: what a removed consumer was owed goes with it.';

CREATE OR REPLACE TRIGGER consumers_forget_deliveries AFTER DELETE ON events.consumers
FOR EACH ROW EXECUTE FUNCTION events.forget_consumer_deliveries();

CREATE OR REPLACE FUNCTION events.retry_delay(p_attempts integer, p_base interval, p_max interval)
RETURNS interval
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    -- Exponential, capped, with "equal jitter": between half and all of the capped delay, so
    -- events that failed together (an outage) do not all come back in the same instant.
    SELECT d * (0.5 + pg_catalog.random() * 0.5)
    FROM (
        SELECT least(p_max, p_base * pg_catalog.power(2, least(greatest(p_attempts, 1) - 1, 30))) AS d
    ) AS capped
$$;
COMMENT ON FUNCTION events.retry_delay(integer, interval, interval) IS 'Backoff before retry number N+1: base * 2^(N-1), capped at max, with jitter (50-100%).';

-- Worker sessions. A worker process holds one session-level advisory lock,
-- (events.session_lock_space(), key), on its LISTEN connection (direct to the server, never
-- pooled) for as long as it lives, and passes the key to every claim; the lease records it.
-- A lease is held while its time lasts and its session does: when a worker dies its
-- connection closes, the server drops the lock, and the next claim finds the lease free.

CREATE OR REPLACE FUNCTION events.session_lock_space() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
    SELECT pg_catalog.hashtext('events.worker_session')
$$;
COMMENT ON FUNCTION events.session_lock_space() IS 'The first key of every worker-session advisory lock (the second is the session key).';

CREATE OR REPLACE FUNCTION events.live_sessions() RETURNS integer []
LANGUAGE sql VOLATILE
SET search_path = ''
AS $$
    -- pg_locks as it is now (not as of the statement's snapshot): call it after reading the
    -- leases it judges, since a session always began before the leases that name it.
    SELECT coalesce(pg_catalog.array_agg(l.objid::bigint::integer), '{}')
    FROM pg_catalog.pg_locks AS l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = events.session_lock_space()::oid
      AND l.database = (
          SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
      )
$$;
COMMENT ON FUNCTION events.live_sessions() IS 'The keys of the worker sessions alive in this database (their advisory locks are held).';

CREATE OR REPLACE FUNCTION events.hold_session(p_key integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
    v_space integer := events.session_lock_space();
BEGIN
    -- After a reconnect the worker asks for its old key: if nobody holds it, the leases that
    -- name it are its own again. Otherwise, or the first time, a random free key.
    IF p_key IS NOT NULL AND p_key > 0 THEN
        IF pg_catalog.pg_try_advisory_lock(v_space, p_key) THEN
            RETURN p_key;
        END IF;
    END IF;
    LOOP
        p_key := 1 + pg_catalog.floor(pg_catalog.random() * 2147483646)::integer;
        IF pg_catalog.pg_try_advisory_lock(v_space, p_key) THEN
            RETURN p_key;
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION events.hold_session(integer) IS 'Take a worker-session lock for this connection''s lifetime (the given key when free); returns its key.';

CREATE OR REPLACE FUNCTION events.claim(
    p_consumer text,
    p_worker text,
    p_limit integer DEFAULT 100,
    p_per_lane integer DEFAULT 20,
    p_lease interval DEFAULT NULL,
    p_session integer DEFAULT NULL
) RETURNS TABLE (
    lease_id uuid,
    event_id uuid,
    attempt integer,
    redeliveries integer,
    lane uuid,
    event_position bigint,
    type text,
    version integer,
    organization_id uuid,
    actor_id uuid,
    actor_type text,
    request_id text,
    occurred_at timestamptz,
    payload jsonb
)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
DECLARE
    -- An event handed out again this many times because its worker ended while holding it is
    -- presumed to kill its workers (a poison event): it becomes a dead letter.
    c_max_redeliveries CONSTANT integer := 10;
    v_consumer events.consumers;
    v_now timestamptz := util.now();
    v_lease uuid := pg_catalog.gen_random_uuid();
    v_expires timestamptz;
    v_lock_space integer;
    -- Keys of the live worker sessions: read once, and again after reading leases to judge.
    v_live integer [];
    v_session integer;
    v_running integer [];
    v_sessionless boolean;
    -- Lanes a dead worker held come first; then lanes are visited in uuid order from a random
    -- point, wrapping once: no lane starves.
    v_orphans uuid [];
    v_orphan integer := 0;
    v_walking boolean;
    v_start uuid := pg_catalog.gen_random_uuid();
    v_cursor uuid := v_start;
    v_wrapped boolean := false;
    v_lane uuid;
    v_head record;
    v_ids uuid [];
    v_locked uuid [];
    v_n integer;
    v_taken integer := 0;
BEGIN
    -- Delivery bookkeeping need not wait for the WAL flush: a crash of the server forgets at
    -- most its last instants, which at-least-once delivery already covers (redelivery).
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
    SELECT * INTO v_consumer FROM events.consumers AS c WHERE c.name = p_consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer_unknown' USING DETAIL = pg_catalog.format('no consumer named %s', p_consumer);
    END IF;
    IF p_limit NOT BETWEEN 1 AND 1000 OR p_per_lane NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'limit and per-lane limit must be between 1 and 1000'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_lease IS NOT NULL AND p_lease NOT BETWEEN INTERVAL '1 second' AND INTERVAL '15 minutes' THEN
        RAISE EXCEPTION 'a lease is between 1 second and 15 minutes, got %', p_lease
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_expires := v_now + coalesce(p_lease, v_consumer.lease);
    v_lock_space := pg_catalog.hashtext('events.lane:' || v_consumer.id);
    -- The caller's session counts only while it is held; a claim without one (or with a key
    -- nobody holds) leases on time alone.
    v_live := events.live_sessions();
    IF p_session = ANY(v_live) THEN
        v_session := p_session;
    END IF;
    -- The lanes of workers that died hold the oldest work owed: they go first. (Only a
    -- shortlist: each is judged again below, with the sessions read after its leases.)
    SELECT pg_catalog.array_agg(DISTINCT d.lane) INTO v_orphans
    FROM events.deliveries AS d
    WHERE d.consumer_id = v_consumer.id AND d.state = 'leased'
      AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(v_live);

    WHILE v_taken < p_limit LOOP
        v_walking := v_orphan >= coalesce(pg_catalog.cardinality(v_orphans), 0);
        IF NOT v_walking THEN
            v_orphan := v_orphan + 1;
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead' AND d.lane = v_orphans[v_orphan]
            ORDER BY d.position
            LIMIT 1;
            CONTINUE WHEN NOT FOUND;
        -- The head (lowest position) of the next lane after the cursor.
        ELSIF v_cursor IS NULL THEN
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead'
            ORDER BY d.lane, d.position
            LIMIT 1;
        ELSE
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead' AND d.lane > v_cursor
            ORDER BY d.lane, d.position
            LIMIT 1;
        END IF;
        IF v_walking THEN
            IF NOT FOUND OR (v_wrapped AND v_head.lane > v_start) THEN
                EXIT WHEN v_wrapped;
                v_wrapped := true;
                v_cursor := NULL;
                CONTINUE;
            END IF;
            v_cursor := v_head.lane;
        END IF;
        v_lane := v_head.lane;

        -- Waiting to retry: the lane waits.
        CONTINUE WHEN v_head.state = 'pending' AND v_head.available_at > v_now;
        -- In flight under a lease that is still running and whose worker's session looks alive
        -- (this list may be a little old; it is read again below before a lease is taken over).
        IF v_head.state = 'leased' AND v_head.lease_expires_at > v_now THEN
            CONTINUE WHEN v_head.lease_session IS NULL;
            CONTINUE WHEN v_head.lease_session = ANY(v_live);
        END IF;
        -- One claimer per lane at a time, until this transaction commits its leases.
        CONTINUE WHEN NOT pg_catalog.pg_try_advisory_xact_lock(v_lock_space, pg_catalog.hashtext(v_head.lane::text));
        -- Any lease of the lane still running holds it: the head's, or a later event's in flight
        -- (it became visible first). Sessions are judged after these rows were read: a lease
        -- is only ever written while its session is held, so one seen ended now has ended.
        SELECT
            pg_catalog.array_agg(DISTINCT d.lease_session) FILTER (WHERE d.lease_session IS NOT NULL),
            coalesce(bool_or(d.lease_session IS NULL), false)
        INTO v_running, v_sessionless
        FROM events.deliveries AS d
        WHERE d.consumer_id = v_consumer.id AND d.lane = v_head.lane
          AND d.state = 'leased' AND d.lease_expires_at > v_now;
        CONTINUE WHEN v_sessionless;
        IF v_running IS NOT NULL OR v_head.lease_session IS NOT NULL THEN
            v_live := events.live_sessions();
            CONTINUE WHEN v_running OPERATOR(pg_catalog.&&) v_live;
        END IF;
        -- Lock the head itself, and make sure it is still the head and still available.
        SELECT
            d.lane, d.event_id, d.position, d.state, d.attempts, d.redeliveries, d.available_at,
            d.lease_id, d.leased_by, d.lease_expires_at, d.lease_session
        INTO v_head
        FROM events.deliveries AS d
        WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id
          AND d.state <> 'dead'
          AND NOT EXISTS (
              SELECT 1 FROM events.deliveries AS e
              WHERE e.consumer_id = d.consumer_id AND e.lane = d.lane
                AND e.state <> 'dead' AND e.position < d.position
          )
        FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        CONTINUE WHEN v_head.state = 'pending' AND v_head.available_at > v_now;

        IF v_head.state = 'leased' AND v_head.lease_session IS NOT NULL
           AND NOT (v_head.lease_session = ANY(v_live)) THEN
            -- Its worker's session has ended: the worker is gone, whatever the lease says. Its
            -- whole lease is free now. The lease's first unfinished event may have been in hand
            -- (a batch runs in position order): that one is a redelivery, not a failed attempt;
            -- the rest go back untouched. Rows of the lease another claimer has locked are
            -- left to it.
            WITH lease_rows AS (
                SELECT d.consumer_id, d.event_id, d.position, d.redeliveries
                FROM events.deliveries AS d
                WHERE d.lease_id = v_head.lease_id AND d.state = 'leased'
                FOR UPDATE SKIP LOCKED
            ),

            first_row AS (
                SELECT min(d.position) AS position
                FROM events.deliveries AS d
                WHERE d.lease_id = v_head.lease_id AND d.state = 'leased'
            ),

            freed AS (
                SELECT
                    l.consumer_id, l.event_id,
                    l.position = f.position AS in_hand,
                    l.position = f.position AND l.redeliveries + 1 >= c_max_redeliveries AS poison
                FROM lease_rows AS l CROSS JOIN first_row AS f
            )

            UPDATE events.deliveries AS d SET
                redeliveries = d.redeliveries + CASE WHEN x.in_hand THEN 1 ELSE 0 END,
                state = CASE WHEN x.poison THEN 'dead' ELSE 'pending' END,
                dead_at = CASE WHEN x.poison THEN v_now END,
                available_at = CASE WHEN x.poison THEN d.available_at ELSE v_now END,
                last_error = CASE
                    WHEN x.poison THEN pg_catalog.format(
                        'redelivered %s times: each worker holding it ended during it (the last was %s)',
                        d.redeliveries + 1, coalesce(d.leased_by, '?')
                    )
                    ELSE d.last_error
                END,
                lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
            FROM freed AS x
            WHERE d.consumer_id = x.consumer_id AND d.event_id = x.event_id;
            -- The head is ours (still locked). If it became a dead letter, the lane goes on
            -- from its next event (freed with it, or nothing to take now).
            IF (SELECT d.state FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id) = 'dead' THEN
                SELECT d.lane, d.event_id, d.position, d.state, d.available_at INTO v_head
                FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.lane = v_lane AND d.state <> 'dead'
                ORDER BY d.position
                LIMIT 1
                FOR UPDATE SKIP LOCKED;
                CONTINUE WHEN NOT FOUND OR v_head.state <> 'pending' OR v_head.available_at > v_now;
            END IF;
        ELSIF v_head.state = 'leased' AND v_head.lease_expires_at > v_now THEN
            CONTINUE;
        ELSIF v_head.state = 'leased' THEN
            -- Its lease ran out while its worker's session lived on (or it had none): the
            -- handler hung or ran past its limit. A timeout is a failed attempt like any other
            -- (backoff, then dead letter), so a hanging event cannot hold the lane forever.
            UPDATE events.deliveries AS d SET
                attempts = d.attempts + 1,
                state = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN 'dead' ELSE 'pending' END,
                dead_at = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN v_now END,
                available_at = CASE
                    WHEN d.attempts + 1 >= v_consumer.max_attempts THEN d.available_at
                    ELSE v_now + events.retry_delay(d.attempts + 1, v_consumer.backoff_base, v_consumer.backoff_max)
                END,
                last_error = pg_catalog.format(
                    'lease expired at %s: the worker %s hung or ran past its limit during attempt %s',
                    d.lease_expires_at, coalesce(d.leased_by, '?'), d.attempts + 1
                ),
                lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
            WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id;
            CONTINUE;
        END IF;

        -- The run: the lane's first events in order, as far as each one is available.
        SELECT pg_catalog.array_agg(r.event_id ORDER BY r.position) INTO v_ids
        FROM (
            SELECT
                x.event_id, x.position,
                bool_and(x.usable) OVER (ORDER BY x.position) AS usable_so_far
            FROM (
                SELECT
                    d.event_id, d.position,
                    (d.state = 'pending' AND d.available_at <= v_now)
                    OR (d.state = 'leased' AND d.lease_expires_at <= v_now) AS usable
                FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.lane = v_lane AND d.state <> 'dead'
                ORDER BY d.position
                LIMIT least(p_per_lane, p_limit - v_taken)
            ) AS x
        ) AS r
        WHERE r.usable_so_far;

        SELECT pg_catalog.array_agg(l.event_id ORDER BY l.position) INTO v_locked
        FROM (
            SELECT d.event_id, d.position
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.event_id = ANY(v_ids)
              AND (
                  (d.state = 'pending' AND d.available_at <= v_now)
                  OR (d.state = 'leased' AND d.lease_expires_at <= v_now)
              )
            ORDER BY d.position
            FOR UPDATE SKIP LOCKED
        ) AS l;

        -- Only the unbroken start of the run: an event changed or locked meanwhile cuts it.
        v_n := 0;
        WHILE v_n < coalesce(pg_catalog.cardinality(v_locked), 0) AND v_locked[v_n + 1] = v_ids[v_n + 1] LOOP
            v_n := v_n + 1;
        END LOOP;
        CONTINUE WHEN v_n = 0;

        UPDATE events.deliveries AS d SET
            state = 'leased', lease_id = v_lease, leased_by = p_worker, lease_expires_at = v_expires,
            lease_session = v_session
        WHERE d.consumer_id = v_consumer.id AND d.event_id = ANY(v_locked[1:v_n]);
        v_taken := v_taken + v_n;
    END LOOP;

    RETURN QUERY
    SELECT
        v_lease, o.id, d.attempts + 1, d.redeliveries, d.lane, d.position, o.type, o.version,
        o.organization_id, o.actor_id, o.actor_type, o.request_id, o.occurred_at, o.payload
    FROM events.deliveries AS d
    INNER JOIN events.outbox AS o ON o.id = d.event_id
    WHERE d.lease_id = v_lease AND d.state = 'leased'
    -- Position order across lanes too: a dead worker's unfinished event is its lease's first.
    ORDER BY d.position;
END;
$$;
COMMENT ON FUNCTION events.claim(text, text, integer, integer, interval, integer) IS 'Lease up to N deliveries of a consumer for a worker session, at most one lease per organization lane, each lane''s events in order.';

CREATE OR REPLACE FUNCTION events.heartbeat(p_lease_ids uuid [], p_lease interval DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    -- A lease that has already run out is not revived: another worker may be taking it over.
    UPDATE events.deliveries AS d
    SET lease_expires_at = util.now() + coalesce(p_lease, c.lease)
    FROM events.consumers AS c
    WHERE c.id = d.consumer_id
      AND d.lease_id = ANY(p_lease_ids) AND d.state = 'leased' AND d.lease_expires_at > util.now();
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION events.heartbeat(uuid [], interval) IS 'Extend live leases by the lease length; returns how many deliveries are still held.';

CREATE OR REPLACE FUNCTION events.complete(p_lease_id uuid, p_event_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    -- Done leaves the queue and a compact record in the event's month of history.
    WITH done AS (
        DELETE FROM events.deliveries AS d
        WHERE d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased'
        RETURNING d.event_id, d.consumer_id, d.attempts, d.redeliveries, d.last_error
    )

    INSERT INTO events.delivery_history (event_id, consumer_id, attempts, redeliveries, last_error, completed_at)
    SELECT x.event_id, x.consumer_id, x.attempts + 1, x.redeliveries, x.last_error, util.now()
    FROM done AS x;
    RETURN FOUND;
END;
$$;
COMMENT ON FUNCTION events.complete(uuid, uuid) IS 'Mark a leased delivery done and record it; false when the lease was lost (another worker owns it now).';

CREATE OR REPLACE FUNCTION events.fail(p_lease_id uuid, p_event_id uuid, p_error text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row record;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    UPDATE events.deliveries AS d SET
        attempts = d.attempts + 1,
        state = CASE WHEN d.attempts + 1 >= c.max_attempts THEN 'dead' ELSE 'pending' END,
        dead_at = CASE WHEN d.attempts + 1 >= c.max_attempts THEN util.now() END,
        available_at = CASE
            WHEN d.attempts + 1 >= c.max_attempts THEN d.available_at
            ELSE util.now() + events.retry_delay(d.attempts + 1, c.backoff_base, c.backoff_max)
        END,
        last_error = pg_catalog.left(coalesce(nullif(p_error, ''), 'failed'), 4000),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    FROM events.consumers AS c
    WHERE c.id = d.consumer_id
      AND d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased'
    RETURNING d.consumer_id, d.lane, d.position, d.state INTO v_row;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The rest of this lease's run in the lane goes back, unattempted, behind the failed event.
    UPDATE events.deliveries AS d SET
        state = 'pending', available_at = util.now(),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    WHERE d.lease_id = p_lease_id AND d.state = 'leased'
      AND d.consumer_id = v_row.consumer_id AND d.lane = v_row.lane AND d.position > v_row.position;
    RETURN v_row.state;
END;
$$;
COMMENT ON FUNCTION events.fail(uuid, uuid, text) IS 'Record a failed attempt: retry later with backoff, or dead-letter after max attempts; returns the new state.';

CREATE OR REPLACE FUNCTION events.release(p_lease_id uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    UPDATE events.deliveries AS d SET
        state = 'pending', available_at = util.now(),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    WHERE d.lease_id = p_lease_id AND d.state = 'leased';
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION events.release(uuid) IS 'Give back what a lease still holds, unattempted and available at once (graceful shutdown).';

CREATE OR REPLACE FUNCTION events.replay(p_consumer text, p_from timestamptz, p_to timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_consumer events.consumers;
    v_count integer;
BEGIN
    SELECT * INTO v_consumer FROM events.consumers AS c WHERE c.name = p_consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer_unknown' USING DETAIL = pg_catalog.format('no consumer named %s', p_consumer);
    END IF;
    IF p_from IS NULL OR p_to IS NULL OR p_from >= p_to THEN
        RAISE EXCEPTION 'a replay range needs from < to, got [%, %)', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Owed again from the first attempt: new deliveries for events the consumer is done with,
    -- dead letters brought back; deliveries still pending or leased stay as they are.
    INSERT INTO events.deliveries AS d (consumer_id, event_id, position, lane)
    SELECT v_consumer.id, o.id, o.position, coalesce(o.organization_id, '00000000-0000-0000-0000-000000000000')
    FROM events.outbox AS o
    WHERE o.id >= util.uuid_v7_floor(p_from) AND o.id < util.uuid_v7_floor(p_to)
      AND v_consumer.types OPERATOR(pg_catalog.&&) events.type_patterns(o.type)
    ON CONFLICT (consumer_id, event_id) DO UPDATE SET
        state = 'pending', attempts = 0, redeliveries = 0, available_at = util.now(), last_error = NULL,
        dead_at = NULL
    WHERE d.state = 'dead';
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION events.replay(text, timestamptz, timestamptz) IS 'Deliver again to one consumer every event of its types recorded in [from, to); returns how many are owed anew.';

CREATE OR REPLACE FUNCTION events.discard_dead(p_consumer text, p_event_ids uuid [] DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    DELETE FROM events.deliveries AS d
    USING events.consumers AS c
    WHERE c.id = d.consumer_id AND c.name = p_consumer AND d.state = 'dead'
      AND (p_event_ids IS NULL OR d.event_id = ANY(p_event_ids));
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION events.discard_dead(text, uuid []) IS 'Drop dead letters of a consumer (all, or the listed events) after they were dealt with.';

CREATE OR REPLACE FUNCTION events.orphaned_leases(p_consumers text [] DEFAULT NULL) RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
    -- Deliveries still marked leased by workers whose session has ended; the next claim of
    -- their consumer frees them. An idle worker asks, to claim at once rather than at its poll.
    SELECT count(*)
    FROM (SELECT events.live_sessions() AS keys) AS live
    CROSS JOIN events.deliveries AS d
    INNER JOIN events.consumers AS c ON d.consumer_id = c.id
    WHERE d.state = 'leased' AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(live.keys)
      AND (p_consumers IS NULL OR c.name = ANY(p_consumers))
$$;
COMMENT ON FUNCTION events.orphaned_leases(text []) IS 'How many deliveries (of the named consumers, or all) are leased by workers whose session ended.';

CREATE OR REPLACE FUNCTION events.consumer_status()
RETURNS TABLE (
    consumer text, enabled boolean, pending bigint, leased bigint, dead bigint, oldest_pending timestamptz,
    orphaned bigint
)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
    -- orphaned: leased by a worker whose session has ended; the next claim frees them.
    WITH live AS (SELECT events.live_sessions() AS keys)

    SELECT
        c.name, c.enabled,
        count(*) FILTER (WHERE d.state = 'pending'),
        count(*) FILTER (WHERE d.state = 'leased'),
        count(*) FILTER (WHERE d.state = 'dead'),
        min(o.occurred_at) FILTER (WHERE d.state = 'pending'),
        count(*) FILTER (
            WHERE d.state = 'leased' AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(live.keys)
        )
    FROM live CROSS JOIN events.consumers AS c
    LEFT JOIN events.deliveries AS d ON d.consumer_id = c.id
    LEFT JOIN events.outbox AS o ON o.id = d.event_id AND d.state = 'pending'
    GROUP BY c.name, c.enabled
    ORDER BY c.name
$$;
COMMENT ON FUNCTION events.consumer_status() IS 'Per consumer: deliveries pending, leased and dead, the oldest pending event''s time (lag), and leases orphaned by ended workers.';

REVOKE EXECUTE ON FUNCTION
events.register_consumer(text, text [], integer, interval, interval, interval),
events.session_lock_space(), events.live_sessions(), events.hold_session(integer),
events.claim(text, text, integer, integer, interval, integer), events.heartbeat(uuid [], interval),
events.complete(uuid, uuid), events.fail(uuid, uuid, text), events.release(uuid),
events.replay(text, timestamptz, timestamptz), events.discard_dead(text, uuid []),
events.orphaned_leases(text []), events.consumer_status(), events.retry_delay(integer, interval, interval)
FROM public;
GRANT EXECUTE ON FUNCTION
events.register_consumer(text, text [], integer, interval, interval, interval),
events.session_lock_space(), events.live_sessions(), events.hold_session(integer),
events.claim(text, text, integer, integer, interval, integer), events.heartbeat(uuid [], interval),
events.complete(uuid, uuid), events.fail(uuid, uuid, text), events.release(uuid),
events.replay(text, timestamptz, timestamptz), events.discard_dead(text, uuid []),
events.orphaned_leases(text []), events.consumer_status()
TO restartix_system;
