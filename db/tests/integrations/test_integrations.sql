-- Provider registries: resolution prefers an enabled org override, credentials are
-- write-only for the request pool and masked in the audit log, and each clinic's connected
-- accounts are its own.
BEGIN;
SELECT plan(35);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_org('clinic-c') AS org_c \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');
SELECT tests.make_platform(:'support', 'support');

-- Cat A, as a platform admin through the request pool.
SELECT tests.authenticate_as(:'root', NULL);
INSERT INTO integrations.platform_service_providers (category, provider, config, credentials_encrypted, is_default)
VALUES ('video', 'daily', '{"domain": "restartix.daily.co"}', '\x01aa', TRUE)
RETURNING id AS daily \gset
INSERT INTO integrations.platform_service_providers (category, provider, enabled)
VALUES ('video', 'whereby', TRUE)
RETURNING id AS whereby \gset
INSERT INTO integrations.platform_service_providers (organization_id, category, provider, config, credentials_encrypted)
VALUES (:'org_a', 'video', 'daily', '{"domain": "clinic-a.daily.co"}', '\x01bb')
RETURNING id AS override_a \gset
INSERT INTO integrations.platform_service_providers (organization_id, category, provider, enabled)
VALUES (:'org_b', 'video', 'whereby', FALSE)
RETURNING id AS override_b \gset

SELECT results_eq(
    format($$SELECT id, source, config ->> 'domain' FROM integrations.resolve_provider('video', %L)$$, :'org_a'),
    format($$VALUES (%L::uuid, 'organization', 'clinic-a.daily.co')$$, :'override_a'),
    'clinic A resolves to its own override'
);
SELECT results_eq(
    format($$SELECT id, source FROM integrations.resolve_provider('video', %L)$$, :'org_b'),
    format($$VALUES (%L::uuid, 'platform')$$, :'daily'),
    'a disabled override falls back to the platform default'
);
SELECT results_eq(
    format($$SELECT id, source FROM integrations.resolve_provider('video', %L)$$, :'org_c'),
    format($$VALUES (%L::uuid, 'platform')$$, :'daily'),
    'a clinic without an override gets the platform default'
);
SELECT is_empty(
    format($$SELECT 1 FROM integrations.resolve_provider('pdf', %L)$$, :'org_a'),
    'a category with no provider resolves to nothing'
);
SELECT is(
    (SELECT array_agg(a ORDER BY a) FROM unnest((
        SELECT proargnames FROM pg_proc WHERE oid = 'integrations.resolve_provider(text, uuid)'::regprocedure
    )) AS a WHERE a NOT LIKE 'p\_%'),
    ARRAY['category', 'config', 'id', 'organization_id', 'provider', 'source'],
    'resolve_provider returns no credentials'
);
UPDATE integrations.platform_service_providers SET enabled = FALSE WHERE id = :'override_a';
SELECT results_eq(
    format($$SELECT id FROM integrations.resolve_provider('video', %L)$$, :'org_a'),
    format($$VALUES (%L::uuid)$$, :'daily'),
    'disabling the override sends clinic A back to the default'
);
UPDATE integrations.platform_service_providers SET enabled = TRUE WHERE id = :'override_a';

SELECT throws_ok(
    $$INSERT INTO integrations.platform_service_providers (category, provider, is_default) VALUES ('video', 'zoom', true)$$,
    '23505', NULL, 'one platform default per category'
);
SELECT throws_ok(
    format($$INSERT INTO integrations.platform_service_providers (organization_id, category, provider, is_default)
             VALUES (%L, 'email', 'postmark', true)$$, :'org_c'),
    '23514', NULL, 'an override row is never the platform default'
);
SELECT throws_ok(
    format($$INSERT INTO integrations.platform_service_providers (organization_id, category, provider)
             VALUES (%L, 'video', 'zoom')$$, :'org_a'),
    '23505', NULL, 'one override per organization and category'
);
SELECT throws_ok(
    $$INSERT INTO integrations.platform_service_providers (category, provider) VALUES ('fax', 'x1')$$,
    '23514', NULL, 'the category is one of video, email, sms, push, pdf'
);

-- Credentials are write-only: no request-pool role selects them, a superadmin included.
SELECT throws_ok(
    'SELECT credentials_encrypted FROM integrations.platform_service_providers', '42501', NULL,
    'a platform admin cannot select provider credentials'
);
SELECT throws_ok(
    'SELECT * FROM integrations.platform_service_providers', '42501', NULL,
    'not even through SELECT *'
);
SELECT results_eq(
    format($$SELECT has_credentials FROM integrations.platform_service_providers WHERE id IN (%L, %L) ORDER BY provider$$,
           :'daily', :'whereby'),
    $$VALUES (true), (false)$$,
    'has_credentials tells whether a secret is set'
);
SELECT tests.authenticate_as(:'support', NULL);
SELECT is((SELECT count(*)::int FROM integrations.platform_service_providers), 4, 'support reads the providers');
SELECT throws_ok(
    $$INSERT INTO integrations.platform_service_providers (category, provider) VALUES ('sms', 'twilio')$$,
    '42501', NULL, 'support cannot add a provider'
);
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT is_empty('SELECT 1 FROM integrations.platform_service_providers', 'a clinic admin sees no Cat A row');
SELECT results_eq(
    format($$SELECT id FROM integrations.resolve_provider('video', %L)$$, :'org_a'),
    format($$VALUES (%L::uuid)$$, :'override_a'),
    'a member resolves their own organization''s provider'
);
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT throws_ok(
    format($$SELECT * FROM integrations.resolve_provider('video', %L)$$, :'org_a'),
    '42501', 'permission_denied', 'a member of clinic B cannot resolve for clinic A'
);
SELECT tests.authenticate_as_system();
SELECT is(
    (SELECT credentials_encrypted FROM integrations.platform_service_providers WHERE id = :'daily'), '\x01aa'::bytea,
    'the system pool reads the ciphertext it needs to call the provider'
);

