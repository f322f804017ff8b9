-- Plans and enrollments: versions are immutable and enrollments keep theirs; consume_session
-- never goes below zero, is idempotent per appointment and refuses revoked, exhausted,
-- expired and not-started enrollments; expiry is derived from the clock, never stored;
-- money of two currencies has no sum; the tier limits count live rows.
BEGIN;
SELECT plan(45);

SELECT date_trunc('hour', now()) AS t0 \gset
SELECT tests.freeze_time(:'t0');
SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "currency": "RON", "translations": {"en": {"name": "Physiotherapy"}}}') AS service_a \gset
SELECT catalog.create_plan('session_pack', format(
    '{"name": "Three sessions", "price_amount": 30000, "currency": "RON", "sessions_total": 3, "validity_days": 30, "service_ids": ["%s"]}',
    :'service_a')::jsonb) AS pack \gset
SELECT people.create_patient('Ana', 'Pop') AS patient \gset

-- Translations follow the convention, checked by the table.
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "RON", "translations": {"fr": {"name": "X"}}}')$$,
    '23514', NULL, 'a translation into a locale the platform does not have is refused');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "RON", "translations": {"en": {"price": "X"}}}')$$,
    '23514', NULL, 'a translation of a field that is not translatable is refused');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "RON", "translations": {"en": {"name": 5}}}')$$,
    '23514', NULL, 'a translation that is not text is refused');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "RON", "translations": {"en": {"name": ""}}}')$$,
    '23514', NULL, 'an empty translation is refused');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "ron"}')$$,
    '23514', NULL, 'a currency that is not an ISO 4217 code is refused');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "X", "duration_minutes": 5, "currency": "RON", "price_amount": 10.5}')$$,
    '22P02', NULL, 'a fractional amount is refused (money is integer minor units)');

-- Plan types carry their own terms.
SELECT throws_ok($$SELECT catalog.create_plan('session_pack', '{"name": "No count", "price_amount": 1, "currency": "RON", "validity_days": 3}')$$,
    '23514', NULL, 'a session pack without a number of sessions is refused');
SELECT throws_ok($$SELECT catalog.create_plan('membership', '{"name": "M", "price_amount": 1, "currency": "RON", "validity_days": 3}')$$,
    '23514', NULL, 'a membership without a period is refused');
SELECT lives_ok($$SELECT catalog.create_plan('telerehab_program', '{"name": "Home", "price_amount": 9900, "currency": "RON", "validity_days": 60, "telerehab_access": true, "treatment_plan_assignments_total": 2}')$$,
    'a telerehab programme grants access and assignments over a validity');

-- Money: the products a plan bundles are priced in the plan's currency.
SELECT catalog.save_product(NULL, '{"name": "Band", "sku": "B-1", "price_amount": 500, "currency": "EUR"}') AS product_eur \gset
SELECT throws_ok(format($$SELECT catalog.create_plan('session_pack', '{"name": "Mixed", "price_amount": 1, "currency": "RON", "sessions_total": 1, "validity_days": 1, "products": [{"product_id": "%s"}]}')$$, :'product_eur'),
    'P0001', 'currency_mismatch', 'a plan in RON cannot bundle a product priced in EUR');
SELECT throws_ok($$SELECT catalog.sum_money(m) FROM (VALUES (row(1, 'RON')::catalog.money), (row(2, 'EUR')::catalog.money)) AS v (m)$$,
    'P0001', 'currency_mismatch', 'a mixed-currency sum is an error, not a number');
SELECT is((SELECT catalog.sum_money(m) FROM (VALUES (row(1, 'RON')::catalog.money), (row(2, 'RON')::catalog.money)) AS v (m)),
    row(3::bigint, 'RON')::catalog.money, 'amounts of one currency add up');

-- Enroll, then a new version: the enrollment keeps what it bought.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT catalog.enroll_patient(:'patient', :'pack') AS enrollment \gset
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.publish_plan_version(:'pack', '{"name": "Five sessions", "price_amount": 45000, "currency": "RON", "sessions_total": 5, "validity_days": 30}') AS v2 \gset
SELECT is((SELECT current_version FROM catalog.service_plans WHERE id = :'pack'), 2, 'the plan''s current version is the new one');
SELECT is((SELECT sessions_total FROM catalog.patient_service_plans WHERE id = :'enrollment'), 3, 'the enrollment keeps its version''s 3 sessions');
SELECT is((SELECT v.version FROM catalog.patient_service_plans AS e INNER JOIN catalog.service_plan_versions AS v ON e.service_plan_version_id = v.id WHERE e.id = :'enrollment'),
    1, 'the enrollment names version 1');
SELECT is((SELECT count(*)::int FROM catalog.service_plan_services WHERE service_plan_version_id = :'v2'), 0, 'version 2 lists its own services (none)');
SELECT is((SELECT period_end FROM catalog.patient_service_plans WHERE id = :'enrollment'), (:'t0'::timestamptz + interval '30 days'), 'a pack runs validity_days from its start');
RESET ROLE;
SELECT throws_ok(format($$UPDATE catalog.service_plan_versions SET price_amount = 1 WHERE id = %L$$, :'v2'),
    'P0001', 'plan_version_immutable', 'even the owner cannot edit a published version');
SELECT tests.authenticate_as(:'desk_a', :'org_a');

