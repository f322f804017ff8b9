-- Membership renewal: a bought membership whose version renews gets the enrollment of the
-- period containing now once its period ends; renewing again writes nothing; a revoked
-- membership, one that does not renew, and a tier grant do not renew here.
BEGIN;
SELECT plan(9);

SELECT '2026-03-10 09:00+00'::timestamptz AS t0 \gset
SELECT count(*) >= 0 AS made FROM audit.ensure_partitions(6, :'t0') \gset
SELECT count(*) >= 0 AS made FROM events.ensure_partitions(6, :'t0') \gset
SELECT tests.freeze_time(:'t0');
SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_plan('membership', '{"name": "Gym", "price_amount": 5000, "currency": "RON", "period": "month", "sessions_per_period": 4}') AS gym \gset
SELECT catalog.create_plan('membership', '{"name": "Once", "price_amount": 5000, "currency": "RON", "period": "week", "renews": false}') AS once \gset
SELECT catalog.create_plan('membership', '{"name": "Weekly", "price_amount": 900, "currency": "RON", "period": "week"}') AS weekly \gset
SELECT people.create_patient('Ana', 'Pop') AS ana \gset
SELECT catalog.enroll_patient(:'ana', :'gym') AS gym_1 \gset
SELECT catalog.enroll_patient(:'ana', :'once') AS once_1 \gset
SELECT catalog.enroll_patient(:'ana', :'weekly') AS weekly_1 \gset
SELECT catalog.enroll_patient(:'ana', :'gym') AS revoked_1 \gset
SELECT catalog.revoke_enrollment(:'revoked_1', 'refund');
RESET ROLE;

SELECT is(catalog.renew_memberships(), 0, 'nothing renews before its period ends');
SELECT tests.freeze_time(:'t0'::timestamptz + interval '1 month' + interval '10 days');
SELECT is(catalog.renew_memberships(), 2, 'the month and the week that renew are renewed, not the revoked one nor the one-off');
SELECT results_eq(format($$SELECT period_start, period_end, sessions_total, status FROM catalog.patient_service_plans WHERE renewed_from = %L$$, :'gym_1'),
    format($$VALUES (%L::timestamptz, %L::timestamptz, 4, 'active')$$, :'t0'::timestamptz + interval '1 month', :'t0'::timestamptz + interval '2 months'),
    'the month renews into the next month with the same cap');
SELECT results_eq(format($$SELECT period_start, period_end FROM catalog.patient_service_plans WHERE renewed_from = %L$$, :'weekly_1'),
    format($$VALUES (%L::timestamptz, %L::timestamptz)$$, :'t0'::timestamptz + interval '35 days', :'t0'::timestamptz + interval '42 days'),
    'a week missed several times jumps to the week containing now');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE renewed_from IN (:'once_1', :'revoked_1')), 0,
    'a membership that does not renew, or was revoked, gets no successor');
SELECT is(catalog.renew_memberships(), 0, 'renewing again writes nothing');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'patient_plan.enrolled'
    AND payload ->> 'patient_service_plan_id' IN (SELECT r.id::text FROM catalog.patient_service_plans AS r WHERE r.renewed_from IS NOT NULL)), 2,
    'each renewal publishes patient_plan.enrolled');
SELECT tests.freeze_time(:'t0'::timestamptz + interval '2 months' + interval '10 days');
SELECT is(catalog.renew_memberships(), 2, 'the renewals renew in their turn');
SELECT is((SELECT count(*)::int FROM catalog.patient_service_plans WHERE source_tier_subscription_id IS NOT NULL AND renewed_from IS NOT NULL), 0,
    'tier grants are never renewed here (their subscription rolls)');

SELECT * FROM finish();
ROLLBACK;
