-- Patient subscriptions run in monthly periods (current_period_start/end). Rolling moves a
-- subscription whose period has ended to the period that contains now; the catalog's
-- provisioning hook (a trigger on the period columns) then grants the new period's enrollments.

CREATE OR REPLACE FUNCTION people.roll_subscription_periods(p_limit integer DEFAULT 1000, p_subscription uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A subscription several periods behind (the worker was down) jumps straight to the period
-- containing now: the missed periods are over, so enrollments for them would be born expired.
-- SKIP LOCKED lets two workers share the backlog. Returns how many subscriptions rolled.
DECLARE
    v_n integer;
BEGIN
    WITH due AS (
        SELECT s.id, s.current_period_start AS s0,
               (pg_catalog.date_part('year', pg_catalog.age(util.now(), s.current_period_start)) * 12
                + pg_catalog.date_part('month', pg_catalog.age(util.now(), s.current_period_start)))::integer AS m
        FROM people.patient_subscriptions AS s
        WHERE s.status = 'active' AND s.current_period_end <= util.now()
          AND (p_subscription IS NULL OR s.id = p_subscription)
        ORDER BY s.current_period_end
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE people.patient_subscriptions AS s
    SET current_period_start = d.s0 + pg_catalog.make_interval(months => GREATEST(d.m, 1)),
        current_period_end = d.s0 + pg_catalog.make_interval(months => GREATEST(d.m, 1) + 1)
    FROM due AS d
    WHERE s.id = d.id;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END;
$$;
COMMENT ON FUNCTION people.roll_subscription_periods(integer, uuid) IS 'System: moves active patient subscriptions whose period ended to the period containing now (the worker task roll_subscription_periods).';

REVOKE EXECUTE ON FUNCTION people.roll_subscription_periods(integer, uuid) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.roll_subscription_periods(integer, uuid) TO restartix_system;