-- Cat B: clinic A connects a calendar.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
INSERT INTO integrations.organization_integrations
    (organization_id, kind, account_label, scopes, credentials_encrypted, connected_by)
VALUES (:'org_a', 'google_calendar', 'calendar@clinic-a.test', '{https://www.googleapis.com/auth/calendar}',
        '\x01cc', :'admin_a')
RETURNING id AS cal_a \gset
SELECT throws_ok(
    'SELECT credentials_encrypted FROM integrations.organization_integrations', '42501', NULL,
    'a clinic admin cannot select the calendar credentials'
);
SELECT throws_ok(
    format($$INSERT INTO integrations.organization_integrations (organization_id, kind, account_label, scopes)
             VALUES (%L, 'google_calendar', 'x@a.test', '{"bad scope"}')$$, :'org_a'),
    '23514', NULL, 'scopes are tokens without spaces'
);
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT is_empty('SELECT 1 FROM integrations.organization_integrations', 'a receptionist (no integrations.manage) sees none');
SELECT throws_ok(
    format($$INSERT INTO integrations.organization_integrations (organization_id, kind, account_label)
             VALUES (%L, 'google_calendar', 'r@a.test')$$, :'org_a'),
    '42501', NULL, 'a receptionist cannot connect one'
);
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty(
    format($$SELECT 1 FROM integrations.organization_integrations WHERE organization_id = %L$$, :'org_a'),
    'clinic B sees nothing of clinic A'
);
SELECT is_empty(
    format($$UPDATE integrations.organization_integrations SET status = 'error' WHERE id = %L RETURNING id$$, :'cal_a'),
    'clinic B cannot change clinic A''s integration'
);
SELECT is_empty(
    format($$DELETE FROM integrations.organization_integrations WHERE id = %L RETURNING id$$, :'cal_a'),
    'clinic B cannot remove clinic A''s integration'
);
SELECT throws_ok(
    format($$INSERT INTO integrations.organization_integrations (organization_id, kind, account_label)
             VALUES (%L, 'google_calendar', 'b@b.test')$$, :'org_a'),
    '42501', NULL, 'clinic B cannot connect an account for clinic A'
);
SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM integrations.organization_integrations', 'clinic B claiming clinic A sees nothing');
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_b', TRUE);
SELECT is_empty('SELECT 1 FROM integrations.organization_integrations', 'the system pool acting for B sees none of A');
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT is(
    (SELECT credentials_encrypted FROM integrations.organization_integrations WHERE id = :'cal_a'), '\x01cc'::bytea,
    'the system pool acting for A reads A''s ciphertext'
);
UPDATE integrations.organization_integrations SET status = 'disconnected', last_error = 'token revoked'
WHERE id = :'cal_a';
SELECT results_eq(
    format($$SELECT status, credentials_encrypted IS NULL, has_credentials
             FROM integrations.organization_integrations WHERE id = %L$$, :'cal_a'),
    $$VALUES ('disconnected', true, false)$$,
    'a disconnected account keeps no credentials'
);

-- Audit: the change is recorded, the secret never is.
SELECT tests.clear_authentication();
SELECT ok(
    (SELECT bool_and(new_values ->> 'credentials_encrypted' = '[redacted]') FROM audit.audit_log
     WHERE entity_type IN ('integrations.platform_service_providers', 'integrations.organization_integrations')
       AND action = 'insert' AND new_values ->> 'has_credentials' = 'true'),
    'inserted credentials are masked in the audit log'
);
SELECT ok(
    (SELECT 'credentials_encrypted' = any(changed_columns) AND old_values ->> 'credentials_encrypted' = '[redacted]'
     FROM audit.audit_log WHERE entity_type = 'integrations.organization_integrations' AND action = 'update'),
    'a credentials change is visible by name, not by value'
);

-- The platform key scope: data keys for the nil organization; other ids must be organizations.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', '00000000-0000-0000-0000-000000000000', TRUE);
SELECT lives_ok(
    $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
      VALUES ('00000000-0000-0000-0000-000000000000', 1, 'local-test', '\x00')$$,
    'the platform key scope stores its data keys'
);
SELECT set_config('app.current_org_id', '00000000-0000-0000-0000-0000000000ff', TRUE);
SELECT throws_ok(
    $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
      VALUES ('00000000-0000-0000-0000-0000000000ff', 1, 'local-test', '\x00')$$,
    '23503', NULL, 'any other key scope must be an organization'
);

SELECT * FROM finish();
ROLLBACK;
