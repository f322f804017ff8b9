-- The life of a data key (docs/encryption.md): live -> retired -> destroyed, never back.
-- And the list of encrypted columns `restartix crypto rotate` re-encrypts.

CREATE OR REPLACE FUNCTION crypto.guard_data_key_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    -- Applies to every role, the owner included: a deleted or revived key would let a
    -- version number be reused or a shredded organization's fields be read again.
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'data key % of organization % cannot be deleted; destroy it instead',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.destroyed_at IS NOT NULL THEN
        RAISE EXCEPTION 'data key % of organization % was destroyed; it cannot change',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.organization_id IS DISTINCT FROM OLD.organization_id
       OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'data key % of organization % cannot be renumbered, moved or redated',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.retired_at IS NOT NULL AND NEW.retired_at IS DISTINCT FROM OLD.retired_at THEN
        RAISE EXCEPTION 'data key % of organization % is retired; it cannot be un-retired',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION crypto.guard_data_key_change() IS 'Keeps data keys one-way: no delete, no renumbering, no un-retiring, destroyed keys frozen.';

CREATE OR REPLACE TRIGGER organization_data_keys_guard
BEFORE UPDATE OR DELETE ON crypto.organization_data_keys
FOR EACH ROW EXECUTE FUNCTION crypto.guard_data_key_change();

-- Its result columns changed once; CREATE OR REPLACE cannot change a function's result type.
DROP FUNCTION IF EXISTS crypto.encrypted_columns();
CREATE FUNCTION crypto.encrypted_columns()
RETURNS TABLE (table_schema text, table_name text, column_name text, row_key text)
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    -- Classified pii_regulated or auth_secret, stored as bytea *_encrypted, in a table with
    -- organization_id and a row key: the column id, else a one-column primary key (e.g.
    -- billing.organization_billing, one row per organization). Every field's encryption
    -- context names the organization and that row key.
    SELECT cc.table_schema, cc.table_name, cc.column_name, coalesce(id_col.attname, pk_col.attname)::text
    FROM util.column_classification AS cc
    INNER JOIN pg_catalog.pg_namespace AS n ON n.nspname = cc.table_schema
    INNER JOIN pg_catalog.pg_class AS c
        ON c.relnamespace = n.oid AND c.relname = cc.table_name
    INNER JOIN pg_catalog.pg_attribute AS a
        ON a.attrelid = c.oid AND a.attname = cc.column_name AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attribute AS id_col
        ON id_col.attrelid = c.oid AND id_col.attname = 'id' AND NOT id_col.attisdropped
    LEFT JOIN pg_catalog.pg_index AS pk
        ON pk.indrelid = c.oid AND pk.indisprimary AND pk.indnkeyatts = 1
    LEFT JOIN pg_catalog.pg_attribute AS pk_col
        ON pk_col.attrelid = c.oid AND pk_col.attnum = pk.indkey[0]
    WHERE cc.class IN ('pii_regulated', 'auth_secret')
      AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND a.atttypid = 'pg_catalog.bytea'::pg_catalog.regtype
      AND cc.column_name LIKE '%\_encrypted'
      AND coalesce(id_col.attname, pk_col.attname) IS NOT NULL
      AND EXISTS (
          SELECT 1 FROM pg_catalog.pg_attribute AS o
          WHERE o.attrelid = c.oid AND o.attname = 'organization_id' AND NOT o.attisdropped
      )
    ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION crypto.encrypted_columns() IS 'Encrypted field columns by the registry, with the row key their encryption context names.';
