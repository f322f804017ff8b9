-- Soft delete (docs/conventions.md): a DELETE on a table carrying the soft_delete trigger
-- stamps deleted_at instead of removing the row, so the row stays for the audit trail and
-- for restore. Who may delete is the table's DELETE policy; who may see and restore deleted
-- rows is its restore policies; normal reads see live rows only.

CREATE OR REPLACE FUNCTION util.soft_delete_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- A cascade from a parent's hard delete (an organization purge) really deletes: a
    -- suppressed cascade would leave rows pointing at a parent that no longer exists.
    IF pg_catalog.pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    -- The DELETE policy already allowed this row. The stamp runs as the owner because the
    -- deleted row is, by design, no longer visible to the deleter (RLS would refuse the
    -- UPDATE's new row); the audit trigger records it as an update of deleted_at.
    IF OLD.deleted_at IS NULL THEN
        EXECUTE pg_catalog.format(
            'UPDATE %I.%I SET deleted_at = util.now() WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME
        ) USING OLD.id;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION util.soft_delete_row() IS 'BEFORE DELETE trigger: turns a delete the policies allowed into deleted_at = now().';

CREATE OR REPLACE FUNCTION util.soft_delete(p_table regclass, p_id uuid) RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_found boolean;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_trigger AS t
        WHERE t.tgrelid = p_table
          AND t.tgfoid = 'util.soft_delete_row()'::pg_catalog.regprocedure
          AND t.tgenabled <> 'D'
    ) THEN
        RAISE EXCEPTION '% has no soft_delete trigger; a DELETE there would remove the row', p_table
            USING ERRCODE = 'feature_not_supported';
    END IF;
    -- Runs as the caller, so the table's policies decide; the DELETE reports no rows (the
    -- trigger cancels the physical delete), hence the look before and after.
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND deleted_at IS NULL)', p_table
    ) INTO v_found USING p_id;
    IF NOT v_found THEN
        RETURN false;
    END IF;
    EXECUTE pg_catalog.format('DELETE FROM %s WHERE id = $1', p_table) USING p_id;
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND deleted_at IS NULL)', p_table
    ) INTO v_found USING p_id;
    RETURN NOT v_found;
END;
$$;
COMMENT ON FUNCTION util.soft_delete(regclass, uuid) IS 'Soft-delete one live row as the caller (policies apply); true if it was deleted.';

CREATE OR REPLACE FUNCTION util.restore(p_table regclass, p_id uuid) RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    -- As the caller: only a restore policy lets a deleted row be seen and updated.
    EXECUTE pg_catalog.format(
        'UPDATE %s SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL', p_table
    ) USING p_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count > 0;
END;
$$;
COMMENT ON FUNCTION util.restore(regclass, uuid) IS 'Restore one soft-deleted row as the caller (restore policies apply); true if it was restored.';

GRANT EXECUTE ON FUNCTION util.soft_delete(regclass, uuid), util.restore(regclass, uuid)
TO restartix_app, restartix_system;
