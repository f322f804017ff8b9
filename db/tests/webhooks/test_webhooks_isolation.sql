-- Cross-organization isolation for every webhooks table: another organization's manager sees
-- nothing of A's subscriptions, secrets, messages and attempts and can change nothing; roles
-- without webhooks.manage see nothing; the request pool writes nothing directly and never
-- reads a secret; the Free plan gets 402-class errors.
BEGIN;
SELECT plan(29);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_org('clinic-free') AS org_free \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('owner-f@f.test') AS owner_f \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_free', :'owner_f', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.change_tier(:'org_a', 'pro');
SELECT billing.change_tier(:'org_b', 'pro');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT webhooks.create_subscription(
    gen_random_uuid(), 'https://hooks.example.com/a', ARRAY['patient.*'], 'A''s endpoint',
    gen_random_uuid(), '\x00112233445566778899aabbccddeeff'::bytea
) AS sub_a \gset
SELECT is((SELECT count(*)::int FROM webhooks.webhook_subscriptions), 1, 'A''s owner sees A''s subscription');
-- Pro allows 10 subscriptions (webhooks.max): nine more fit, the eleventh does not.
SELECT count(webhooks.create_subscription(
    gen_random_uuid(), 'https://hooks.example.com/n' || n, ARRAY['nothing.here'], NULL,
    gen_random_uuid(), '\x00112233445566778899aabbccddeeff'::bytea
)) AS made FROM generate_series(2, 10) AS n \gset
SELECT throws_ok(
    $$SELECT webhooks.create_subscription(gen_random_uuid(), 'https://hooks.example.com/11', '{*}', NULL, gen_random_uuid(), '\x00112233445566778899aabbccddeeff')$$,
    'P0001', 'limit_exceeded', 'the eleventh subscription passes Pro''s webhooks.max of 10'
);
SELECT people.create_patient('Ana', 'Pop') IS NOT NULL AS made \gset
SELECT throws_ok('SELECT 1 FROM webhooks.webhook_secrets', '42501', NULL, 'the request pool cannot read secrets at all');

-- The worker side: fan the patient event out and record one failed attempt.
SELECT tests.authenticate_as_system();
SELECT id AS event_a FROM events.outbox WHERE organization_id = :'org_a' AND type = 'patient.created' \gset
SET LOCAL ROLE restartix_system;
SELECT is(webhooks.fan_out(:'event_a'), 1, 'the patient event becomes one message for A''s subscription');
SELECT is(webhooks.fan_out(:'event_a'), 0, 'fanning the same event out again adds nothing');
SELECT message_id AS msg_a FROM webhooks.claim('test-worker') \gset
SELECT is(
    webhooks.record_attempt(:'msg_a', 'test-worker', 'https://hooks.example.com/a', '{}', 500, 'oops', 12, 'http_status', 'HTTP 500'),
    'pending', 'a 500 schedules a retry'
);
RESET ROLE;

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is((SELECT count(*)::int FROM webhooks.webhook_messages), 1, 'A''s owner sees A''s message');
SELECT is((SELECT count(*)::int FROM webhooks.webhook_attempts), 1, 'A''s owner sees A''s attempt');

SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_subscriptions', 'a receptionist (no webhooks.manage) sees no subscription');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_attempts', 'a receptionist sees no attempt');
SELECT throws_ok(
    format($$SELECT webhooks.delete_subscription(%L)$$, :'sub_a'),
    '42501', 'permission_denied', 'a receptionist cannot delete a subscription'
);

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_subscriptions', 'B sees no subscription of A');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_messages', 'B sees no message of A');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_attempts', 'B sees no attempt of A');
SELECT throws_ok(
    format($$SELECT webhooks.update_subscription(%L, '{"url": "https://evil.example.com/"}')$$, :'sub_a'),
    'P0001', 'webhook_not_found', 'B cannot change A''s subscription'
);
SELECT throws_ok(format($$SELECT webhooks.delete_subscription(%L)$$, :'sub_a'),
    'P0001', 'webhook_not_found', 'B cannot delete A''s subscription');
