-- Monthly partitions of the outbox, by the time in its ids (UTC months): created ahead by the
-- workers' periodic task and by every migrate for this month and the next. As for the audit
-- log there is no default partition: an uncovered month makes publishing fail loudly (and the
-- audited change with it) instead of filling a catch-all that later blocks the real month.

CREATE OR REPLACE FUNCTION events.ensure_partitions(p_ahead integer DEFAULT 3, p_from timestamptz DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    -- Event ids carry the real clock (never the frozen test clock), so months follow it too.
    v_first date := pg_catalog.date_trunc('month', coalesce(p_from, pg_catalog.now()) AT TIME ZONE 'UTC')::date;
    v_month date;
    v_name text;
    v_from text;
    v_to text;
BEGIN
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        v_from := util.uuid_v7_floor(v_month::timestamp AT TIME ZONE 'UTC')::text;
        v_to := util.uuid_v7_floor((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text;
        v_name := util.ensure_month_partition('events', 'outbox', v_month, v_from, v_to);
        -- Completed deliveries are recorded in their event's month: the two go together.
        PERFORM util.ensure_month_partition('events', 'delivery_history', v_month, v_from, v_to);
        IF v_name IS NOT NULL THEN
            RETURN NEXT 'events.' || v_name;
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION events.ensure_partitions(integer, timestamptz) IS 'Creates the missing monthly outbox partitions (and their delivery-history months) from this month to N months ahead; returns the outbox ones created.';

CREATE OR REPLACE FUNCTION events.retire_month(p_month date) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_start date := pg_catalog.date_trunc('month', p_month)::date;
    v_name text := 'outbox_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF v_start >= pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC')::date THEN
        RAISE EXCEPTION 'refusing to retire the current or a future month (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Work still owed (dead letters included) keeps its month: replay or discard it first.
    IF EXISTS (
        SELECT 1 FROM events.deliveries AS d
        WHERE d.event_id >= util.uuid_v7_floor(v_start::timestamp AT TIME ZONE 'UTC')
          AND d.event_id < util.uuid_v7_floor((v_start + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')
    ) THEN
        RAISE EXCEPTION 'events_month_has_deliveries'
            USING DETAIL = pg_catalog.format('deliveries still point into %s; finish, replay or discard them first', v_name);
    END IF;
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS events.%I', v_name);
    -- The month's record of completed deliveries goes with its events.
    EXECUTE pg_catalog.format(
        'DROP TABLE IF EXISTS events.%I', 'delivery_history_p' || pg_catalog.to_char(p_month, 'YYYY_MM')
    );
END;
$$;
COMMENT ON FUNCTION events.retire_month(date) IS 'Drops one past month of the outbox and its delivery history once no delivery points into it (owner only).';

REVOKE EXECUTE ON FUNCTION events.retire_month(date) FROM public;
GRANT EXECUTE ON FUNCTION events.ensure_partitions(integer, timestamptz) TO restartix_system;

SELECT events.ensure_partitions(1);
