-- Delivery, called by the workers on the system pool: the fan-out of an event into one message
-- per matching subscription (the `webhooks` consumer of the outbox), the claim of due messages
-- (each subscription its own lane), the record of an attempt with the retry schedule, and the
-- delivery log's monthly partitions. docs/webhooks.md states the guarantees.

CREATE OR REPLACE FUNCTION webhooks.fan_out(p_event_id uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Idempotent (a redelivered event adds nothing): one message per (event, subscription). The
-- subscriptions are those that existed when the event happened and are active when it is
-- fanned out (a new subscription receives no history). webhook.test goes only to the
-- subscription it names. Platform events (no organization) reach no clinic's webhook.
DECLARE
    v_event events.outbox;
    v_count integer;
BEGIN
    SELECT * INTO v_event FROM events.outbox AS o WHERE o.id = p_event_id;
    IF NOT FOUND OR v_event.organization_id IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO webhooks.webhook_messages (organization_id, subscription_id, event_id, event_type)
    SELECT s.organization_id, s.id, v_event.id, v_event.type
    FROM webhooks.webhook_subscriptions AS s
    WHERE s.organization_id = v_event.organization_id
      AND s.status = 'active'
      AND s.created_at <= v_event.occurred_at
      AND CASE WHEN v_event.type = 'webhook.test'
          THEN s.id = (v_event.payload ->> 'subscription_id')::uuid
          ELSE s.event_types OPERATOR(pg_catalog.&&) events.type_patterns(v_event.type) END
    ON CONFLICT (subscription_id, event_id) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 THEN
        PERFORM pg_catalog.pg_notify('restartix_events', '');
    END IF;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION webhooks.fan_out(uuid) IS 'One message per active subscription matching an event (idempotent); returns how many were added.';

CREATE OR REPLACE FUNCTION webhooks.retry_delay(p_attempt integer, p_retry_after_seconds integer DEFAULT NULL)
RETURNS interval
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
-- After attempt N fails, attempt N+1 waits: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (N = 1..7),
-- each with +-10 % jitter so the messages of one outage do not all come back at once. After
-- attempt 8 there is none (NULL). A receiver's Retry-After may postpone the next attempt but
-- never below the schedule nor past its longest step (10 h).
DECLARE
    c_schedule CONSTANT interval [] := ARRAY[
        INTERVAL '5 seconds', INTERVAL '5 minutes', INTERVAL '30 minutes', INTERVAL '2 hours',
        INTERVAL '5 hours', INTERVAL '10 hours', INTERVAL '10 hours'
    ];
    v_delay interval;
BEGIN
    IF p_attempt IS NULL OR p_attempt < 1 OR p_attempt > pg_catalog.cardinality(c_schedule) THEN
        RETURN NULL;
    END IF;
    v_delay := c_schedule[p_attempt] * (0.9 + pg_catalog.random() * 0.2);
    IF p_retry_after_seconds IS NOT NULL AND p_retry_after_seconds > 0 THEN
        v_delay := greatest(v_delay, least(pg_catalog.make_interval(secs => p_retry_after_seconds), INTERVAL '10 hours'));
    END IF;
    RETURN v_delay;
END;
$$;
COMMENT ON FUNCTION webhooks.retry_delay(integer, integer) IS 'The wait before the next attempt after attempt N failed (NULL after the 8th), with jitter and a bounded Retry-After.';

CREATE OR REPLACE FUNCTION webhooks.claim(
    p_worker text, p_limit integer DEFAULT 20, p_lease interval DEFAULT '1 minute',
    p_per_subscription integer DEFAULT 5, p_session integer DEFAULT NULL
) RETURNS TABLE (
    message_id uuid,
    subscription_id uuid,
    organization_id uuid,
    url text,
    attempt integer,
    event_id uuid,
    event_type text,
    event_version integer,
    occurred_at timestamptz,
    payload jsonb,
    secret_ids uuid [],
    secrets bytea []
)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
-- Due messages of active subscriptions, oldest due first, at most p_per_subscription of one
-- subscription per claim so that one busy subscription does not take a whole batch. A message
-- is due when pending and its time has come, or leased by a worker whose lease ran out or
-- whose session has ended (it died: its messages are free at once).
DECLARE
    v_now timestamptz := util.now();
    v_live integer [] := events.live_sessions();
    v_session integer;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
    IF p_limit NOT BETWEEN 1 AND 1000 OR p_per_subscription NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'limit and per-subscription limit must be between 1 and 1000'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_session = ANY(v_live) THEN
        v_session := p_session;
    END IF;
    RETURN QUERY
    WITH due AS (
        SELECT
            m.id,
            pg_catalog.row_number() OVER (PARTITION BY m.subscription_id ORDER BY m.next_attempt_at, m.id) AS rn
        FROM (
            -- The earliest due work only (the partial index on next_attempt_at), not every
            -- message owed: a claim costs the same with a backlog of a million.
            SELECT m.id, m.subscription_id, m.next_attempt_at
            FROM webhooks.webhook_messages AS m
            -- A disabled subscription's backlog waits without filling the window.
            INNER JOIN webhooks.webhook_subscriptions AS s ON s.id = m.subscription_id AND s.status = 'active'
            WHERE m.state IN ('pending', 'leased') AND m.next_attempt_at <= v_now
              AND (
                  m.state = 'pending'
                  OR m.lease_expires_at <= v_now
                  OR (m.lease_session IS NOT NULL AND NOT m.lease_session = ANY(v_live))
              )
            ORDER BY m.next_attempt_at
            LIMIT p_limit * 10
        ) AS m
    ),

    picked AS (
        SELECT m.id
        FROM webhooks.webhook_messages AS m
        WHERE m.id IN (SELECT d.id FROM due AS d WHERE d.rn <= p_per_subscription)
          AND (
              (m.state = 'pending' AND m.next_attempt_at <= v_now)
              OR (m.state = 'leased' AND (
                  m.lease_expires_at <= v_now
                  OR (m.lease_session IS NOT NULL AND NOT m.lease_session = ANY(v_live))
              ))
          )
        ORDER BY m.next_attempt_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ),

    leased AS (
        UPDATE webhooks.webhook_messages AS m SET
            state = 'leased', leased_by = p_worker, lease_expires_at = v_now + p_lease,
            lease_session = v_session, updated_at = v_now
        FROM picked AS p
        WHERE m.id = p.id
        RETURNING m.id, m.subscription_id, m.organization_id, m.attempts, m.event_id
    )

    SELECT
        l.id, l.subscription_id, l.organization_id, s.url, l.attempts + 1,
        o.id, o.type, o.version, o.occurred_at, o.payload,
        k.ids, k.sealed
    FROM leased AS l
    INNER JOIN webhooks.webhook_subscriptions AS s ON s.id = l.subscription_id
    INNER JOIN events.outbox AS o ON o.id = l.event_id
    CROSS JOIN LATERAL (
        SELECT
            pg_catalog.array_agg(x.id ORDER BY x.created_at DESC) AS ids,
            pg_catalog.array_agg(x.secret_encrypted ORDER BY x.created_at DESC) AS sealed
        FROM webhooks.webhook_secrets AS x
        WHERE x.subscription_id = l.subscription_id AND (x.expires_at IS NULL OR x.expires_at > v_now)
    ) AS k;
END;
$$;
COMMENT ON FUNCTION webhooks.claim(text, integer, interval, integer, integer) IS 'Lease due webhook messages for a sender, with their event, target and live sealed secrets (newest first).';

CREATE OR REPLACE FUNCTION webhooks.record_attempt(
    p_message uuid,
    p_worker text,
    p_url text,
    p_headers jsonb,
    p_status integer,
    p_body text,
    p_duration_ms integer,
    p_error_class text,
    p_error text,
    p_retry_after_seconds integer DEFAULT NULL
) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Logs the attempt, then: a 2xx delivers; 410 Gone kills the message and disables the
-- subscription at once; anything else (non-2xx, timeout, connection error, a refused address)
-- schedules the next attempt or, after the 8th, kills it. A subscription failing without a
-- success for 5 days is disabled. Returns the message's new state, NULL when the lease was
-- lost (the attempt is logged all the same: it happened).
DECLARE
    c_max_attempts CONSTANT integer := 8;
    v_now timestamptz := util.now();
    v_msg webhooks.webhook_messages;
    v_sub webhooks.webhook_subscriptions;
    v_ok boolean := p_status BETWEEN 200 AND 299 AND p_error_class IS NULL;
    v_state text;
    v_delay interval;
    v_disable text;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
    SELECT * INTO v_msg FROM webhooks.webhook_messages AS m WHERE m.id = p_message FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhooks.webhook_attempts (
        organization_id, subscription_id, message_id, event_id, attempt, url, request_headers,
        response_status, response_body, duration_ms, error_class, created_at
    ) VALUES (
        v_msg.organization_id, v_msg.subscription_id, v_msg.id, v_msg.event_id, v_msg.attempts + 1, p_url,
        coalesce(p_headers, '{}'), p_status, pg_catalog.left(p_body, 4096), greatest(coalesce(p_duration_ms, 0), 0),
        CASE WHEN v_ok THEN NULL ELSE coalesce(p_error_class, 'http_status') END, v_now
    );
    IF v_msg.state <> 'leased' OR v_msg.leased_by IS DISTINCT FROM p_worker THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_sub FROM webhooks.webhook_subscriptions AS s WHERE s.id = v_msg.subscription_id FOR UPDATE;

    IF v_ok THEN
        v_state := 'delivered';
        UPDATE webhooks.webhook_subscriptions AS s SET last_success_at = v_now, failing_since = NULL
        WHERE s.id = v_sub.id;
    ELSIF p_status = 410 THEN
        v_state := 'dead';
        v_disable := 'gone';
    ELSE
        v_delay := webhooks.retry_delay(v_msg.attempts + 1, p_retry_after_seconds);
        v_state := CASE WHEN v_delay IS NULL OR v_msg.attempts + 1 >= c_max_attempts THEN 'dead' ELSE 'pending' END;
        UPDATE webhooks.webhook_subscriptions AS s SET failing_since = coalesce(s.failing_since, v_now)
        WHERE s.id = v_sub.id;
        IF coalesce(v_sub.failing_since, v_now) <= v_now - INTERVAL '5 days' THEN
            v_disable := 'failing';
        END IF;
    END IF;

    UPDATE webhooks.webhook_messages AS m SET
        state = v_state,
        attempts = m.attempts + 1,
        next_attempt_at = CASE WHEN v_state = 'pending' THEN v_now + v_delay ELSE m.next_attempt_at END,
        delivered_at = CASE WHEN v_state = 'delivered' THEN v_now END,
        dead_at = CASE WHEN v_state = 'dead' THEN v_now END,
        last_status = p_status,
        last_error = pg_catalog.left(nullif(p_error, ''), 1000),
        lease_expires_at = NULL, leased_by = NULL, lease_session = NULL, updated_at = v_now
    WHERE m.id = v_msg.id;

    IF v_disable IS NOT NULL AND v_sub.status = 'active' THEN
        UPDATE webhooks.webhook_subscriptions AS s SET
            status = 'disabled', disabled_reason = v_disable, disabled_at = v_now
        WHERE s.id = v_sub.id;
        PERFORM events.publish_for(v_sub.organization_id, 'webhook.disabled', pg_catalog.jsonb_build_object(
            'subscription_id', v_sub.id, 'reason', v_disable
        ));
    END IF;
    RETURN v_state;
END;
$$;
COMMENT ON FUNCTION webhooks.record_attempt(uuid, text, text, jsonb, integer, text, integer, text, text, integer) IS 'Log a delivery attempt and move its message on: delivered, retried on the schedule, dead; disables a gone or long-failing subscription.';

CREATE OR REPLACE FUNCTION webhooks.release(p_worker text, p_messages uuid []) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE webhooks.webhook_messages AS m SET
        state = 'pending', lease_expires_at = NULL, leased_by = NULL, lease_session = NULL, updated_at = util.now()
    WHERE m.id = ANY(p_messages) AND m.state = 'leased' AND m.leased_by = p_worker;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION webhooks.release(text, uuid []) IS 'Give back messages a sender leased and did not attempt (graceful shutdown), due at once.';

CREATE OR REPLACE FUNCTION webhooks.ensure_partitions(
    p_ahead integer DEFAULT 3, p_from timestamptz DEFAULT NULL, p_keep interval DEFAULT '90 days'
) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The delivery log's months from this one to N ahead; months that ended more than p_keep ago
-- are dropped (their rows are past retention).
DECLARE
    v_now timestamptz := coalesce(p_from, util.now());
    v_first date := pg_catalog.date_trunc('month', v_now AT TIME ZONE 'UTC')::date;
    v_month date;
    v_name text;
    v_part record;
BEGIN
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        v_name := util.ensure_month_partition(
            'webhooks', 'webhook_attempts', v_month,
            (v_month::timestamp AT TIME ZONE 'UTC')::text,
            ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text
        );
        IF v_name IS NOT NULL THEN
            RETURN NEXT 'webhooks.' || v_name;
        END IF;
    END LOOP;
    FOR v_part IN
        SELECT c.relname
        FROM pg_catalog.pg_inherits AS i
        INNER JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'webhooks.webhook_attempts'::regclass
          AND c.relname ~ '^webhook_attempts_p[0-9]{4}_[0-9]{2}$'
          AND (pg_catalog.to_date(pg_catalog.right(c.relname, 7), 'YYYY_MM') + INTERVAL '1 month')::timestamp
              AT TIME ZONE 'UTC' < v_now - p_keep
    LOOP
        EXECUTE pg_catalog.format('DROP TABLE webhooks.%I', v_part.relname);
        RETURN NEXT 'dropped webhooks.' || v_part.relname;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION webhooks.ensure_partitions(integer, timestamptz, interval) IS 'Creates the delivery log''s monthly partitions N months ahead and drops months past retention (90 days); returns what it did.';

REVOKE EXECUTE ON FUNCTION
webhooks.fan_out(uuid), webhooks.retry_delay(integer, integer),
webhooks.claim(text, integer, interval, integer, integer),
webhooks.record_attempt(uuid, text, text, jsonb, integer, text, integer, text, text, integer),
webhooks.release(text, uuid []), webhooks.ensure_partitions(integer, timestamptz, interval)
FROM public;
GRANT EXECUTE ON FUNCTION
webhooks.fan_out(uuid), webhooks.claim(text, integer, interval, integer, integer),
webhooks.record_attempt(uuid, text, text, jsonb, integer, text, integer, text, text, integer),
webhooks.release(text, uuid []), webhooks.ensure_partitions(integer, timestamptz, interval)
TO restartix_system;

SELECT webhooks.ensure_partitions(1);