SELECT throws_ok(format($$SELECT webhooks.rotate_secret(%L, gen_random_uuid(), '\x00112233445566778899aabbccddeeff')$$, :'sub_a'),
    'P0001', 'webhook_not_found', 'B cannot rotate A''s secret');
SELECT throws_ok(format($$SELECT webhooks.send_test(%L)$$, :'sub_a'),
    'P0001', 'webhook_not_found', 'B cannot test A''s subscription');
SELECT throws_ok(format($$SELECT webhooks.replay_message(%L, %L)$$, :'sub_a', :'msg_a'),
    'P0001', 'webhook_not_found', 'B cannot replay A''s message');
SELECT throws_ok(format($$SELECT webhooks.replay_since(%L, now() - interval '1 day')$$, :'sub_a'),
    'P0001', 'webhook_not_found', 'B cannot replay A''s failures');
SELECT throws_ok(
    format($$INSERT INTO webhooks.webhook_subscriptions (organization_id, url, event_types) VALUES (%L, 'https://x.example.com/', '{*}')$$, :'org_a'),
    '42501', NULL, 'no direct insert into subscriptions'
);
SELECT throws_ok(format($$UPDATE webhooks.webhook_subscriptions SET url = 'https://evil.example.com/' WHERE id = %L$$, :'sub_a'),
    '42501', NULL, 'no direct update of subscriptions');
SELECT throws_ok(format($$UPDATE webhooks.webhook_messages SET state = 'dead' WHERE id = %L$$, :'msg_a'),
    '42501', NULL, 'no direct update of messages');
SELECT throws_ok(format($$DELETE FROM webhooks.webhook_attempts WHERE message_id = %L$$, :'msg_a'),
    '42501', NULL, 'no direct delete from the delivery log');

-- B's own webhook never receives A's events.
SELECT webhooks.create_subscription(
    gen_random_uuid(), 'https://hooks.example.com/b', ARRAY['*'], NULL,
    gen_random_uuid(), '\x00112233445566778899aabbccddeeff'::bytea
) AS sub_b \gset
SELECT tests.authenticate_as_system();
SET LOCAL ROLE restartix_system;
SELECT is(webhooks.fan_out(:'event_a'), 0, 'A''s event is owed to no subscription of B');
RESET ROLE;

-- The Free plan has no webhooks; platform roles manage none.
SELECT tests.authenticate_as(:'owner_f', :'org_free');
SELECT throws_ok(
    $$SELECT webhooks.create_subscription(gen_random_uuid(), 'https://hooks.example.com/f', '{*}', NULL, gen_random_uuid(), '\x00112233445566778899aabbccddeeff')$$,
    'P0001', 'tier_entitlement_unavailable', 'the Free plan cannot create a webhook'
);
SELECT tests.authenticate_as(:'root', :'org_a');
SELECT is_empty('SELECT 1 FROM webhooks.webhook_subscriptions', 'a platform admin reads no clinic webhook');
SELECT throws_ok(format($$SELECT webhooks.delete_subscription(%L)$$, :'sub_a'),
    '42501', 'permission_denied', 'a platform admin cannot delete a clinic webhook');

-- The backfill: every snapshot has the entitlement and the limit.
RESET ROLE;
SELECT tests.clear_authentication();
SELECT is_empty(
    $$SELECT 1 FROM billing.organization_subscriptions AS s
      WHERE NOT EXISTS (SELECT 1 FROM billing.organization_subscription_limits AS l
                        WHERE l.subscription_id = s.id AND l.limit_code = 'webhooks.max')
        AND EXISTS (SELECT 1 FROM billing.organization_subscription_limits AS l2 WHERE l2.subscription_id = s.id)$$,
    'every subscription snapshot with limits has webhooks.max'
);

SELECT * FROM finish();
ROLLBACK;
