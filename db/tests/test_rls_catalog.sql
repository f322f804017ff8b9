-- The catalog rules every table must keep, whoever adds it.
BEGIN;
SELECT plan(4);

-- Tables the request pool may touch without row-level security; each needs a reason.
CREATE TEMP TABLE rls_allow_list (relation text PRIMARY KEY, reason text NOT NULL);
-- (empty: today every table the request pool can reach is behind forced RLS)

SELECT is_empty(
    $$
    SELECT n.nspname || '.' || c.relname
    FROM pg_class AS c
    INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
    INNER JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
    $$,
    'every table with organization_id has row-level security enabled and forced'
);

SELECT is_empty(
    $$
    SELECT n.nspname || '.' || c.relname
    FROM pg_class AS c
    INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
      AND (
          has_table_privilege('restartix_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
          OR has_any_column_privilege('restartix_app', c.oid, 'SELECT, INSERT, UPDATE')
      )
      AND n.nspname || '.' || c.relname NOT IN (SELECT relation FROM rls_allow_list)
      AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
    $$,
    'every relation the request pool can reach is behind forced RLS or on the allow-list'
);

SELECT is_empty(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_proc AS p
    INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE p.prosecdef
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT coalesce(p.proconfig @> ARRAY['search_path=""'], false)
    $$,
    'every security-definer function pins search_path to the empty string'
);

SELECT is_empty(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_proc AS p
    INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
    LEFT JOIN pg_depend AS d ON d.objid = p.oid AND d.deptype = 'e'
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND d.objid IS NULL
      AND obj_description(p.oid, 'pg_proc') IS NULL
    $$,
    'every function has a one-line comment'
);

SELECT * FROM finish();
ROLLBACK;
