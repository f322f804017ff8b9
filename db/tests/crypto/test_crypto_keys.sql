-- Wrapped data keys: only the system pool reaches them, only for the organization it acts
-- for; keys move one way (live -> retired -> destroyed) and are never deleted or renumbered.
BEGIN;
SELECT plan(29);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS member_added \gset

SELECT policies_are(
    'crypto', 'organization_data_keys',
    ARRAY['the system pool uses the keys of the organization it acts for'],
    'one policy: the system pool, for the organization it acts for'
);

-- The system pool stores each organization's keys while acting for it.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_b', TRUE);
SELECT lives_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%L, 1, 'local-k1', '\x01bb')$$,
        :'org_b'
    ),
    'the system pool acting for B stores a key of B'
);
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT lives_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%1$L, 1, 'local-k1', '\x01a1'), (%1$L, 2, 'local-k1', '\x01a2')$$,
        :'org_a'
    ),
    'the system pool acting for A stores keys of A'
);

-- Acting for A, nothing of B is visible or changeable.
SELECT throws_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%L, 2, 'local-k1', '\x01ff')$$,
        :'org_b'
    ),
    '42501', NULL, 'acting for A, the system pool cannot store a key for B'
);
SELECT is(
    (SELECT count(*)::int FROM crypto.organization_data_keys), 2,
    'acting for A, the system pool sees the two keys of A only'
);
SELECT is_empty(
    format('SELECT 1 FROM crypto.organization_data_keys WHERE organization_id = %L', :'org_b'),
    'acting for A, no key of B is visible'
);
SELECT is_empty(
    format(
        $$UPDATE crypto.organization_data_keys SET retired_at = util.now()
          WHERE organization_id = %L RETURNING version$$,
        :'org_b'
    ),
    'acting for A, the system pool cannot retire a key of B (0 rows)'
);
SELECT is_empty(
    format(
        $$UPDATE crypto.organization_data_keys SET data_key_encrypted = NULL, destroyed_at = util.now()
          WHERE organization_id = %L RETURNING version$$,
        :'org_b'
    ),
    'acting for A, the system pool cannot destroy a key of B (0 rows)'
);
SELECT throws_ok(
    format(
        'UPDATE crypto.organization_data_keys SET organization_id = %L WHERE version = 1',
        :'org_b'
    ),
    '42501', NULL, 'the system pool cannot move a key to another organization'
);
SELECT throws_ok(
    'UPDATE crypto.organization_data_keys SET version = 9 WHERE version = 1',
    '42501', NULL, 'the system pool cannot renumber a key'
);
SELECT throws_ok(
    'DELETE FROM crypto.organization_data_keys', '42501', NULL,
    'the system pool cannot delete keys'
);

SELECT set_config('app.current_org_id', '', TRUE);
SELECT is(
    (SELECT count(*)::int FROM crypto.organization_data_keys), 0,
    'the system pool acting for no organization sees no key'
);

-- The request pool has no access at all, even as the owner of A acting in A.
SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT throws_ok(
    'SELECT 1 FROM crypto.organization_data_keys', '42501', NULL,
    'the request pool cannot read keys'
);
SELECT throws_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%L, 3, 'local-k1', '\x01ee')$$,
        :'org_a'
    ),
    '42501', NULL, 'the request pool cannot store keys'
);
SELECT tests.clear_authentication();
SELECT ok(
    NOT has_schema_privilege('restartix_app', 'crypto', 'USAGE')
    AND NOT has_table_privilege(
        'restartix_app', 'crypto.organization_data_keys', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'
    )
    AND NOT has_any_column_privilege('restartix_app', 'crypto.organization_data_keys', 'SELECT, INSERT, UPDATE'),
    'the request pool holds no privilege on the crypto schema or the key table'
);

