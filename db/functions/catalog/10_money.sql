-- Money and the derived enrollment state: small pure functions the rest of the domain and
-- its queries share.

CREATE OR REPLACE FUNCTION catalog.add_money(p_total catalog.money, p_next catalog.money) RETURNS catalog.money
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- Amounts of different currencies have no sum: adding them is an error, never a number.
BEGIN
    IF p_next IS NULL OR p_next.amount IS NULL THEN
        RETURN p_total;
    END IF;
    IF p_total IS NULL OR p_total.amount IS NULL THEN
        RETURN p_next;
    END IF;
    IF p_total.currency IS DISTINCT FROM p_next.currency THEN
        RAISE EXCEPTION 'currency_mismatch' USING DETAIL = pg_catalog.format(
            'Amounts in %s and %s cannot be added.', p_total.currency, p_next.currency
        );
    END IF;
    RETURN ROW(p_total.amount + p_next.amount, p_total.currency)::catalog.money;
END;
$$;
COMMENT ON FUNCTION catalog.add_money(catalog.money, catalog.money) IS 'The sum of two amounts of one currency; raises currency_mismatch for two currencies.';

CREATE OR REPLACE AGGREGATE catalog.sum_money(catalog.money) (
    sfunc = catalog.add_money,
    stype = catalog.money
);
COMMENT ON AGGREGATE catalog.sum_money(catalog.money) IS 'Sum of amounts of one currency; raises currency_mismatch when currencies differ.';

CREATE OR REPLACE FUNCTION catalog.enrollment_state(p_status text, p_period_start timestamptz, p_period_end timestamptz)
RETURNS text
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    -- 'expired' is derived at read time from the clock, so it never lags behind a job.
    SELECT CASE
        WHEN p_status = 'active' AND p_period_end <= util.now() THEN 'expired'
        WHEN p_status = 'active' AND p_period_start > util.now() THEN 'scheduled'
        ELSE p_status
    END;
$$;
COMMENT ON FUNCTION catalog.enrollment_state(text, timestamptz, timestamptz) IS 'An enrollment''s state now: the stored status, or expired (period over) / scheduled (not started).';

GRANT EXECUTE ON FUNCTION catalog.add_money(catalog.money, catalog.money), catalog.sum_money(catalog.money),
catalog.enrollment_state(text, timestamptz, timestamptz) TO restartix_app;
