-- The retry schedule on the frozen clock: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (+-10 %),
-- dead after the 8th attempt; Retry-After within bounds; 410 Gone disables at once; 5 days of
-- failure disable and publish webhook.disabled; a success clears the streak; the log's
-- months past 90 days are dropped.
BEGIN;
SELECT plan(23);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.change_tier(:'org_a', 'pro');
SELECT tests.freeze_time(date_trunc('hour', now()));
SELECT date_trunc('hour', now()) AS t0 \gset

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT webhooks.create_subscription(gen_random_uuid(), 'https://hooks.example.com/a', ARRAY['webhook.test'], NULL,
    gen_random_uuid(), '\x00112233445566778899aabbccddeeff'::bytea) AS sub_a \gset
SELECT webhooks.create_subscription(gen_random_uuid(), 'https://hooks.example.com/b', ARRAY['webhook.test'], NULL,
    gen_random_uuid(), '\x00112233445566778899aabbccddeeff'::bytea) AS sub_b \gset
SELECT webhooks.send_test(:'sub_a') AS ev1 \gset
SELECT tests.authenticate_as_system();
SELECT is(webhooks.fan_out(:'ev1'), 1, 'a test event goes to the subscription it names only');
SELECT id AS msg FROM webhooks.webhook_messages WHERE event_id = :'ev1' \gset

-- Fail attempt after attempt, each at the moment it is due.
CREATE TEMP TABLE waits (attempt int, wait interval);
DO $$
DECLARE
    v_msg uuid := (SELECT id FROM webhooks.webhook_messages LIMIT 1);
    v_due timestamptz;
    v_state text;
BEGIN
    FOR i IN 1..8 LOOP
        SELECT next_attempt_at INTO v_due FROM webhooks.webhook_messages WHERE id = v_msg;
        PERFORM tests.freeze_time(v_due);
        PERFORM 1 FROM webhooks.claim('w1') WHERE message_id = v_msg;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'attempt % was not claimable when due', i;
        END IF;
        v_state := webhooks.record_attempt(v_msg, 'w1', 'https://hooks.example.com/a', '{}', 503, NULL, 5, 'http_status', 'HTTP 503');
        INSERT INTO waits SELECT i, CASE WHEN v_state = 'pending' THEN next_attempt_at - v_due END
        FROM webhooks.webhook_messages WHERE id = v_msg;
    END LOOP;
END;
$$;
SELECT ok((SELECT wait BETWEEN interval '4.5 seconds' AND interval '5.5 seconds' FROM waits WHERE attempt = 1), 'after attempt 1: about 5 s');
SELECT ok((SELECT wait BETWEEN interval '270 seconds' AND interval '330 seconds' FROM waits WHERE attempt = 2), 'after attempt 2: about 5 min');
SELECT ok((SELECT wait BETWEEN interval '27 minutes' AND interval '33 minutes' FROM waits WHERE attempt = 3), 'after attempt 3: about 30 min');
SELECT ok((SELECT wait BETWEEN interval '108 minutes' AND interval '132 minutes' FROM waits WHERE attempt = 4), 'after attempt 4: about 2 h');
SELECT ok((SELECT wait BETWEEN interval '270 minutes' AND interval '330 minutes' FROM waits WHERE attempt = 5), 'after attempt 5: about 5 h');
SELECT ok((SELECT wait BETWEEN interval '9 hours' AND interval '11 hours' FROM waits WHERE attempt = 6), 'after attempt 6: about 10 h');
SELECT ok((SELECT wait BETWEEN interval '9 hours' AND interval '11 hours' FROM waits WHERE attempt = 7), 'after attempt 7: about 10 h');
SELECT is((SELECT state FROM webhooks.webhook_messages WHERE id = :'msg'), 'dead', 'after attempt 8 the message is dead');
SELECT is((SELECT count(*)::int FROM webhooks.webhook_attempts WHERE message_id = :'msg'), 8, 'eight attempts are logged');
SELECT is((SELECT status FROM webhooks.webhook_subscriptions WHERE id = :'sub_a'), 'active', 'about 27 hours of failure does not disable yet');

-- Not due before its time.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '3 days');
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT webhooks.send_test(:'sub_a') AS ev2 \gset
SELECT tests.authenticate_as_system();
SELECT webhooks.fan_out(:'ev2');
SELECT id AS msg2 FROM webhooks.webhook_messages WHERE event_id = :'ev2' \gset
SELECT is((SELECT count(*)::int FROM webhooks.claim('w1') WHERE message_id = :'msg2'), 1, 'a new message is claimed at once');
SELECT is(webhooks.record_attempt(:'msg2', 'w1', 'u', '{}', 429, NULL, 5, 'http_status', 'HTTP 429', 3600), 'pending', 'a 429 is retried');
SELECT ok((SELECT next_attempt_at - util.now() BETWEEN interval '1 hour' AND interval '1 hour 1 second' FROM webhooks.webhook_messages WHERE id = :'msg2'),
    'Retry-After: 3600 postpones the 5 s step to one hour');
SELECT tests.freeze_time(:'t0'::timestamptz + interval '3 days 30 minutes');
SELECT is((SELECT count(*)::int FROM webhooks.claim('w1') WHERE message_id = :'msg2'), 0, 'nothing is claimed before it is due');

-- Five days without a success disable the subscription.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '5 days 1 minute');
SELECT is((SELECT count(*)::int FROM webhooks.claim('w1') WHERE message_id = :'msg2'), 1, 'due again');
SELECT is(webhooks.record_attempt(:'msg2', 'w1', 'u', '{}', NULL, NULL, 15000, 'timeout', 'timed out'), 'pending', 'a timeout is retried');
SELECT is((SELECT status || '/' || disabled_reason FROM webhooks.webhook_subscriptions WHERE id = :'sub_a'), 'disabled/failing',
    'five days of failure disable the subscription');
SELECT is((SELECT payload ->> 'reason' FROM events.outbox WHERE type = 'webhook.disabled' AND organization_id = :'org_a'), 'failing',
    'and publish webhook.disabled');

-- 410 Gone disables at once.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT webhooks.send_test(:'sub_b') AS ev3 \gset
SELECT tests.authenticate_as_system();
SELECT webhooks.fan_out(:'ev3');
SELECT id AS msg3 FROM webhooks.webhook_messages WHERE event_id = :'ev3' \gset
SELECT is((SELECT count(*)::int FROM webhooks.claim('w2') WHERE message_id = :'msg3'), 1, 'B''s message is claimed');
SELECT is(webhooks.record_attempt(:'msg3', 'w2', 'u', '{}', 410, NULL, 5, 'http_status', 'HTTP 410'), 'dead', '410 Gone kills the message');
SELECT is((SELECT status || '/' || disabled_reason FROM webhooks.webhook_subscriptions WHERE id = :'sub_b'), 'disabled/gone',
    '410 Gone disables the subscription at once');

-- Retention: a month that ended over 90 days ago is dropped.
SELECT tests.clear_authentication();
SET LOCAL ROLE restartix_owner;
SELECT util.ensure_month_partition('webhooks', 'webhook_attempts', '2020-01-01', '2020-01-01 00:00+00', '2020-02-01 00:00+00');
SELECT ok('dropped webhooks.webhook_attempts_p2020_01' IN (SELECT webhooks.ensure_partitions(1)), 'old months of the log are dropped');

SELECT * FROM finish();
ROLLBACK;