-- One way only: live -> retired -> destroyed.
SELECT tests.authenticate_as_system();
SELECT set_config('app.current_org_id', :'org_a', TRUE);
SELECT results_eq(
    'UPDATE crypto.organization_data_keys SET retired_at = util.now() WHERE version = 1 RETURNING version',
    'VALUES (1)',
    'a live key is retired'
);
SELECT throws_like(
    'UPDATE crypto.organization_data_keys SET retired_at = NULL WHERE version = 1',
    '%cannot be un-retired%',
    'a retired key cannot be un-retired'
);
SELECT throws_like(
    $$UPDATE crypto.organization_data_keys SET retired_at = util.now() + interval '1 day' WHERE version = 1$$,
    '%cannot be un-retired%',
    'the retirement time of a retired key cannot change'
);
SELECT lives_ok(
    $$UPDATE crypto.organization_data_keys SET kek_id = 'local-k2', data_key_encrypted = '\x01c1'
      WHERE version = 1$$,
    'a retired key can still be rewrapped under a new KEK'
);
SELECT throws_ok(
    'UPDATE crypto.organization_data_keys SET destroyed_at = util.now() WHERE version = 2',
    '23514', NULL, 'a key is not destroyed while its wrapped bytes remain'
);
SELECT results_eq(
    $$UPDATE crypto.organization_data_keys SET data_key_encrypted = NULL, destroyed_at = util.now()
      WHERE version = 2 RETURNING version$$,
    'VALUES (2)',
    'a key is destroyed by erasing its wrapped bytes'
);
SELECT throws_like(
    $$UPDATE crypto.organization_data_keys SET data_key_encrypted = '\x01a2', destroyed_at = NULL
      WHERE version = 2$$,
    '%was destroyed%',
    'a destroyed key cannot be revived'
);
SELECT throws_like(
    $$UPDATE crypto.organization_data_keys SET kek_id = 'local-k3' WHERE version = 2$$,
    '%was destroyed%',
    'a destroyed key cannot change at all'
);
SELECT throws_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%L, 2, 'local-k1', '\x01dd')$$,
        :'org_a'
    ),
    '23505', NULL, 'a destroyed version number is never reused'
);

-- Not even the owner or a superuser deletes, renumbers or numbers keys from zero.
SELECT tests.clear_authentication();
SELECT throws_like(
    'DELETE FROM crypto.organization_data_keys',
    '%cannot be deleted%',
    'nobody deletes a key, the superuser included'
);
SELECT throws_like(
    format('UPDATE crypto.organization_data_keys SET version = 7 WHERE organization_id = %L AND version = 1', :'org_a'),
    '%cannot be renumbered%',
    'nobody renumbers a key, the superuser included'
);
SELECT throws_ok(
    format(
        $$INSERT INTO crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
          VALUES (%L, 0, 'local-k1', '\x01')$$,
        :'org_b'
    ),
    '23514', NULL, 'key versions start at 1'
);

-- Audited as the system, with the wrapped key never in the log.
SELECT bag_eq(
    format(
        $$SELECT action, actor_type, new_values ->> 'data_key_encrypted' AS wrapped,
                 new_values ->> 'kek_id' AS kek_id
          FROM audit.audit_log
          WHERE entity_type = 'crypto.organization_data_keys' AND entity_id = %L$$,
        :'org_a' || ',1'
    ),
    $$VALUES
        ('insert', 'system', '[redacted]', 'local-k1'),
        ('update', 'system', NULL, NULL),
        ('update', 'system', '[redacted]', 'local-k2')$$,
    'creating, retiring and rewrapping a key are audited, the wrapped key redacted'
);
SELECT results_eq(
    format(
        $$SELECT changed_columns, old_values ->> 'data_key_encrypted' AS old_wrapped,
                 new_values ->> 'data_key_encrypted' AS new_wrapped
          FROM audit.audit_log
          WHERE entity_type = 'crypto.organization_data_keys' AND entity_id = %L AND action = 'update'$$,
        :'org_a' || ',2'
    ),
    $$VALUES (ARRAY['data_key_encrypted', 'destroyed_at'], '[redacted]', '[redacted]')$$,
    'destroying a key is audited without its wrapped bytes'
);

SELECT * FROM finish();
ROLLBACK;
