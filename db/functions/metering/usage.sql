-- Recording usage (docs/metering.md): one event per idempotency key, its month's rollup
-- updated in the same transaction, and the quota checked through billing.enforce_limit
-- under the same per-(organization, limit) lock, so concurrent recorders cannot both take
-- the last unit. Plus the monthly partitions of the event table.

-- No SET clause, so the planner inlines it (it sits on the write path of every report); the
-- only names it uses are in pg_catalog.
CREATE OR REPLACE FUNCTION metering.period_start(p_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.date_trunc('month', p_at AT TIME ZONE 'UTC')::date $$;
COMMENT ON FUNCTION metering.period_start(timestamptz) IS 'The first day of the UTC month an instant falls in: the metering period.';

CREATE OR REPLACE FUNCTION metering.ensure_partitions(p_ahead integer DEFAULT 3, p_from timestamptz DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- No default partition, as for the audit log: an uncovered month fails loudly (23514)
-- instead of filling a catch-all that would later block attaching the real month.
DECLARE
    v_first date := metering.period_start(coalesce(p_from, util.now()));
    v_month date;
    v_name text;
BEGIN
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        v_name := util.ensure_month_partition(
            'metering', 'usage_events', v_month,
            (v_month::timestamp AT TIME ZONE 'UTC')::text,
            ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text
        );
        IF v_name IS NOT NULL THEN
            RETURN NEXT 'metering.' || v_name;
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION metering.ensure_partitions(integer, timestamptz) IS 'Creates the missing monthly usage event partitions from a month (default: this one) to N months ahead; returns the ones created.';

CREATE OR REPLACE FUNCTION metering.retire_month(p_month date) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_start date := metering.period_start(p_month::timestamp AT TIME ZONE 'UTC');
BEGIN
    -- The current month and the one before still take late reports; rollups stay forever.
    IF v_start >= (metering.period_start(util.now()) - INTERVAL '1 month')::date THEN
        RAISE EXCEPTION 'refusing to retire a month that still takes usage reports (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS metering.%I', 'usage_events_p' || pg_catalog.to_char(v_start, 'YYYY_MM'));
    DELETE FROM metering.usage_event_keys AS k
    WHERE k.occurred_at >= (v_start::timestamp AT TIME ZONE 'UTC')
      AND k.occurred_at < ((v_start + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC');
END;
$$;
COMMENT ON FUNCTION metering.retire_month(date) IS 'Drops one closed month of usage events and its idempotency keys (owner only); the rollups stay.';

CREATE OR REPLACE FUNCTION metering.limit_period_usage(p_org uuid, p_limit_code text) RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- plpgsql, so its plans are cached per session: it runs inside every quota check.
DECLARE
    v_meter text;
BEGIN
    SELECT m.code INTO v_meter
    FROM metering.meters AS m
    INNER JOIN billing.limit_definitions AS d ON d.code = m.limit_code
    WHERE m.limit_code = p_limit_code AND d.period = 'month';
    IF v_meter IS NULL THEN
        RETURN NULL;
    END IF;
    -- One primary-key read of this month's rollup, however many events there are.
    RETURN coalesce((
        SELECT r.quantity FROM metering.usage_rollups AS r
        WHERE r.organization_id = p_org AND r.meter = v_meter
          AND r.period_start = metering.period_start(util.now())
    ), 0);
END;
$$;
COMMENT ON FUNCTION metering.limit_period_usage(uuid, text) IS 'This month''s metered usage of a per-month limit for an organization (NULL when no meter counts against it).';

CREATE OR REPLACE FUNCTION metering.record_usage(
    p_meter text, p_quantity bigint, p_occurred_at timestamptz, p_idempotency_key text
) RETURNS TABLE (event_id uuid, duplicate boolean, period_start date, period_quantity bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
    v_meter metering.meters;
    v_limit_period text;
    v_period date;
    v_key metering.usage_event_keys;
    v_event uuid;
    v_total bigint;
BEGIN
    IF v_org IS NULL OR NOT EXISTS (
        SELECT 1 FROM tenancy.organizations AS o WHERE o.id = v_org AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    -- Usage is reported by the platform's own services: the system pool, or a request acting
    -- as an active member of the organization (the feature route authorizes the action).
    IF util.called_from_request_pool()
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Usage is recorded only in an organization the acting principal is an active member of.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO v_meter FROM metering.meters AS m WHERE m.code = p_meter;
    IF v_meter.code IS NULL THEN
        RAISE EXCEPTION 'meter_unknown' USING DETAIL = pg_catalog.format('No meter %s.', coalesce(p_meter, 'NULL'));
    END IF;
    IF p_quantity IS NULL OR p_quantity < 1 OR p_quantity > 1000000000000 THEN
        RAISE EXCEPTION 'usage_quantity_invalid' USING DETAIL = 'The quantity is a whole number from 1 to 10^12.';
    END IF;
    IF p_idempotency_key IS NULL OR pg_catalog.length(p_idempotency_key) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'idempotency_key_invalid' USING DETAIL = 'The idempotency key is 1 to 200 characters.';
    END IF;
    -- Late reports are taken for this month and the previous one (both partitions exist);
    -- the clock may run a little ahead at the reporter.
    IF p_occurred_at IS NULL
       OR p_occurred_at > util.now() + INTERVAL '5 minutes'
       OR p_occurred_at < (metering.period_start(util.now()) - INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC' THEN
        RAISE EXCEPTION 'usage_out_of_window'
            USING DETAIL = 'Usage is reported for the current or the previous month, never ahead of time.';
    END IF;
    v_period := metering.period_start(p_occurred_at);

    -- The limit's lock first, then the dedupe, then the check: a retried report waits for the
    -- original, finds its key and is answered as a duplicate, never as over the limit.
    IF v_meter.limit_code IS NOT NULL THEN
        PERFORM billing.lock_limit(v_org, v_meter.limit_code);
        SELECT d.period INTO v_limit_period FROM billing.limit_definitions AS d WHERE d.code = v_meter.limit_code;
    END IF;

    INSERT INTO metering.usage_event_keys AS k (organization_id, idempotency_key, event_id, meter, quantity, occurred_at)
    VALUES (v_org, p_idempotency_key, pg_catalog.gen_random_uuid(), p_meter, p_quantity, p_occurred_at)
    ON CONFLICT (organization_id, idempotency_key) DO NOTHING
    RETURNING k.event_id INTO v_event;
    IF v_event IS NULL THEN
        SELECT * INTO v_key FROM metering.usage_event_keys AS k
        WHERE k.organization_id = v_org AND k.idempotency_key = p_idempotency_key;
        IF v_key.meter <> p_meter OR v_key.quantity <> p_quantity OR v_key.occurred_at <> p_occurred_at THEN
            RAISE EXCEPTION 'idempotency_key_reused'
                USING DETAIL = 'This idempotency key already recorded different usage (meter, quantity or time).';
        END IF;
        RETURN QUERY
        SELECT v_key.event_id, true, metering.period_start(v_key.occurred_at), coalesce((
            SELECT r.quantity FROM metering.usage_rollups AS r
            WHERE r.organization_id = v_org AND r.meter = p_meter
              AND r.period_start = metering.period_start(v_key.occurred_at)
        ), 0);
        RETURN;
    END IF;

    -- A quota guards what is still to be consumed: only reports of the current month count
    -- against it; a late report for last month is recorded as it happened.
    IF v_limit_period = 'month' AND v_period = metering.period_start(util.now()) THEN
        PERFORM billing.enforce_limit(v_meter.limit_code, p_quantity);
    END IF;

    INSERT INTO metering.usage_events (id, organization_id, meter, quantity, occurred_at, idempotency_key, recorded_by)
    VALUES (
        v_event, v_org, p_meter, p_quantity, p_occurred_at, p_idempotency_key,
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001')
    );
    INSERT INTO metering.usage_rollups AS r (organization_id, meter, period_start, quantity, event_count)
    VALUES (v_org, p_meter, v_period, p_quantity, 1)
    ON CONFLICT ON CONSTRAINT usage_rollups_pkey DO UPDATE
    SET quantity = r.quantity + excluded.quantity,
        event_count = r.event_count + 1,
        updated_at = util.now()
    RETURNING r.quantity INTO v_total;

    RETURN QUERY SELECT v_event, false, v_period, v_total;
END;
$$;
COMMENT ON FUNCTION metering.record_usage(text, bigint, timestamptz, text) IS 'Record usage for the current organization once per idempotency key, update its monthly rollup and enforce the meter''s quota race-free.';

REVOKE EXECUTE ON FUNCTION metering.retire_month(date) FROM public;
GRANT EXECUTE ON FUNCTION metering.period_start(timestamptz) TO restartix_app, restartix_system;
-- Usage is reported by the trusted side (workers, domain functions), never by a request.
REVOKE EXECUTE ON FUNCTION metering.record_usage(text, bigint, timestamptz, text) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION metering.record_usage(text, bigint, timestamptz, text) TO restartix_system;
GRANT EXECUTE ON FUNCTION metering.ensure_partitions(integer, timestamptz) TO restartix_system;

-- From the previous month: a fresh database takes late reports from the start.
SELECT metering.ensure_partitions(2, util.now() - interval '1 month');