-- consume_session.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '1 day');
SELECT is((SELECT sessions_remaining FROM catalog.consume_session(:'enrollment', '00000000-0000-4000-8000-000000000001')), 2, 'a session is used: 2 left');
SELECT is((SELECT replayed FROM catalog.consume_session(:'enrollment', '00000000-0000-4000-8000-000000000001')), TRUE, 'the same appointment again is a replay');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 1, 'a replay uses nothing');
SELECT is((SELECT count(*)::int FROM catalog.plan_consumptions WHERE patient_service_plan_id = :'enrollment'), 1, 'a replay writes no ledger row');
SELECT is((SELECT sessions_remaining FROM catalog.consume_session(:'enrollment', '00000000-0000-4000-8000-000000000002')), 1, 'a second appointment: 1 left');
SELECT is((SELECT status FROM catalog.consume_session(:'enrollment', '00000000-0000-4000-8000-000000000003')), 'exhausted', 'the last session exhausts the enrollment');
SELECT throws_ok(format($$SELECT * FROM catalog.consume_session(%L, '00000000-0000-4000-8000-000000000004')$$, :'enrollment'),
    'P0001', 'plan_exhausted', 'an exhausted enrollment gives no more sessions');
SELECT is((SELECT sessions_used FROM catalog.patient_service_plans WHERE id = :'enrollment'), 3, 'sessions used never pass the total');
SELECT is((SELECT replayed FROM catalog.consume_session(:'enrollment', '00000000-0000-4000-8000-000000000003')), TRUE,
    'replaying the last appointment still answers, exhausted or not');

-- Events: one consumed per new session, one exhausted.
RESET ROLE;
SELECT is((SELECT count(*)::int FROM events.outbox WHERE organization_id = :'org_a' AND type = 'patient_plan.consumed'), 3, 'three consumed events');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE organization_id = :'org_a' AND type = 'patient_plan.exhausted'), 1, 'one exhausted event');
SELECT tests.authenticate_as(:'desk_a', :'org_a');

-- One appointment uses one session, whatever the enrollment.
SELECT catalog.enroll_patient(:'patient', :'pack') AS second \gset
SELECT throws_ok(format($$SELECT * FROM catalog.consume_session(%L, '00000000-0000-4000-8000-000000000001')$$, :'second'),
    'P0001', 'appointment_already_consumed', 'an appointment already counted elsewhere is refused');
SELECT is((SELECT sessions_total FROM catalog.patient_service_plans WHERE id = :'second'), 5, 'a new enrollment buys the current version (5 sessions)');

-- Expiry is derived from the clock: nothing is written when the period ends.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '40 days');
SELECT is((SELECT status FROM catalog.patient_service_plans WHERE id = :'second'), 'active', 'the stored status stays active');
SELECT is((SELECT catalog.enrollment_state(status, period_start, period_end) FROM catalog.patient_service_plans WHERE id = :'second'),
    'expired', 'the derived state is expired once the period is over');
SELECT throws_ok(format($$SELECT * FROM catalog.consume_session(%L, gen_random_uuid())$$, :'second'),
    'P0001', 'plan_expired', 'an expired enrollment gives no session');
SELECT tests.freeze_time(:'t0'::timestamptz + interval '4 days');
SELECT is((SELECT catalog.enrollment_state(status, period_start, period_end) FROM catalog.patient_service_plans WHERE id = :'second'),
    'active', 'moving the clock back makes it active again: nothing was stored');

-- Revoke: a manager's decision; a revoked enrollment gives nothing.
SELECT throws_ok(format($$SELECT catalog.revoke_enrollment(%L, 'refund')$$, :'second'),
    '42501', NULL, 'the front desk cannot revoke (catalog.manage)');
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT lives_ok(format($$SELECT catalog.revoke_enrollment(%L, 'refund')$$, :'second'), 'the owner revokes');
SELECT throws_ok(format($$SELECT * FROM catalog.consume_session(%L, gen_random_uuid())$$, :'second'),
    'P0001', 'plan_revoked', 'a revoked enrollment gives no session');

-- An uncapped membership: sessions are recorded, none is ever 'remaining', it never exhausts.
SELECT catalog.create_plan('membership', '{"name": "Open gym", "price_amount": 5000, "currency": "RON", "period": "month"}') AS gym \gset
SELECT catalog.enroll_patient(:'patient', :'gym') AS gym_enrollment \gset
SELECT is((SELECT sessions_remaining FROM catalog.consume_session(:'gym_enrollment', gen_random_uuid())), NULL::integer,
    'an uncapped membership has no sessions remaining to count');
SELECT is((SELECT status FROM catalog.consume_session(:'gym_enrollment', gen_random_uuid())), 'active',
    'an uncapped membership stays active');
SELECT ok((SELECT period_end = period_start + interval '1 month' FROM catalog.patient_service_plans WHERE id = :'gym_enrollment'),
    'a membership runs one period');

-- Limits: services.max and service_plans.max count live rows.
SELECT is(billing.limit_usage(:'org_a', 'services.max'), 1::bigint, 'services.max counts the live service');
SELECT is(billing.limit_usage(:'org_a', 'service_plans.max'), 3::bigint, 'service_plans.max counts live plans, not versions');
SELECT catalog.delete_service(:'service_a');
SELECT is(billing.limit_usage(:'org_a', 'services.max'), 0::bigint, 'a deleted service stops counting');
SELECT is((SELECT l.value FROM billing.effective_limit(:'org_a', 'service_plans.max') AS l), 3::bigint,
    'a new organization''s free snapshot carries service_plans.max');

SELECT * FROM finish();
ROLLBACK;
