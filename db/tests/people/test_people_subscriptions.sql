-- Patient subscriptions: a new patient is snapshotted on the default tier; a later tier
-- version leaves the snapshot alone; overrides apply until they expire or are revoked; tier
-- change and end; isolation of every new table; the request pool writes none directly.
BEGIN;
SELECT plan(43);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.create_human('ana@pop.test') AS ana \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'support');

-- A premium tier with a perk and a limit.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT billing.save_patient_tier(NULL, 'premium', 'Premium', '', '{"priority_booking": true}', '{"bookings.monthly": 12}')
AS premium \gset

-- Staff register a patient: the default tier's newest version is snapshotted.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.create_patient('Ana', 'Pop', NULL, 'ana@pop.test') AS patient_a \gset
SELECT results_eq(
    format($$SELECT tier_code, version, status FROM people.patient_subscription(%L)$$, :'patient_a'),
    $$VALUES ('standard', 1, 'active')$$, 'a new patient starts on the default tier''s newest version'
);
SELECT id AS sub_a FROM people.patient_subscription(:'patient_a') \gset
SELECT results_eq(
    format($$SELECT limit_code, value FROM people.patient_subscription_limits WHERE subscription_id = %L$$, :'sub_a'),
    $$VALUES ('bookings.monthly', 4::bigint)$$, 'the default tier''s limits are snapshotted'
);
SELECT ok(
    (SELECT current_period_end > current_period_start FROM people.patient_subscriptions WHERE id = :'sub_a'),
    'the subscription has a current period'
);
SELECT results_eq(
    format($$SELECT code, value, source FROM people.patient_effective_values(%L) WHERE kind = 'limit'$$, :'patient_a'),
    $$VALUES ('bookings.monthly', 4::bigint, 'subscription')$$, 'effective limits are the snapshot''s'
);
SELECT results_eq(
    format($$SELECT enabled, source FROM people.patient_effective_values(%L) WHERE kind = 'entitlement' AND code = 'priority_booking'$$, :'patient_a'),
    $$VALUES (false, 'none')$$, 'a perk the tier lacks is off'
);

-- A later version of the default tier does not change the live snapshot.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT billing.save_patient_tier(id, NULL, NULL, NULL, '{"exercise_library": true}', '{"bookings.monthly": 9}')
FROM billing.patient_tiers WHERE organization_id = :'org_a' AND code = 'standard';
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT results_eq(
    format($$SELECT value FROM people.patient_effective_values(%L) WHERE kind = 'limit'$$, :'patient_a'),
    $$VALUES (4::bigint)$$, 'a new tier version leaves the existing snapshot alone'
);
SELECT results_eq(
    format($$SELECT enabled FROM people.patient_effective_values(%L) WHERE kind = 'entitlement' AND code = 'exercise_library'$$, :'patient_a'),
    $$VALUES (false)$$, 'nor does it add the new version''s perks'
);
SELECT people.create_patient('Ion', 'Ionescu') AS patient_new \gset
SELECT results_eq(
    format($$SELECT version FROM people.patient_subscription(%L)$$, :'patient_new'),
    $$VALUES (2)$$, 'a patient registered afterwards gets the new version'
);

-- Overrides: a perk and a limit, with expiry and revocation.
SELECT people.grant_patient_override(:'patient_a', 'priority_booking', NULL, TRUE, NULL, 'loyal patient', now() + interval '1 day')
AS perk_override \gset
SELECT people.grant_patient_override(:'patient_a', NULL, 'bookings.monthly', NULL, 20, 'post-surgery plan') AS limit_override \gset
SELECT results_eq(
    format($$SELECT enabled, source FROM people.patient_effective_values(%L) WHERE kind = 'entitlement' AND code = 'priority_booking'$$, :'patient_a'),
    $$VALUES (true, 'override')$$, 'a perk override applies'
);
SELECT results_eq(
    format($$SELECT value, source FROM people.patient_effective_values(%L) WHERE kind = 'limit'$$, :'patient_a'),
    $$VALUES (20::bigint, 'override')$$, 'a limit override applies'
);
SELECT tests.freeze_time(now() + interval '2 days');
SELECT results_eq(
    format($$SELECT enabled, source FROM people.patient_effective_values(%L) WHERE kind = 'entitlement' AND code = 'priority_booking'$$, :'patient_a'),
    $$VALUES (false, 'none')$$, 'an expired override no longer applies'
);
SELECT lives_ok(
    format($$SELECT people.revoke_patient_override(%L, %L)$$, :'patient_a', :'perk_override'),
    'an expired override can still be marked revoked'
);
SELECT throws_ok(
    format($$SELECT people.revoke_patient_override(%L, %L)$$, :'patient_a', :'perk_override'),
    'P0001', 'patient_override_not_found', 'but only once'
);
SELECT tests.freeze_time(NULL);
SELECT lives_ok(format($$SELECT people.revoke_patient_override(%L, %L)$$, :'patient_a', :'limit_override'), 'staff revoke an override');
SELECT results_eq(
    format($$SELECT value, source FROM people.patient_effective_values(%L) WHERE kind = 'limit'$$, :'patient_a'),
    $$VALUES (4::bigint, 'subscription')$$, 'a revoked override no longer applies'
);
SELECT throws_ok(
    format($$SELECT people.grant_patient_override(%L, 'custom_domains', NULL, true, NULL, 'not a perk')$$, :'patient_a'),
    'P0001', 'unknown_entitlement', 'only patient perks can be overridden'
);
SELECT throws_ok(
    format($$SELECT people.grant_patient_override(%L, 'priority_booking', NULL, true, NULL, 'x')$$, :'patient_a'),
    '23514', NULL, 'an override needs a reason'
);
SELECT throws_ok(
    format($$SELECT people.grant_patient_override(%L, 'priority_booking', 'bookings.monthly', true, 1, 'both')$$, :'patient_a'),
    '23514', NULL, 'an override targets one perk or one limit'
);

