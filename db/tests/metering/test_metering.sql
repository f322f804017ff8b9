-- Metering: a usage report counts once per idempotency key, rollups follow in the same
-- transaction, per-month quotas are enforced through billing.enforce_limit exactly at the
-- limit, late and bad reports are handled, and each clinic's usage is its own.
BEGIN;
SELECT plan(44);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
-- Clinic A may send 5 text messages this month.
SELECT billing.grant_override(:'org_a', NULL, 'sms.sent', NULL, 5, 'test quota') IS NOT NULL AS granted \gset

SELECT ok(
    (SELECT count(*) >= 3 FROM pg_inherits WHERE inhparent = 'metering.usage_events'::regclass),
    'usage events have monthly partitions (previous, current, next)'
);
SELECT is_empty(
    $$SELECT metering.ensure_partitions(1, now() - interval '1 month')$$,
    'rolling the partitions again creates nothing'
);
SELECT results_eq(
    $$SELECT code, limit_code FROM metering.meters ORDER BY code$$,
    $$VALUES ('emails_sent', 'emails.sent'), ('sms_sent', 'sms.sent'), ('storage_bytes', NULL),
             ('video_minutes', 'video.minutes')$$,
    'each quota has its meter; storage bytes are reported, not limited'
);

-- The system pool reports for clinic A.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT now() AS t0 \gset
SELECT event_id AS e1 FROM metering.record_usage('sms_sent', 2, :'t0', 'sms-1') \gset
SELECT results_eq(
    format($$SELECT event_id, duplicate, period_quantity FROM metering.record_usage('sms_sent', 2, %L, 'sms-1')$$, :'t0'),
    format($$VALUES (%L::uuid, true, 2::bigint)$$, :'e1'),
    'a retried report is a duplicate of the first and counts once'
);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('sms_sent', 3, %L, 'sms-1')$$, :'t0'),
    'P0001', 'idempotency_key_reused', 'the same key for different usage is refused'
);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('sms_sent', 2, %L, 'sms-1')$$, now() - interval '1 minute'),
    'P0001', 'idempotency_key_reused', 'the same key at another time is refused'
);
SELECT results_eq(
    format($$SELECT duplicate, period_quantity FROM metering.record_usage('sms_sent', 3, %L, 'sms-2')$$, :'t0'),
    $$VALUES (false, 5::bigint)$$,
    'a report up to the limit passes (5 of 5)'
);
SELECT tests.clear_authentication();
SELECT is(billing.limit_usage(:'org_a', 'sms.sent'), 5::bigint, 'limit_usage reads this month''s rollup');
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('sms_sent', 1, %L, 'sms-3')$$, :'t0'),
    'P0001', 'limit_exceeded', 'one more unit is over the quota'
);
SELECT results_eq(
    format($$SELECT duplicate FROM metering.record_usage('sms_sent', 3, %L, 'sms-2')$$, :'t0'),
    $$VALUES (true)$$,
    'a retry of an accepted report is still a duplicate, not over the quota'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT count(*)::int, sum(quantity)::int FROM metering.usage_events WHERE organization_id = %L$$, :'org_a'),
    $$VALUES (2, 5)$$,
    'two events were stored, one per key, none for the refused report'
);
SELECT results_eq(
    format($$SELECT quantity, event_count FROM metering.usage_rollups
             WHERE organization_id = %L AND meter = 'sms_sent' AND period_start = metering.period_start(now())$$, :'org_a'),
    $$VALUES (5::bigint, 2::bigint)$$,
    'the rollup matches the events'
);
SELECT is(
    (SELECT tableoid::regclass::text FROM metering.usage_events WHERE id = :'e1'),
    'metering.usage_events_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM'),
    'the event is stored in its month''s partition'
);

-- A late report for last month counts there, without this month's quota.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month' + interval '1 day') AT TIME ZONE 'UTC'
    AS last_month \gset
