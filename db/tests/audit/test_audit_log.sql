-- Every mutation writes exactly one audit row, with the right actor, org and request.
BEGIN;
SELECT plan(29);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') AS m_owner_a \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') AS m_recept_a \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') AS m_owner_b \gset
SELECT tests.make_platform(:'root', 'superadmin');

-- Setup above ran with no actor: recorded as the system principal, never dropped.
SELECT results_eq(
    format($$SELECT actor_id, actor_type, action, organization_id FROM audit.audit_log
             WHERE entity_type = 'tenancy.organizations' AND entity_id = %L$$, :'org_a'),
    format($$VALUES ('00000000-0000-0000-0000-000000000001'::uuid, 'system', 'insert', %L::uuid)$$, :'org_a'),
    'a mutation with no actor is recorded as the system principal'
);

-- An update by the owner of A, inside a request.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT set_config('app.request_id', 'req-update-1', true);
SELECT set_config('app.action_context', 'member_admin', true);
SELECT tenancy.set_member_status(:'m_recept_a', 'suspended');
SELECT tests.clear_authentication();
SELECT results_eq(
    format($$SELECT actor_id, actor_type, organization_id, changed_columns, request_id, action_context,
                    old_values ->> 'status', new_values ->> 'status'
             FROM audit.audit_log WHERE entity_id = %L AND action = 'update'$$, :'m_recept_a'),
    format($$VALUES (%L::uuid, 'human', %L::uuid, ARRAY['status'], 'req-update-1', 'member_admin', 'active', 'suspended')$$,
        :'owner_a', :'org_a'),
    'an update records actor, org, changed columns, old and new values, request and context'
);
SELECT is(
    (SELECT count(*)::int FROM audit.audit_log WHERE entity_id = :'m_recept_a' AND action = 'update'), 1,
    'one update writes exactly one row'
);

-- Insert and delete by the owner.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT set_config('app.request_id', 'req-domain', true);
SELECT set_config('role', 'restartix_owner', true);  -- as tenancy.add_domain writes (no direct grant)
INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (:'org_a', 'kineto-a.ro');
DELETE FROM tenancy.organization_domains WHERE domain = 'kineto-a.ro';
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT action, actor_type, request_id, organization_id::text FROM audit.audit_log
      WHERE entity_type = 'tenancy.organization_domains' ORDER BY action DESC$$,
    format($$VALUES ('insert', 'human', 'req-domain', %L), ('delete', 'human', 'req-domain', %L)$$, :'org_a', :'org_a'),
    'an insert and a delete each write one row'
);
SELECT ok(
    (SELECT changed_columns @> ARRAY['domain', 'organization_id'] AND old_values IS null
            AND new_values ->> 'domain' = 'kineto-a.ro'
     FROM audit.audit_log WHERE entity_type = 'tenancy.organization_domains' AND action = 'insert'),
    'an insert records the new row and its columns'
);
SELECT ok(
    (SELECT old_values ->> 'domain' = 'kineto-a.ro' AND new_values IS null
     FROM audit.audit_log WHERE entity_type = 'tenancy.organization_domains' AND action = 'delete'),
    'a delete records the old row'
);

-- Rolled-back work leaves no audit row.
DO $$
BEGIN
    UPDATE tenancy.organizations SET name = 'Rolled Back' WHERE slug = 'clinic-b';
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
    NULL;
END;
$$;
SELECT is_empty(
    $$SELECT 1 FROM audit.audit_log WHERE new_values ->> 'name' = 'Rolled Back'$$,
    'a rolled-back mutation leaves no audit row'
);

-- An update that changes nothing, or only activity bookkeeping, is not an event.
UPDATE tenancy.organizations SET name = name WHERE id = :'org_b';
UPDATE iam.humans SET last_activity_at = now() WHERE principal_id = :'owner_b';
UPDATE tenancy.organization_memberships SET last_used_at = now() WHERE id = :'m_owner_b';
SELECT is_empty(
    format($$SELECT 1 FROM audit.audit_log WHERE action = 'update' AND (entity_type, entity_id) IN
             (('tenancy.organizations', %L), ('iam.humans', %L), ('tenancy.organization_memberships', %L))$$,
        :'org_b', :'owner_b', :'m_owner_b'),
    'no-op and activity-only updates write no audit row'
);

-- Composite keys and platform tables are audited too.
SELECT ok(
    EXISTS (SELECT 1 FROM audit.audit_log
            WHERE entity_type = 'iam.platform_memberships' AND entity_id = :'root' AND organization_id IS null),
    'a platform action is recorded with no organization'
);

