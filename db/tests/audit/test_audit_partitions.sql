-- Rolling partitions forward: idempotent, both tables, no default partition.
BEGIN;
SELECT plan(8);

SELECT is_empty(
    $$SELECT 1 FROM pg_partitioned_table AS p JOIN pg_class AS c ON c.oid = p.partrelid
      WHERE c.relnamespace = 'audit'::regnamespace AND p.partdefid <> 0$$,
    'the audit tables have no default partition'
);
SELECT results_eq(
    $$SELECT count(*)::int FROM audit.ensure_partitions(2, '2031-01-20 00:00+00')$$, 'VALUES (6)',
    'rolling three months ahead creates three partitions of each table'
);
SELECT is_empty($$SELECT * FROM audit.ensure_partitions(2, '2031-01-20 00:00+00')$$, 'rolling again creates nothing');
SELECT has_table('audit', 'audit_log_p2031_03', 'the audit log has the third month');
SELECT has_table('audit', 'audit_ai_provenance_p2031_03', 'the provenance table has the third month');
SELECT is(
    pg_get_expr(c.relpartbound, c.oid),
    $$FOR VALUES FROM ('2031-02-01 00:00:00+00') TO ('2031-03-01 00:00:00+00')$$,
    'a month is bounded by UTC midnights'
) FROM pg_class AS c WHERE c.oid = 'audit.audit_log_p2031_02'::regclass;
SELECT throws_ok($$SELECT audit.ensure_partitions(-1)$$, '22023', NULL, 'a negative horizon is refused');

SELECT tests.freeze_time('2031-02-10 12:00+00');
SELECT lives_ok($$SELECT tests.create_org('clinic-feb')$$, 'a write in a rolled month succeeds');

SELECT * FROM finish();
ROLLBACK;