-- Change tier: the old subscription ends, the new one snapshots the premium tier.
SELECT people.change_patient_tier(:'patient_a', 'premium') AS sub_premium \gset
SELECT results_eq(
    format($$SELECT status FROM people.patient_subscriptions WHERE id = %L$$, :'sub_a'),
    $$VALUES ('ended')$$, 'changing tier ends the old subscription'
);
SELECT results_eq(
    format($$SELECT tier_code, value FROM people.patient_subscription(%L), people.patient_effective_values(%L) WHERE kind = 'limit'$$,
        :'patient_a', :'patient_a'),
    $$VALUES ('premium', 12::bigint)$$, 'and snapshots the new tier'
);
SELECT results_eq(
    format($$SELECT enabled FROM people.patient_effective_values(%L) WHERE kind = 'entitlement' AND code = 'priority_booking'$$, :'patient_a'),
    $$VALUES (true)$$, 'with its perks'
);
SELECT is(
    (SELECT count(*)::int FROM people.patient_subscriptions WHERE patient_id = :'patient_a' AND status = 'active'), 1,
    'one active subscription per patient'
);
SELECT throws_ok(
    format($$SELECT people.change_patient_tier(%L, 'gold')$$, :'patient_a'),
    'P0001', 'patient_tier_not_found', 'an unknown tier code is refused'
);
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$INSERT INTO people.patient_subscriptions (organization_id, patient_id, patient_tier_version_id)
             SELECT %L, %L, patient_tier_version_id FROM people.patient_subscriptions WHERE id = %L$$,
        :'org_a', :'patient_a', :'sub_premium'),
    '23505', NULL, 'a second active subscription is refused by the unique index'
);
SELECT throws_ok(
    format($$INSERT INTO people.patient_subscriptions (organization_id, patient_id, patient_tier_version_id)
             SELECT %L, %L, patient_tier_version_id FROM people.patient_subscriptions WHERE id = %L$$,
        :'org_b', :'patient_a', :'sub_premium'),
    '23503', NULL, 'a subscription cannot name another organization''s patient'
);

-- End.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT people.end_patient_subscription(:'patient_a');
SELECT is_empty(format($$SELECT 1 FROM people.patient_subscription(%L)$$, :'patient_a'), 'an ended subscription is no longer current');
SELECT throws_ok(
    format($$SELECT people.end_patient_subscription(%L)$$, :'patient_a'),
    'P0001', 'patient_subscription_not_found', 'nothing left to end'
);
SELECT people.change_patient_tier(:'patient_a', 'standard') AS sub_back \gset

-- The person reads their own subscription, not the clinic's overrides.
SELECT tests.clear_authentication();
UPDATE people.patient_profiles SET human_id = :'ana' WHERE id = (SELECT patient_profile_id FROM people.patients WHERE id = :'patient_a');
SELECT tests.authenticate_as(:'ana', NULL);
SELECT results_eq(
    format($$SELECT tier_code FROM people.patient_subscription(%L)$$, :'patient_a'),
    $$VALUES ('standard')$$, 'the person reads which tier they are on'
);
SELECT is((SELECT count(*)::int FROM people.patient_subscriptions), 3, 'the person reads their three subscriptions (two ended)');
SELECT isnt_empty('SELECT 1 FROM people.patient_subscription_limits', 'and their snapshots');
SELECT is_empty('SELECT 1 FROM people.patient_subscription_overrides', 'but not the clinic''s overrides');

-- Isolation: B sees and changes nothing of A's.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM people.patient_subscriptions', 'B reads no subscription of A');
SELECT is_empty('SELECT 1 FROM people.patient_subscription_entitlements', 'B reads no perk snapshot of A');
SELECT is_empty('SELECT 1 FROM people.patient_subscription_limits', 'B reads no limit snapshot of A');
SELECT is_empty('SELECT 1 FROM people.patient_subscription_overrides', 'B reads no override of A');
SELECT throws_ok(format($$SELECT * FROM people.patient_subscription(%L)$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot read A''s patient''s subscription');
SELECT throws_ok(format($$SELECT people.change_patient_tier(%L, 'premium')$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot change A''s patient''s tier');
SELECT throws_ok(format($$SELECT people.grant_patient_override(%L, 'priority_booking', NULL, true, NULL, 'steal')$$, :'patient_a'),
    'P0001', 'patient_not_found', 'B cannot override A''s patient''s perks');

-- Roles: the billing role reads and changes nothing; platform support reads nothing.
SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is_empty('SELECT 1 FROM people.patient_subscriptions', 'A''s billing role reads no patient subscription');
SELECT throws_ok(format($$SELECT people.end_patient_subscription(%L)$$, :'patient_a'),
    '42501', NULL, 'A''s billing role ends no subscription');
SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is_empty(
    'SELECT 1 FROM people.patient_subscriptions UNION ALL SELECT 1 FROM people.patient_subscription_limits'
    ' UNION ALL SELECT 1 FROM people.patient_subscription_overrides',
    'platform support reads no patient subscription data'
);

-- No direct writes from the request pool.
SELECT tests.authenticate_as(:'desk_a', :'org_a');
SELECT throws_ok(format($$UPDATE people.patient_subscriptions SET status = 'ended', ended_at = now() WHERE id = %L$$, :'sub_back'),
    '42501', NULL, 'no direct update of subscriptions');
SELECT throws_ok(format($$DELETE FROM people.patient_subscription_limits WHERE subscription_id = %L$$, :'sub_back'),
    '42501', NULL, 'no direct delete of snapshots');

SELECT * FROM finish();
ROLLBACK;
