-- Monthly partitions of the audit tables: created ahead by `restartix audit roll-partitions`
-- (monthly, from the worker's scheduler) and by every migrate for this month and the next.
-- There is no default partition: a month without one makes the audited write fail loudly.

CREATE OR REPLACE FUNCTION audit.ensure_partitions(p_ahead integer DEFAULT 3, p_from timestamptz DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_first date := pg_catalog.date_trunc('month', coalesce(p_from, util.now()) AT TIME ZONE 'UTC')::date;
    v_month date;
    v_parent text;
    v_name text;
BEGIN
    IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 36 THEN
        RAISE EXCEPTION 'ahead must be between 0 and 36 months, got %', p_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..p_ahead LOOP
        v_month := (v_first + pg_catalog.make_interval(months => i))::date;
        -- The audit rows first: the provenance partition's foreign key points at them.
        FOREACH v_parent IN ARRAY ARRAY['audit_log', 'audit_ai_provenance'] LOOP
            v_name := v_parent || '_p' || pg_catalog.to_char(v_month, 'YYYY_MM');
            IF pg_catalog.to_regclass('audit.' || v_name) IS NULL THEN
                EXECUTE pg_catalog.format(
                    'CREATE TABLE audit.%I PARTITION OF audit.%I FOR VALUES FROM (%L) TO (%L)',
                    v_name, v_parent,
                    (v_month::timestamp AT TIME ZONE 'UTC'),
                    ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')
                );
                -- Partitions are reached only through their parent; directly, nobody reads them.
                EXECUTE pg_catalog.format('ALTER TABLE audit.%I ENABLE ROW LEVEL SECURITY', v_name);
                EXECUTE pg_catalog.format('ALTER TABLE audit.%I FORCE ROW LEVEL SECURITY', v_name);
                EXECUTE pg_catalog.format(
                    'CREATE TRIGGER %I BEFORE TRUNCATE ON audit.%I '
                    'FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()',
                    v_name || '_no_truncate', v_name
                );
                RETURN NEXT 'audit.' || v_name;
            END IF;
        END LOOP;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION audit.ensure_partitions(integer, timestamptz) IS 'Creates the missing monthly partitions of both audit tables from this month to N months ahead; returns the ones created.';

CREATE OR REPLACE FUNCTION audit.retire_month(p_month date) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_suffix text := '_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF pg_catalog.date_trunc('month', p_month) >= pg_catalog.date_trunc('month', util.now()) THEN
        RAISE EXCEPTION 'refusing to retire the current or a future month (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Provenance first: its foreign key references the audit month being dropped.
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS audit.%I', 'audit_ai_provenance' || v_suffix);
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS audit.%I', 'audit_log' || v_suffix);
END;
$$;
COMMENT ON FUNCTION audit.retire_month(date) IS 'Drops one past month of both audit tables together, after it has been archived (owner only).';

REVOKE EXECUTE ON FUNCTION audit.retire_month(date) FROM public;
GRANT EXECUTE ON FUNCTION audit.ensure_partitions(integer, timestamptz) TO restartix_system;

SELECT audit.ensure_partitions(1);
