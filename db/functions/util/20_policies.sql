-- Support for the drop-and-create policy files in db/policies.

CREATE OR REPLACE FUNCTION util.reset_policies(p_table regclass) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_policy name;
BEGIN
    -- Every policy of the table is dropped, so a policy removed from its file disappears too.
    FOR v_policy IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = p_table LOOP
        EXECUTE pg_catalog.format('DROP POLICY %I ON %s', v_policy, p_table);
    END LOOP;
    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
END;
$$;
COMMENT ON FUNCTION util.reset_policies(regclass) IS 'Drops every policy of a table and enables and forces row-level security on it.';
