-- The audit trigger: one row in audit.audit_log for every INSERT, UPDATE and DELETE of a
-- tracked table, with the actor, organization, request and context of the transaction.

CREATE OR REPLACE FUNCTION audit.log_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- On the write path of every audited table: session values are read with current_setting
-- directly and no SQL-language helper is called, because each such call is planned anew.
DECLARE
    -- TG_ARGV[0]: {"org": column or null, "key": [pk columns], "masked": [...], "quiet": [...]}
    v_config jsonb := TG_ARGV[0]::jsonb;
    v_old jsonb;
    v_new jsonb;
    v_row jsonb;
    v_changed text [];
    v_masked jsonb := v_config -> 'masked';
    v_org uuid;
    v_entity text;
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_audit_id uuid;
    v_created_at timestamptz := util.now();
    v_provenance jsonb;
    v_key text;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := pg_catalog.to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := pg_catalog.to_jsonb(NEW); END IF;
    v_row := coalesce(v_new, v_old);

    IF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.array_agg(n.key ORDER BY n.key),
               pg_catalog.jsonb_object_agg(n.key, o.value),
               pg_catalog.jsonb_object_agg(n.key, n.value)
        INTO v_changed, v_old, v_new
        FROM pg_catalog.jsonb_each(v_new) AS n
        INNER JOIN pg_catalog.jsonb_each(v_old) AS o ON o.key = n.key
        WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at';
        -- An update that changes nothing, or only bookkeeping columns, is not an event.
        IF v_changed IS NULL
           OR (v_config -> 'quiet') OPERATOR(pg_catalog.@>) pg_catalog.to_jsonb(v_changed) THEN
            RETURN NULL;
        END IF;
    ELSE
        SELECT pg_catalog.array_agg(k ORDER BY k) INTO v_changed
        FROM pg_catalog.jsonb_object_keys(v_row) AS k;
    END IF;

    -- Values of pii_regulated and auth_secret columns never reach the log.
    IF pg_catalog.jsonb_array_length(v_masked) > 0 THEN
        FOR v_key IN SELECT pg_catalog.jsonb_array_elements_text(v_masked) LOOP
            IF v_old OPERATOR(pg_catalog.?) v_key THEN
                v_old := pg_catalog.jsonb_set(v_old, ARRAY[v_key], '"[redacted]"');
            END IF;
            IF v_new OPERATOR(pg_catalog.?) v_key THEN
                v_new := pg_catalog.jsonb_set(v_new, ARRAY[v_key], '"[redacted]"');
            END IF;
        END LOOP;
    END IF;

    v_org := CASE
        WHEN v_config ->> 'org' IS NOT NULL THEN (v_row ->> (v_config ->> 'org'))::uuid
        ELSE nullif(pg_catalog.current_setting('app.current_org_id', true), '')::uuid
    END;
    IF pg_catalog.jsonb_array_length(v_config -> 'key') = 1 THEN
        v_entity := v_row ->> (v_config -> 'key' ->> 0);
    ELSE
        SELECT pg_catalog.string_agg(v_row ->> k, ',' ORDER BY ord) INTO v_entity
        FROM pg_catalog.jsonb_array_elements_text(v_config -> 'key') WITH ORDINALITY AS key_columns (k, ord);
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        -- No actor, or an id that names no principal: recorded as the system, never dropped.
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    INSERT INTO audit.audit_log (
        created_at, organization_id, actor_id, actor_type, action, entity_type, entity_id,
        changed_columns, old_values, new_values, request_id, action_context,
        impersonation_id, break_glass_id, ip, user_agent
    ) VALUES (
        v_created_at, v_org, v_actor_id, v_actor_type, pg_catalog.lower(TG_OP),
        TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, v_entity, v_changed, v_old, v_new,
        nullif(pg_catalog.current_setting('app.request_id', true), ''),
        nullif(pg_catalog.current_setting('app.action_context', true), ''),
        nullif(pg_catalog.current_setting('app.impersonation_id', true), '')::uuid,
        nullif(pg_catalog.current_setting('app.break_glass_id', true), '')::uuid,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512)
    ) RETURNING id INTO v_audit_id;

    v_provenance := nullif(pg_catalog.current_setting('app.ai_provenance', true), '')::jsonb;
    IF v_provenance IS NOT NULL THEN
        INSERT INTO audit.audit_ai_provenance (
            audit_log_id, audit_log_created_at, organization_id, model, prompt_hash, tool_calls,
            confidence, details
        ) VALUES (
            v_audit_id, v_created_at, v_org, v_provenance ->> 'model', v_provenance ->> 'prompt_hash',
            coalesce(v_provenance -> 'tool_calls', '[]'::jsonb), (v_provenance ->> 'confidence')::numeric,
            v_provenance - ARRAY['model', 'prompt_hash', 'tool_calls', 'confidence']
        );
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION audit.log_change() IS 'AFTER ROW trigger writing one audit row per mutation (sensitive values masked); attach with audit.track().';

CREATE OR REPLACE FUNCTION audit.track(
    p_table regclass, p_org_column text DEFAULT 'organization_id', p_quiet text [] DEFAULT '{}'
) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_schema text;
    v_name text;
    v_config jsonb;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_name
    FROM pg_catalog.pg_class AS c INNER JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.oid = p_table;

    v_config := pg_catalog.jsonb_build_object(
        'org', CASE WHEN EXISTS (
            SELECT 1 FROM pg_catalog.pg_attribute AS a
            WHERE a.attrelid = p_table AND a.attname = p_org_column AND NOT a.attisdropped
        ) THEN p_org_column END,
        'key', (
            SELECT pg_catalog.jsonb_agg(a.attname ORDER BY k.ord)
            FROM pg_catalog.pg_index AS i
            CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k (attnum, ord)
            INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = p_table AND i.indisprimary
        ),
        -- Values of these classes are never written to the audit log, only the column name
        -- (clinical_sensitive: health data whose sensitivity varies per row, e.g. form answers).
        'masked', coalesce((
            SELECT pg_catalog.jsonb_agg(cc.column_name ORDER BY cc.column_name)
            FROM util.column_classification AS cc
            WHERE cc.table_schema = v_schema AND cc.table_name = v_name
              AND cc.class IN ('pii_regulated', 'auth_secret', 'clinical_sensitive')
        ), '[]'::jsonb),
        'quiet', pg_catalog.to_jsonb(p_quiet)
    );
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE TRIGGER audit_log_changes AFTER INSERT OR UPDATE OR DELETE ON %s '
        'FOR EACH ROW EXECUTE FUNCTION audit.log_change(%L)',
        p_table, v_config::text
    );
END;
$$;
COMMENT ON FUNCTION audit.track(regclass, text, text []) IS 'Attaches (or refreshes) the audit trigger of a table with its org column, key and masked columns.';

CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
COMMENT ON FUNCTION audit.refuse_change() IS 'Raises for any UPDATE, DELETE or TRUNCATE of audit rows, whoever runs it.';

CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit.audit_log
FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit.audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE OR REPLACE TRIGGER audit_ai_provenance_append_only BEFORE UPDATE OR DELETE ON audit.audit_ai_provenance
FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE OR REPLACE TRIGGER audit_ai_provenance_no_truncate BEFORE TRUNCATE ON audit.audit_ai_provenance
FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
