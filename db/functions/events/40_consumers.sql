-- Consumers and their deliveries: register, claim (lease), heartbeat, complete, fail (backoff,
-- dead letter), release, replay. Called by the workers on the system pool; docs/workers.md
-- states the guarantees. A lane is one organization's queue for one consumer (platform
-- events share the nil-uuid lane); a lane is held by at most one lease at a time, and hands
-- out its events in position order.

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

CREATE OR REPLACE FUNCTION events.claim(
    p_consumer text,
    p_worker text,
    p_limit integer DEFAULT 100,
    p_per_lane integer DEFAULT 20,
    p_lease interval DEFAULT NULL
) RETURNS TABLE (
    lease_id uuid,
    event_id uuid,
    attempt integer,
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
    v_consumer events.consumers;
    v_now timestamptz := util.now();
    v_lease uuid := pg_catalog.gen_random_uuid();
    v_expires timestamptz;
    v_lock_space integer;
    -- Lanes are visited in uuid order from a random point, wrapping once: no lane starves.
    v_start uuid := pg_catalog.gen_random_uuid();
    v_cursor uuid := v_start;
    v_wrapped boolean := false;
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

    WHILE v_taken < p_limit LOOP
        -- The head (lowest position) of the next lane after the cursor.
        IF v_cursor IS NULL THEN
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead'
            ORDER BY d.lane, d.position
            LIMIT 1;
        ELSE
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead' AND d.lane > v_cursor
            ORDER BY d.lane, d.position
            LIMIT 1;
        END IF;
        IF NOT FOUND OR (v_wrapped AND v_head.lane > v_start) THEN
            EXIT WHEN v_wrapped;
            v_wrapped := true;
            v_cursor := NULL;
            CONTINUE;
        END IF;
        v_cursor := v_head.lane;

        -- Waiting to retry, or in flight under a live lease: the lane waits.
        CONTINUE WHEN v_head.state = 'pending' AND v_head.available_at > v_now;
        CONTINUE WHEN v_head.state = 'leased' AND v_head.lease_expires_at > v_now;
        -- One claimer per lane at a time, until this transaction commits its leases.
        CONTINUE WHEN NOT pg_catalog.pg_try_advisory_xact_lock(v_lock_space, pg_catalog.hashtext(v_head.lane::text));
        -- A later event of the lane in flight (it became visible first) also holds the lane.
        CONTINUE WHEN EXISTS (
            SELECT 1 FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.lane = v_head.lane
              AND d.state = 'leased' AND d.lease_expires_at > v_now
        );
        -- Lock the head itself, and make sure it is still the head and still available.
        SELECT d.lane, d.event_id, d.position, d.state, d.attempts, d.available_at, d.lease_expires_at
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
        CONTINUE WHEN v_head.state = 'leased' AND v_head.lease_expires_at > v_now;

        IF v_head.state = 'leased' THEN
            -- Its lease ran out: the worker died or hung during this event. That is a failed
            -- attempt like any other (backoff, then dead letter), so a poison event that
            -- crashes its worker cannot hold the lane forever.
            UPDATE events.deliveries AS d SET
                attempts = d.attempts + 1,
                state = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN 'dead' ELSE 'pending' END,
                dead_at = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN v_now END,
                available_at = CASE
                    WHEN d.attempts + 1 >= v_consumer.max_attempts THEN d.available_at
                    ELSE v_now + events.retry_delay(d.attempts + 1, v_consumer.backoff_base, v_consumer.backoff_max)
                END,
                last_error = pg_catalog.format(
                    'lease expired at %s: the worker %s stopped or hung during attempt %s',
                    d.lease_expires_at, coalesce(d.leased_by, '?'), d.attempts + 1
                ),
                lease_id = NULL, leased_by = NULL, lease_expires_at = NULL
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
                WHERE d.consumer_id = v_consumer.id AND d.lane = v_head.lane AND d.state <> 'dead'
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
            state = 'leased', lease_id = v_lease, leased_by = p_worker, lease_expires_at = v_expires
        WHERE d.consumer_id = v_consumer.id AND d.event_id = ANY(v_locked[1:v_n]);
        v_taken := v_taken + v_n;
    END LOOP;

    RETURN QUERY
    SELECT
        v_lease, o.id, d.attempts + 1, d.lane, d.position, o.type, o.version, o.organization_id,
        o.actor_id, o.actor_type, o.request_id, o.occurred_at, o.payload
    FROM events.deliveries AS d
    INNER JOIN events.outbox AS o ON o.id = d.event_id
    WHERE d.lease_id = v_lease AND d.state = 'leased'
    ORDER BY d.position;
END;
$$;
COMMENT ON FUNCTION events.claim(text, text, integer, integer, interval) IS 'Lease up to N deliveries of a consumer, at most one lease per organization lane, each lane''s events in order.';

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
    -- Done is gone: the outbox keeps the event, the delivery has nothing left to say.
    DELETE FROM events.deliveries AS d
    WHERE d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased';
    RETURN FOUND;
END;
$$;
COMMENT ON FUNCTION events.complete(uuid, uuid) IS 'Mark a leased delivery done; false when the lease was lost (another worker owns it now).';

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
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL
    FROM events.consumers AS c
    WHERE c.id = d.consumer_id
      AND d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased'
    RETURNING d.consumer_id, d.lane, d.position, d.state INTO v_row;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The rest of this lease's run in the lane goes back, unattempted, behind the failed event.
    UPDATE events.deliveries AS d SET
        state = 'pending', available_at = util.now(), lease_id = NULL, leased_by = NULL, lease_expires_at = NULL
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
        state = 'pending', available_at = util.now(), lease_id = NULL, leased_by = NULL, lease_expires_at = NULL
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
        state = 'pending', attempts = 0, available_at = util.now(), last_error = NULL, dead_at = NULL
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

CREATE OR REPLACE FUNCTION events.consumer_status()
RETURNS TABLE (
    consumer text, enabled boolean, pending bigint, leased bigint, dead bigint, oldest_pending timestamptz
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT
        c.name, c.enabled,
        count(*) FILTER (WHERE d.state = 'pending'),
        count(*) FILTER (WHERE d.state = 'leased'),
        count(*) FILTER (WHERE d.state = 'dead'),
        min(o.occurred_at) FILTER (WHERE d.state = 'pending')
    FROM events.consumers AS c
    LEFT JOIN events.deliveries AS d ON d.consumer_id = c.id
    LEFT JOIN events.outbox AS o ON o.id = d.event_id AND d.state = 'pending'
    GROUP BY c.name, c.enabled
    ORDER BY c.name
$$;
COMMENT ON FUNCTION events.consumer_status() IS 'Per consumer: deliveries pending, leased and dead, and the oldest pending event''s time (lag).';

REVOKE EXECUTE ON FUNCTION
events.register_consumer(text, text [], integer, interval, interval, interval),
events.claim(text, text, integer, integer, interval), events.heartbeat(uuid [], interval),
events.complete(uuid, uuid), events.fail(uuid, uuid, text), events.release(uuid),
events.replay(text, timestamptz, timestamptz), events.discard_dead(text, uuid []),
events.consumer_status(), events.retry_delay(integer, interval, interval)
FROM public;
GRANT EXECUTE ON FUNCTION
events.register_consumer(text, text [], integer, interval, interval, interval),
events.claim(text, text, integer, integer, interval), events.heartbeat(uuid [], interval),
events.complete(uuid, uuid), events.fail(uuid, uuid, text), events.release(uuid),
events.replay(text, timestamptz, timestamptz), events.discard_dead(text, uuid []),
events.consumer_status()
TO restartix_system;
