-- The provisioning hook (docs/catalog.md, "Tier inclusions and provisioning"): each row of
-- the transition table is a test here. Subscribe provisions, end and downgrade revoke what the
-- tier granted and never what the patient bought, rollover grants the next period, and running
-- any of it twice changes nothing.
BEGIN;
SELECT plan(26);

SELECT '2026-03-10 09:00+00'::timestamptz AS t0 \gset
-- The clock moves five months: the audit and outbox months must exist.
SELECT count(*) >= 0 AS made FROM audit.ensure_partitions(6, :'t0') \gset
SELECT count(*) >= 0 AS made FROM events.ensure_partitions(6, :'t0') \gset
SELECT tests.freeze_time(:'t0');
SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner_a', :'org_a');

SELECT catalog.create_plan('session_pack', '{"name": "Pack", "price_amount": 30000, "currency": "RON", "sessions_total": 3, "validity_days": 30}') AS pack \gset
SELECT catalog.create_plan('membership', '{"name": "Gym", "price_amount": 5000, "currency": "RON", "period": "month", "sessions_per_period": 4}') AS gym \gset
SELECT billing.save_patient_tier(NULL, 'gold', 'Gold', '', '{}', '{}') AS gold \gset
SELECT billing.save_patient_tier(NULL, 'silver', 'Silver', '', '{}', '{}') AS silver \gset
SELECT catalog.set_tier_inclusions(:'gold', format('[{"service_plan_id": "%s", "quantity": 2}, {"service_plan_id": "%s"}]', :'pack', :'gym')::jsonb) AS gold_v \gset
SELECT catalog.set_tier_inclusions(:'silver', format('[{"service_plan_id": "%s"}]', :'gym')::jsonb) AS silver_v \gset
SELECT is(:'gold_v'::int, 2, 'setting inclusions publishes a new tier version');
-- Editing the tier's perks publishes a version that keeps its inclusions.
SELECT billing.save_patient_tier(:'gold', NULL, NULL, NULL, '{}', NULL) IS NOT NULL AS saved \gset
SELECT is((SELECT count(*)::int FROM catalog.patient_tier_inclusions AS i
    INNER JOIN billing.patient_tier_versions AS v ON i.patient_tier_version_id = v.id
    WHERE v.patient_tier_id = :'gold' AND v.version = 3), 2, 'a perk edit carries the inclusions to the new version');

SELECT people.create_patient('Ana', 'Pop') AS ana \gset
-- The patient also bought a pack: no transition ever touches it.
SELECT catalog.enroll_patient(:'ana', :'pack') AS bought \gset
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id IS NOT NULL), 0,
    'the default tier includes nothing: nothing is granted');

-- Row 1: subscribe -> provision.
SELECT people.change_patient_tier(:'ana', 'gold') AS sub1 \gset
SELECT results_eq(format($$SELECT service_plan_id, source_slot::int, period_start, period_end, price_amount::int, status
    FROM catalog.patient_service_plans WHERE source_tier_subscription_id = %L ORDER BY plan_type, source_slot$$, :'sub1'),
    format($$VALUES (%L::uuid, 1, %L::timestamptz, %L::timestamptz, 0, 'active'), (%L::uuid, 1, %L, %L, 0, 'active'), (%L::uuid, 2, %L, %L, 0, 'active')$$,
        :'gym', :'t0', :'t0'::timestamptz + interval '1 month', :'pack', :'t0', :'t0'::timestamptz + interval '1 month',
        :'pack', :'t0', :'t0'::timestamptz + interval '1 month'),
    'subscribe: one enrollment per inclusion and slot, for the subscription''s period, granted at no price');
SELECT is((SELECT sessions_total FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1' AND service_plan_id = :'gym'),
    4, 'a granted membership carries its cap per period');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'patient_plan.enrolled'
    AND payload ->> 'source_tier_subscription_id' = :'sub1'), 3, 'each granted enrollment publishes patient_plan.enrolled');

-- Row 2: the hook again on the same state -> nothing.
SELECT count(*)::int AS rows_before FROM catalog.patient_service_plans \gset
SELECT is(catalog.provision_subscription(:'sub1'), 0, 'provisioning twice writes nothing');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans), :'rows_before'::int, 'and adds no enrollment');