-- Sensitive values never reach the log: a table with an auth_secret column.
CREATE TABLE tenancy.scratch_secrets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    label text,
    api_key_encrypted bytea
);
INSERT INTO util.column_classification (table_schema, table_name, column_name, class) VALUES
('tenancy', 'scratch_secrets', 'api_key_encrypted', 'auth_secret');
SELECT audit.track('tenancy.scratch_secrets');
INSERT INTO tenancy.scratch_secrets (organization_id, label, api_key_encrypted)
VALUES (:'org_a', 'first', '\xdeadbeefcafe');
UPDATE tenancy.scratch_secrets SET api_key_encrypted = '\xfeedface0123', label = 'second';
SELECT is(
    (SELECT count(*)::int FROM audit.audit_log WHERE entity_type = 'tenancy.scratch_secrets'), 2,
    'the scratch table is audited'
);
SELECT is_empty(
    $$SELECT 1 FROM audit.audit_log WHERE entity_type = 'tenancy.scratch_secrets'
      AND (coalesce(old_values::text, '') || new_values::text) ~ '(deadbeef|feedface)'$$,
    'a secret value never appears in old or new values'
);
SELECT results_eq(
    $$SELECT new_values ->> 'api_key_encrypted', old_values ->> 'api_key_encrypted', changed_columns
      FROM audit.audit_log WHERE entity_type = 'tenancy.scratch_secrets' AND action = 'update'$$,
    $$VALUES ('[redacted]', '[redacted]', ARRAY['api_key_encrypted', 'label'])$$,
    'the column name is kept, its values are replaced by the marker'
);

-- AI provenance rides on the audit row of the same mutation.
SELECT set_config('role', 'restartix_owner', true);  -- as a domain function writes (no direct grant)
SELECT set_config('app.ai_provenance',
    '{"model": "triage-1", "prompt_hash": "sha256:ab12", "tool_calls": [{"name": "lookup"}], "confidence": 0.87, "run": "r1"}',
    true);
UPDATE tenancy.organizations SET name = 'Clinic A by agent' WHERE id = :'org_a';
SELECT set_config('app.ai_provenance', '', true);
SELECT results_eq(
    $$SELECT p.model, p.prompt_hash, p.confidence, p.details ->> 'run', p.organization_id = l.organization_id
      FROM audit.audit_ai_provenance AS p
      JOIN audit.audit_log AS l ON l.id = p.audit_log_id AND l.created_at = p.audit_log_created_at
      WHERE l.new_values ->> 'name' = 'Clinic A by agent'$$,
    $$VALUES ('triage-1', 'sha256:ab12', 0.8700::numeric(5,4), 'r1', true)$$,
    'AI provenance is linked to its audit row'
);

-- Reading: auditors of A see A only; members without audit.read see nothing; superadmins see all.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT is_empty(
    format('SELECT 1 FROM audit.audit_log WHERE organization_id IS DISTINCT FROM %L', :'org_a'),
    'an auditor of A sees no audit row of another organization'
);
SELECT isnt_empty('SELECT 1 FROM audit.audit_log', 'an auditor of A sees the audit rows of A');
SELECT isnt_empty('SELECT 1 FROM audit.audit_ai_provenance', 'an auditor of A sees the AI provenance of A');
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM audit.audit_ai_provenance', 'an auditor of B sees no AI provenance of A');
SELECT tests.clear_authentication();
UPDATE tenancy.organization_memberships SET status = 'active' WHERE id = :'m_recept_a';
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT is_empty('SELECT 1 FROM audit.audit_log', 'a member without audit.read sees no audit row');
SELECT tests.authenticate_as(:'root', null);
SELECT results_eq(
    $$SELECT count(DISTINCT organization_id)::int FROM audit.audit_log WHERE organization_id IS NOT NULL$$,
    'VALUES (2)', 'a platform admin reads the audit rows of every organization'
);

-- Append-only for every role, the owner and the superuser included.
SELECT throws_ok('UPDATE audit.audit_log SET action = $$x$$', '42501', null, 'the request pool cannot UPDATE audit rows');
SELECT throws_ok('DELETE FROM audit.audit_log', '42501', null, 'the request pool cannot DELETE audit rows');
SELECT tests.authenticate_as_system();
SELECT throws_ok('DELETE FROM audit.audit_log', '42501', null, 'the system pool cannot DELETE audit rows');
SELECT tests.clear_authentication();
SELECT set_config('role', 'restartix_owner', true);
SELECT throws_ok('UPDATE audit.audit_log SET action = $$x$$', '42501', null, 'the owner cannot UPDATE audit rows');
SELECT throws_ok('DELETE FROM audit.audit_log', '42501', null, 'the owner cannot DELETE audit rows');
SELECT throws_ok('TRUNCATE audit.audit_log, audit.audit_ai_provenance', '42501', null,
    'the owner cannot TRUNCATE the audit tables');
SELECT throws_ok(
    format('TRUNCATE audit.%I', 'audit_ai_provenance_p' || to_char(now(), 'YYYY_MM')),
    '42501', null, 'the owner cannot TRUNCATE a monthly partition'
);
SELECT tests.clear_authentication();
SELECT throws_ok('DELETE FROM audit.audit_ai_provenance', '42501', null, 'a superuser cannot DELETE provenance rows');
SELECT throws_ok('UPDATE audit.audit_log SET action = $$x$$', '42501', null, 'a superuser cannot UPDATE audit rows');

-- A month without a partition fails the audited write loudly.
SELECT tests.freeze_time('2031-01-15 10:00+00');
SELECT throws_ok(
    $$SELECT tests.create_org('clinic-future')$$, '23514', null,
    'a write in a month with no audit partition fails'
);

SELECT * FROM finish();
ROLLBACK;
