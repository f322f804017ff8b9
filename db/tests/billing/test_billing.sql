-- Provisioning, snapshot isolation, overrides with expiry, org toggles, limits, isolation.
BEGIN;
SELECT plan(33);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('bill-a@a.test') AS bill_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner');
SELECT tests.add_member(:'org_a', :'bill_a', 'billing');
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist');
SELECT tests.add_member(:'org_b', :'owner_b', 'owner');
SELECT tests.make_platform(:'root', 'superadmin');

-- Provisioning created every companion.
SELECT ok(EXISTS (SELECT 1 FROM tenancy.organization_settings WHERE organization_id = :'org_a'), 'settings are provisioned');
SELECT ok(EXISTS (SELECT 1 FROM billing.organization_billing WHERE organization_id = :'org_a'), 'a billing profile is provisioned');
SELECT is(
    (SELECT count(*)::int FROM billing.organization_entitlements WHERE organization_id = :'org_a'),
    (SELECT count(*)::int FROM billing.entitlements WHERE scope = 'org'),
    'every org entitlement gets its default'
);
SELECT results_eq(
    format($$SELECT t.code, s.kind, s.status FROM billing.organization_subscriptions AS s
             JOIN billing.tier_versions AS v ON v.id = s.tier_version_id JOIN billing.tiers AS t ON t.id = v.tier_id
             WHERE s.organization_id = %L$$, :'org_a'),
    $$VALUES ('free', 'base', 'active')$$, 'a new organization is subscribed to Free'
);
SELECT results_eq(
    format($$SELECT t.code FROM billing.organization_billing AS b JOIN billing.tiers AS t ON t.id = b.current_tier_id
             WHERE b.organization_id = %L$$, :'org_a'),
    $$VALUES ('free')$$, 'the billing profile points at the current tier'
);
SELECT results_eq(
    format($$SELECT code, is_default FROM billing.patient_tiers WHERE organization_id = %L$$, :'org_a'),
    $$VALUES ('standard', true)$$, 'a default patient tier is provisioned'
);
SELECT results_eq(
    format($$SELECT value FROM billing.effective_limit(%L, 'members.max')$$, :'org_a'),
    $$VALUES (3::bigint)$$, 'the Free snapshot limits members to 3'
);

-- Snapshot isolation: a new catalog version changes nothing until migrated.
SELECT billing.publish_tier_version('free', '{"custom_domains": true}', '{"members.max": 7}');
SELECT results_eq(
    format($$SELECT value FROM billing.effective_limit(%L, 'members.max')$$, :'org_a'),
    $$VALUES (3::bigint)$$, 'publishing a new version leaves the live snapshot alone'
);
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT ok(NOT billing.has_tier_entitlement('custom_domains'), 'the old snapshot still lacks custom domains');
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.migrate_subscription(id) FROM billing.organization_subscriptions
WHERE organization_id = :'org_a' AND status = 'active';
SELECT results_eq(
    format($$SELECT value FROM billing.effective_limit(%L, 'members.max')$$, :'org_a'),
    $$VALUES (7::bigint)$$, 'migrating takes the new version''s snapshot'
);
SELECT results_eq(
    format($$SELECT value FROM billing.effective_limit(%L, 'members.max')$$, :'org_b'),
    $$VALUES (3::bigint)$$, 'another organization keeps its old snapshot'
);

-- Tier change and add-ons.
SELECT billing.change_tier(:'org_a', 'pro');
SELECT billing.attach_addon(:'org_a', 'extra_members');
SELECT results_eq(
    format($$SELECT value, source FROM billing.effective_limit(%L, 'members.max')$$, :'org_a'),
    $$VALUES (35::bigint, 'subscription+addon')$$, 'an add-on adds to the base limit'
);
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT ok(billing.has_tier_entitlement('custom_domains'), 'Pro includes custom domains');