-- Row 3: period rollover -> the new period's enrollments; the old period's expire on their own.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '1 month' + interval '1 hour');
SELECT is(people.roll_subscription_periods(), 1, 'rollover moves the one due subscription');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1'
    AND period_start = :'t0'::timestamptz + interval '1 month'), 3, 'rollover: the new period has its enrollments');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans AS e WHERE e.source_tier_subscription_id = :'sub1'
    AND e.period_start = :'t0'::timestamptz AND catalog.enrollment_state(e.status, e.period_start, e.period_end) = 'expired'), 3,
    'rollover: the previous period''s enrollments are expired, not revoked');

-- Row 4: rollover again -> nothing.
SELECT is(people.roll_subscription_periods(), 0, 'a second rollover finds nothing due');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1'), 6,
    'and grants nothing more');

-- Row 5: several periods missed -> straight to the period containing now.
SELECT tests.freeze_time(:'t0'::timestamptz + interval '4 months' + interval '3 days');
SELECT is(people.roll_subscription_periods(), 1, 'a subscription three periods behind rolls once');
SELECT results_eq(format($$SELECT current_period_start, current_period_end FROM people.patient_subscriptions WHERE id = %L$$, :'sub1'),
    format($$VALUES (%L::timestamptz, %L::timestamptz)$$, :'t0'::timestamptz + interval '4 months', :'t0'::timestamptz + interval '5 months'),
    'to the period that contains now');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1'), 9,
    'and only that period is granted, not the missed ones');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
-- Row 6: downgrade (change tier) -> the old tier's live grants are revoked, the new tier's granted.
SELECT people.change_patient_tier(:'ana', 'silver') AS sub2 \gset
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1'
    AND status = 'revoked' AND revoke_reason = 'tier_subscription_ended'), 3,
    'downgrade: the old subscription''s live grants are revoked');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub1'
    AND status = 'revoked' AND period_end <= util.now()), 0, 'past periods are history and stay as they were');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub2'
    AND status = 'active' AND service_plan_id = :'gym'), 1, 'downgrade: the new tier''s inclusion is granted');
SELECT is((SELECT status FROM catalog.patient_service_plans WHERE id = :'bought'), 'active',
    'what the patient bought is never revoked');

-- Row 7: end -> revoke; the hook again revokes nothing more.
SELECT people.end_patient_subscription(:'ana');
RESET ROLE;
SELECT is((SELECT status FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub2'), 'revoked',
    'end: the grants of the ended subscription are revoked');
SELECT is(catalog.provision_subscription(:'sub2'), 0, 'provisioning an ended subscription twice writes nothing');
SELECT is((SELECT status FROM catalog.patient_service_plans WHERE id = :'bought'), 'active',
    'the bought pack survives the end too');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
-- Row 8: a deleted plan is not granted; a second patient subscribing to gold gets the pack only.
SELECT catalog.delete_plan(:'gym');
SELECT people.create_patient('Ion', 'Pop') AS ion \gset
SELECT people.change_patient_tier(:'ion', 'gold') AS sub3 \gset
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id = :'sub3'), 2,
    'a deleted plan grants nothing: only the two packs');

-- Row 9: the subscription's version includes less (one pack slot instead of two): the grant
-- beyond it is revoked, the one still included stays. No API changes a version in place
-- today, so the owner moves the subscription here, as a future tier migration would.
SELECT catalog.set_tier_inclusions(:'gold', format('[{"service_plan_id": "%s", "quantity": 1}]', :'pack')::jsonb) IS NOT NULL AS narrowed \gset
RESET ROLE;
UPDATE people.patient_subscriptions SET patient_tier_version_id = (
    SELECT v.id FROM billing.patient_tier_versions AS v WHERE v.patient_tier_id = :'gold' ORDER BY v.version DESC LIMIT 1
) WHERE id = :'sub3';
SELECT results_eq(format($$SELECT source_slot::int, status, revoke_reason FROM catalog.patient_service_plans
    WHERE source_tier_subscription_id = %L ORDER BY source_slot$$, :'sub3'),
    $$VALUES (1, 'active', NULL::text), (2, 'revoked', 'tier_inclusion_removed')$$,
    'a version that includes less: the grant beyond it is revoked, the one still included stays');
SELECT is(catalog.provision_subscription(:'sub3'), 0, 'and the hook again changes nothing');

SELECT * FROM finish();
ROLLBACK;
