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
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        -- The audit rows first: the provenance partition's foreign key points at them.
        FOREACH v_parent IN ARRAY ARRAY['audit_log', 'audit_ai_provenance'] LOOP
            v_name := util.ensure_month_partition(
                'audit', v_parent, v_month,
                (v_month::timestamp AT TIME ZONE 'UTC')::text,
                ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text
            );
            IF v_name IS NOT NULL THEN
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