SELECT results_eq(
    format($$SELECT duplicate, period_start, period_quantity FROM metering.record_usage('sms_sent', 7, %L, 'sms-late')$$,
           :'last_month'),
    $$VALUES (false, (metering.period_start(now()) - interval '1 month')::date, 7::bigint)$$,
    'a late report goes to last month''s rollup, past this month''s quota'
);
SELECT tests.clear_authentication();
SELECT is(billing.limit_usage(:'org_a', 'sms.sent'), 5::bigint, 'this month''s usage did not move');
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('sms_sent', 1, %L, 'sms-old')$$, now() - interval '3 months'),
    'P0001', 'usage_out_of_window', 'reports older than last month are refused'
);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('sms_sent', 1, %L, 'sms-future')$$, now() + interval '1 hour'),
    'P0001', 'usage_out_of_window', 'reports from the future are refused'
);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('fax_pages', 1, now(), 'f-1')$$,
    'P0001', 'meter_unknown', 'an unknown meter is refused'
);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 0, now(), 'e-0')$$,
    'P0001', 'usage_quantity_invalid', 'a quantity below one is refused'
);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', -4, now(), 'e-neg')$$,
    'P0001', 'usage_quantity_invalid', 'a negative quantity is refused'
);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 1, now(), '')$$,
    'P0001', 'idempotency_key_invalid', 'an empty idempotency key is refused'
);
SELECT throws_ok(
    format($$SELECT * FROM metering.record_usage('emails_sent', 1, now(), %L)$$, repeat('k', 201)),
    'P0001', 'idempotency_key_invalid', 'an oversize idempotency key is refused'
);
SELECT results_eq(
    $$SELECT period_quantity FROM metering.record_usage('storage_bytes', 1000000000, now(), 'upload-1')$$,
    $$VALUES (1000000000::bigint)$$,
    'a meter without a limit records without a quota check'
);
SELECT results_eq(
    $$SELECT period_quantity FROM metering.record_usage('emails_sent', 499, now(), 'mail-1')$$,
    $$VALUES (499::bigint)$$,
    'emails within the Free tier''s 500 are recorded'
);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('video_minutes', 1, now(), 'call-1')$$,
    'P0001', 'limit_exceeded', 'the Free tier has no video minutes'
);
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$SELECT billing.limit_usage(%L, 'bookings.monthly')$$, :'org_a'),
    'P0001', 'limit_not_measured', 'a per-month limit no meter counts is not measured'
);
SELECT is(
    billing.limit_usage(:'org_a', 'patients.max'), 0::bigint,
    'a standing limit is measured from its own data only (patients, not a meter)'
);
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', '', TRUE);
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 1, now(), 'no-org')$$,
    'P0001', 'organization_not_found', 'usage needs an organization in scope'
);

-- The request pool reports no usage at all (issue 14, finding 8): the trusted side does.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 1, now(), 'mail-member')$$,
    '42501', NULL, 'a member cannot report usage directly'
);
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT lives_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 1, now(), 'mail-member')$$,
    'the system pool records usage for the organization it acts for (the 500th email)'
);
SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT throws_ok(
    $$SELECT * FROM metering.record_usage('emails_sent', 1, now(), 'mail-b')$$,
    '42501', NULL, 'a member of clinic B cannot report usage for clinic A'
);
SELECT throws_ok(
    $$INSERT INTO metering.usage_rollups (organization_id, meter, period_start, quantity)
      VALUES (iam.current_org_id(), 'sms_sent', metering.period_start(now()), 0)$$,
    '42501', NULL, 'nobody writes a rollup directly'
);

-- Who reads usage.
SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is(
    (SELECT count(*)::int FROM metering.usage_events), 6, 'a usage reader of clinic A reads its events'
);
SELECT is(
    (SELECT quantity FROM metering.usage_rollups WHERE meter = 'emails_sent' AND period_start = metering.period_start(now())),
    500::bigint, 'and its rollups'
);
SELECT throws_ok('SELECT 1 FROM metering.usage_event_keys', '42501', NULL, 'nobody reads the idempotency keys');
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT is_empty('SELECT 1 FROM metering.usage_rollups', 'a receptionist (no usage.read) reads no usage');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty(
    format($$SELECT 1 FROM metering.usage_events WHERE organization_id = %L$$, :'org_a'),
    'clinic B reads none of clinic A''s events'
);
SELECT is_empty(
    format($$SELECT 1 FROM metering.usage_rollups WHERE organization_id = %L$$, :'org_a'),
    'clinic B reads none of clinic A''s rollups'
);
SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM metering.usage_rollups', 'clinic B claiming clinic A reads nothing');
SELECT tests.authenticate_as(NULL, NULL);
SELECT is_empty('SELECT 1 FROM metering.usage_events', 'no principal reads nothing');

-- Keys are per organization: clinic B may use the key clinic A used.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_b', TRUE);
SELECT results_eq(
    $$SELECT duplicate FROM metering.record_usage('emails_sent', 1, now(), 'mail-1')$$,
    $$VALUES (false)$$,
    'the same key in another organization is another report'
);

-- Partitions and retirement, as the owner.
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$SELECT metering.retire_month(%L)$$, (now() - interval '1 month')::date),
    '22023', NULL, 'last month still takes late reports and is not retired'
);
SELECT throws_ok(
    $$INSERT INTO metering.usage_events (organization_id, meter, quantity, occurred_at, idempotency_key, recorded_by)
      VALUES (gen_random_uuid(), 'sms_sent', 1, now() + interval '2 years', 'x', gen_random_uuid())$$,
    '23514', NULL, 'a month without a partition fails loudly'
);
SELECT results_eq(
    $$SELECT m.code FROM metering.meters AS m
      INNER JOIN billing.limit_definitions AS d ON d.code = m.limit_code WHERE d.period IS DISTINCT FROM 'month'$$,
    $$SELECT NULL::text WHERE false$$,
    'every limited meter counts against a per-month limit'
);

SELECT * FROM finish();
ROLLBACK;