-- Overrides, expiry honoured.
SELECT tests.authenticate_as(:'root', NULL);
SELECT billing.grant_override(:'org_b', 'api_access', NULL, TRUE, NULL, 'pilot customer', now() + interval '1 day');
SELECT billing.grant_override(:'org_b', NULL, 'members.max', NULL, 50, 'sales deal', now() + interval '1 day');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT ok(billing.has_tier_entitlement('api_access'), 'an entitlement override applies');
SELECT results_eq(
    format($$SELECT value, source FROM billing.effective_limit(%L, 'members.max')$$, :'org_b'),
    $$VALUES (50::bigint, 'override')$$, 'a limit override applies'
);
SELECT tests.freeze_time(now() + interval '2 days');
SELECT ok(NOT billing.has_tier_entitlement('api_access'), 'an expired entitlement override no longer applies');
SELECT results_eq(
    format($$SELECT value, source FROM billing.effective_limit(%L, 'members.max')$$, :'org_b'),
    $$VALUES (3::bigint, 'subscription')$$, 'an expired limit override no longer applies'
);
SELECT tests.freeze_time(NULL);

-- Org entitlements: platform admins switch them, with the audit context.
SELECT tests.authenticate_as(:'root', NULL);
SELECT set_config('app.request_id', 'req-toggle', TRUE);
SELECT billing.set_org_entitlement(:'org_a', 'patient_portal', FALSE, 'DPA not signed');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT action_context, actor_type FROM audit.audit_log
      WHERE entity_type = 'billing.organization_entitlements' AND request_id = 'req-toggle'$$,
    $$VALUES ('org_entitlement_change', 'human')$$, 'an org entitlement write is audited as org_entitlement_change'
);
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT ok(NOT billing.has_org_entitlement('patient_portal'), 'the switched-off toggle reads false');
SELECT throws_ok($$SELECT billing.set_org_entitlement(iam.current_org_id(), 'patient_portal', true, 'me')$$,
    '42501', NULL, 'an owner cannot switch org entitlements');
SELECT throws_ok($$SELECT billing.change_tier(iam.current_org_id(), 'dedicated')$$,
    '42501', NULL, 'an owner cannot change the tier');
SELECT throws_ok($$SELECT billing.grant_override(iam.current_org_id(), 'api_access', NULL, true, NULL, 'self service')$$,
    '42501', NULL, 'an owner cannot grant overrides');

-- Limits: usage counted from members and pending invitations.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT lives_ok($$SELECT billing.enforce_limit('members.max', 49)$$, 'one member plus 49 fits the overridden limit of 50');
SELECT throws_ok($$SELECT billing.enforce_limit('members.max', 50)$$, 'P0001', 'limit_exceeded',
    'one member plus 50 exceeds the overridden limit of 50');

-- Isolation: another organization's members see none of A's billing rows.
SELECT is_empty(format('SELECT 1 FROM billing.organization_subscriptions WHERE organization_id = %L', :'org_a'),
    'owner B sees no subscription of A');
SELECT is_empty(format('SELECT 1 FROM billing.patient_tiers WHERE organization_id = %L', :'org_a'),
    'owner B sees no patient tier of A');
SELECT is_empty(format('SELECT 1 FROM tenancy.organization_settings WHERE organization_id = %L', :'org_a'),
    'owner B sees no settings of A');
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT is_empty('SELECT 1 FROM billing.organization_billing',
    'a receptionist does not read the billing profile');

-- Nor A's plan, limits or usage through the billing functions; their own still answer.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT throws_ok(format($$SELECT * FROM billing.effective_entitlements(%L)$$, :'org_a'),
    '42501', 'permission_denied', 'owner B cannot read A''s entitlements');
SELECT throws_ok(format($$SELECT * FROM billing.effective_limit(%L, 'members.max')$$, :'org_a'),
    '42501', 'permission_denied', 'owner B cannot read A''s limits');
SELECT throws_ok(format($$SELECT billing.limit_usage(%L, 'members.max')$$, :'org_a'),
    '42501', 'permission_denied', 'owner B cannot read A''s usage');
SELECT is(billing.limit_usage(:'org_b', 'members.max'), 1::bigint, 'owner B reads B''s own usage');
SELECT tests.authenticate_as(:'root', NULL);
SELECT isnt_empty(format($$SELECT * FROM billing.effective_entitlements(%L)$$, :'org_a'),
    'platform staff read any organization''s entitlements');

SELECT * FROM finish();
ROLLBACK;
