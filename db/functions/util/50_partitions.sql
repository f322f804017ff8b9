-- Monthly partitions, shared by the audit log, the outbox and the usage events: which months
-- a roll covers, and creating one month's partition the way every partitioned table wants it.

CREATE OR REPLACE FUNCTION util.months_ahead(p_first date, p_ahead integer) RETURNS SETOF date
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
BEGIN
    IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 36 THEN
        RAISE EXCEPTION 'ahead must be between 0 and 36 months, got %', p_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..p_ahead LOOP
        RETURN NEXT (p_first + pg_catalog.make_interval(months => i))::date;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION util.months_ahead(date, integer) IS 'The first days of p_first''s month and the p_ahead (0 to 36) months after it.';

CREATE OR REPLACE FUNCTION util.ensure_month_partition(
    p_schema text, p_parent text, p_month date, p_from text, p_to text
) RETURNS text
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_name text := p_parent || '_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', p_schema, v_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
        p_schema, v_name, p_schema, p_parent, p_from, p_to
    );
    -- Partitions are reached only through their parent; directly, nobody reads them.
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', p_schema, v_name);
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', p_schema, v_name);
    RETURN v_name;
END;
$$;
COMMENT ON FUNCTION util.ensure_month_partition(text, text, date, text, text) IS 'Creates <parent>_pYYYY_MM for one month with the given bounds, under forced RLS, unless it exists; returns its name, or NULL when it existed.';

REVOKE EXECUTE ON FUNCTION util.ensure_month_partition(text, text, date, text, text) FROM public;
