-- The availability engine (docs/scheduling.md has the contract, rules 1-7). Local intervals
-- are wall-clock: [s, e) on date d in zone z is the set of instants whose local time on d
-- lies in [s, e). Each (zone, date) is cut into UTC segments of constant offset; a local
-- interval is, per segment, [d + s - offset, d + e - offset) clipped to the segment. That
-- makes a spring-forward bound in the skipped hour land on the transition instant and a
-- fall-back interval cover the repeated hour twice, with no special case.

CREATE OR REPLACE FUNCTION scheduling.zone_segments(p_zone text, p_date date)
RETURNS TABLE (seg tstzrange, utc_offset interval)
LANGUAGE plpgsql STABLE
ROWS 2
SET search_path = ''
AS $$
-- Every instant whose local date in p_zone is p_date lies in [d - 14 h, d + 36 h) UTC
-- (offsets run from -12 h to +14 h); the window is one hour wider each side. Zones change
-- offset at most once in such a window, so a bisection to the second finds the change.
DECLARE
    v_lo bigint := extract(EPOCH FROM (p_date::timestamp - INTERVAL '15 hours') AT TIME ZONE 'UTC')::bigint;
    v_hi bigint := extract(EPOCH FROM (p_date::timestamp + INTERVAL '37 hours') AT TIME ZONE 'UTC')::bigint;
    v_a interval;
    v_b interval;
    v_l bigint;
    v_h bigint;
    v_m bigint;
BEGIN
    v_a := (pg_catalog.to_timestamp(v_lo) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_lo) AT TIME ZONE 'UTC');
    v_b := (pg_catalog.to_timestamp(v_hi) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_hi) AT TIME ZONE 'UTC');
    IF v_a = v_b THEN
        seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_lo), pg_catalog.to_timestamp(v_hi));
        utc_offset := v_a;
        RETURN NEXT;
        RETURN;
    END IF;
    v_l := v_lo;
    v_h := v_hi;
    WHILE v_h - v_l > 1 LOOP
        v_m := (v_l + v_h) / 2;
        IF (pg_catalog.to_timestamp(v_m) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_m) AT TIME ZONE 'UTC') = v_a THEN
            v_l := v_m;
        ELSE
            v_h := v_m;
        END IF;
    END LOOP;
    seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_lo), pg_catalog.to_timestamp(v_h));
    utc_offset := v_a;
    RETURN NEXT;
    seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_h), pg_catalog.to_timestamp(v_hi));
    utc_offset := v_b;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION scheduling.zone_segments(text, date) IS 'Internal: the UTC segments of constant offset covering every instant of a local date in a zone.';

CREATE OR REPLACE FUNCTION scheduling.check_zone(p_zone text, p_parameter text DEFAULT 'timezone') RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF p_zone IS NULL OR NOT EXISTS (SELECT 1 FROM scheduling.time_zones AS z WHERE z.name = p_zone) THEN
        RAISE EXCEPTION 'invalid_query'
            USING DETAIL = pg_catalog.format('%s: %s is not an IANA time zone name (e.g. Europe/Bucharest).',
                p_parameter, coalesce(p_zone, 'null'));
    END IF;
END;
$$;
COMMENT ON FUNCTION scheduling.check_zone(text, text) IS 'Internal: raises invalid_query naming the parameter unless the zone is a known IANA name, exact case.';

CREATE OR REPLACE FUNCTION scheduling.rfc3339(p_at timestamptz, p_zone text) RETURNS text
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    SELECT pg_catalog.to_char(p_at AT TIME ZONE p_zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.off < INTERVAL '0' THEN '-' ELSE '+' END
        || pg_catalog.to_char(pg_catalog.abs(extract(EPOCH FROM o.off)::integer) / 3600, 'FM00')
        || ':'
        || pg_catalog.to_char(pg_catalog.abs(extract(EPOCH FROM o.off)::integer) % 3600 / 60, 'FM00')
    FROM (SELECT (p_at AT TIME ZONE p_zone) - (p_at AT TIME ZONE 'UTC') AS off) AS o
$$;
COMMENT ON FUNCTION scheduling.rfc3339(timestamptz, text) IS 'Internal: an instant as RFC 3339 with seconds and the zone''s offset at that instant.';

CREATE OR REPLACE FUNCTION scheduling.availability(
    p_calendar_id uuid, p_from date, p_to date, p_query_tz text, p_holds jsonb DEFAULT '[]'
) RETURNS TABLE (slot_start timestamptz, slot_end timestamptz, specialist_ids uuid [], start_text text, end_text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
-- Once the tables are analyzed the planner's estimates (set-returning functions guessed at
-- 1,000 rows) cross jit_above_cost, and compiling the plan costs 1-2 s a call for a query
-- that runs in milliseconds.
SET jit = off
-- A custom plan of the slot query is re-planned on every call and the planning costs more
-- than running it (about 3 ms of a 1-specialist calendar's 6); the generic plan is cached
-- once per connection and the shape does not depend on the parameters' values.
SET plan_cache_mode = force_generic_plan
AS $$
-- The whole contract, for any calendar: callers check who may ask (member_availability,
-- public_availability). p_holds is [{"specialist_id", "start", "end"}] of live holds.
DECLARE
    v_cal scheduling.calendars;
    v_org_tz text;
    v_tz text;
    v_duration interval;
    v_slot interval;
    v_before interval;
    v_after interval;
    v_now timestamptz := util.now();
    v_cal_hours tstzmultirange;
    v_closed tstzmultirange;
    v_window tstzrange;
BEGIN
    IF p_from IS NULL THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'from: a date (YYYY-MM-DD) is required.';
    END IF;
    IF p_to IS NULL THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: a date (YYYY-MM-DD) is required.';
    END IF;
    IF p_to < p_from THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: must not be before from.';
    END IF;
    IF p_to - p_from + 1 > 62 THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: at most 62 dates from from, counting both.';
    END IF;
    IF p_holds IS NULL OR pg_catalog.jsonb_typeof(p_holds) <> 'array' THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'holds: a JSON array.';
    END IF;
    SELECT * INTO v_cal FROM scheduling.calendars AS c WHERE c.id = p_calendar_id AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar.';
    END IF;
    v_tz := coalesce(p_query_tz, v_cal.timezone);
    PERFORM scheduling.check_zone(v_tz, 'timezone');
    SELECT os.timezone INTO v_org_tz FROM tenancy.organization_settings AS os WHERE os.organization_id = v_cal.organization_id;
    v_org_tz := coalesce(v_org_tz, v_cal.timezone);
    SELECT
        pg_catalog.make_interval(mins => s.duration_minutes),
        pg_catalog.make_interval(mins => coalesce(v_cal.slot_interval_minutes, s.duration_minutes)),
        pg_catalog.make_interval(mins => coalesce(v_cal.buffer_before_minutes, s.buffer_before_minutes)),
        pg_catalog.make_interval(mins => coalesce(v_cal.buffer_after_minutes, s.buffer_after_minutes))
    INTO v_duration, v_slot, v_before, v_after
    FROM catalog.services AS s WHERE s.id = v_cal.service_id;

    -- Calendar hours (calendar zone) and closures (organization zone) as sets of instants
    -- over every local date that can touch the window.
    IF v_cal.hours IS NOT NULL THEN
        SELECT coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
            greatest(pg_catalog.lower(g.seg), ((dt.d + (h ->> 'start')::time) AT TIME ZONE 'UTC') - g.utc_offset),
            least(pg_catalog.upper(g.seg), ((dt.d + (h ->> 'end')::time) AT TIME ZONE 'UTC') - g.utc_offset)
        )), '{}')
        INTO v_cal_hours
        FROM pg_catalog.generate_series(p_from - 4, p_to + 4, INTERVAL '1 day') AS gs (x)
        CROSS JOIN LATERAL (SELECT gs.x::date AS d) AS dt
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(v_cal.hours) AS h
        CROSS JOIN LATERAL scheduling.zone_segments(v_cal.timezone, dt.d) AS g
        WHERE (h ->> 'weekday')::integer = extract(ISODOW FROM dt.d)
          AND greatest(pg_catalog.lower(g.seg), ((dt.d + (h ->> 'start')::time) AT TIME ZONE 'UTC') - g.utc_offset)
            < least(pg_catalog.upper(g.seg), ((dt.d + (h ->> 'end')::time) AT TIME ZONE 'UTC') - g.utc_offset);
    END IF;
    SELECT coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
        greatest(pg_catalog.lower(g.seg), (c.closure_date::timestamp AT TIME ZONE 'UTC') - g.utc_offset),
        least(pg_catalog.upper(g.seg), ((c.closure_date + 1)::timestamp AT TIME ZONE 'UTC') - g.utc_offset)
    )), '{}')
    INTO v_closed
    FROM scheduling.organization_closures AS c
    CROSS JOIN LATERAL scheduling.zone_segments(v_org_tz, c.closure_date) AS g
    WHERE c.organization_id = v_cal.organization_id
      AND c.closure_date BETWEEN p_from - 4 AND p_to + 4
      AND greatest(pg_catalog.lower(g.seg), (c.closure_date::timestamp AT TIME ZONE 'UTC') - g.utc_offset)
        < least(pg_catalog.upper(g.seg), ((c.closure_date + 1)::timestamp AT TIME ZONE 'UTC') - g.utc_offset);

    -- The instants whose local date in the query zone lies in [p_from, p_to], cut the way
    -- closures are (so a skipped or repeated midnight is handled alike): one comparison per
    -- candidate slot instead of a zone conversion each. The second and second-to-last dates
    -- count too, for a first or last date a zone skipped whole (Pacific/Apia, 2011-12-30).
    SELECT CASE WHEN count(*) = 0 THEN 'empty'::tstzrange ELSE pg_catalog.tstzrange(min(b.lo), max(b.hi)) END
    INTO v_window
    FROM (VALUES (p_from), (p_from + 1), (p_to - 1), (p_to)) AS dd (d)
    CROSS JOIN LATERAL scheduling.zone_segments(v_tz, dd.d) AS g
    CROSS JOIN LATERAL (SELECT
        greatest(pg_catalog.lower(g.seg), (dd.d::timestamp AT TIME ZONE 'UTC') - g.utc_offset) AS lo,
        least(pg_catalog.upper(g.seg), ((dd.d + 1)::timestamp AT TIME ZONE 'UTC') - g.utc_offset) AS hi
    ) AS b
    WHERE dd.d BETWEEN p_from AND p_to AND b.lo < b.hi;

    RETURN QUERY
    WITH members AS (
        SELECT cs.specialist_id, cs.hours, s.scheduling_timezone AS zone
        FROM scheduling.calendar_specialists AS cs
        INNER JOIN people.specialists AS s ON s.id = cs.specialist_id AND s.organization_id = cs.organization_id
        WHERE cs.calendar_id = v_cal.id AND s.deleted_at IS NULL AND s.scheduling_active
    ),
    dates AS (
        SELECT gs.x::date AS d, extract(ISODOW FROM gs.x)::integer AS dow
        FROM pg_catalog.generate_series(p_from - 2, p_to + 2, INTERVAL '1 day') AS gs (x)
    ),
    -- Materialized: computed once per (zone, date), not once per interval that joins it.
    segs AS MATERIALIZED (
        SELECT z.zone, dt.d, g.seg, g.utc_offset
        FROM (SELECT DISTINCT m.zone FROM members AS m) AS z
        CROSS JOIN dates AS dt
        CROSS JOIN LATERAL scheduling.zone_segments(z.zone, dt.d) AS g
    ),
    overridden AS (
        SELECT o.specialist_id, o.override_date AS d, o.intervals
        FROM scheduling.specialist_schedule_overrides AS o
        WHERE o.organization_id = v_cal.organization_id
          AND o.specialist_id IN (SELECT m.specialist_id FROM members AS m)
          AND o.override_date BETWEEN p_from - 2 AND p_to + 2
    ),
    -- Rule 1: an override for d, else the calendar's hours for the specialist, else the
    -- weekly hours valid on d. Each source ranks its rows; per specialist and date only the
    -- best-ranked source counts (an unavailable day is one override row with no interval).
    sourced AS (
        SELECT ov.specialist_id, ov.d, 1 AS src, (iv ->> 'start')::time AS s, (iv ->> 'end')::time AS e
        FROM overridden AS ov
        LEFT JOIN LATERAL pg_catalog.jsonb_array_elements(ov.intervals) AS iv ON TRUE
        UNION ALL
        SELECT m.specialist_id, dt.d, 2, (iv ->> 'start')::time, (iv ->> 'end')::time
        FROM members AS m
        CROSS JOIN dates AS dt
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(m.hours) AS iv
        WHERE m.hours IS NOT NULL AND (iv ->> 'weekday')::integer = dt.dow
        UNION ALL
        SELECT m.specialist_id, dt.d, 3, w.start_time, w.end_time
        FROM members AS m
        CROSS JOIN dates AS dt
        INNER JOIN scheduling.specialist_weekly_hours AS w
            ON w.organization_id = v_cal.organization_id AND w.specialist_id = m.specialist_id AND w.weekday = dt.dow
        WHERE m.hours IS NULL
          AND (w.valid_from IS NULL OR w.valid_from <= dt.d)
          AND (w.valid_until IS NULL OR dt.d <= w.valid_until)
    ),
    local_intervals AS (
        SELECT r.specialist_id, r.d, r.s, r.e
        FROM (
            SELECT x.specialist_id, x.d, x.src, x.s, x.e,
                min(x.src) OVER (PARTITION BY x.specialist_id, x.d) AS best
            FROM sourced AS x
        ) AS r
        WHERE r.src = r.best AND r.s IS NOT NULL
    ),
    working AS (
        SELECT li.specialist_id, li.d, pg_catalog.range_agg(pg_catalog.tstzrange(b.lo, b.hi)) AS mr
        FROM local_intervals AS li
        INNER JOIN members AS m ON m.specialist_id = li.specialist_id
        INNER JOIN segs AS sg ON sg.zone = m.zone AND sg.d = li.d
        CROSS JOIN LATERAL (SELECT
            greatest(pg_catalog.lower(sg.seg), ((li.d + li.s) AT TIME ZONE 'UTC') - sg.utc_offset) AS lo,
            least(pg_catalog.upper(sg.seg), ((li.d + li.e) AT TIME ZONE 'UTC') - sg.utc_offset) AS hi
        ) AS b
        WHERE b.lo < b.hi
        GROUP BY li.specialist_id, li.d
    ),
    -- Rule 2: closures removed, calendar hours intersected, per specialist date: the
    -- multirange holds the maximal contiguous ranges, and dates stay apart.
    effective AS (
        SELECT w.specialist_id, r.r
        FROM working AS w
        CROSS JOIN LATERAL pg_catalog.unnest(
            CASE WHEN v_cal_hours IS NULL THEN w.mr ELSE w.mr * v_cal_hours END - v_closed
        ) AS r (r)
    ),
    -- Rules 3 and 5.
    candidates AS (
        SELECT e.specialist_id, t.t
        FROM effective AS e
        CROSS JOIN LATERAL pg_catalog.generate_series(
            pg_catalog.lower(e.r), pg_catalog.upper(e.r) - v_duration, v_slot
        ) AS t (t)
        WHERE (v_cal.min_notice_minutes IS NULL OR t.t >= v_now + pg_catalog.make_interval(mins => v_cal.min_notice_minutes))
          AND (v_cal.max_advance_days IS NULL OR t.t <= v_now + pg_catalog.make_interval(hours => 24 * v_cal.max_advance_days))
          AND t.t <@ v_window
    ),
    -- Rule 4: the bare periods of active appointments and the live holds.
    busy AS (
        SELECT x.specialist_id, pg_catalog.range_agg(x.period) AS mr
        FROM (
            SELECT a.specialist_id, a.period
            FROM appointments.appointments AS a
            WHERE a.organization_id = v_cal.organization_id
              AND a.specialist_id IN (SELECT m.specialist_id FROM members AS m)
              AND a.status IN ('requested', 'confirmed', 'inprogress')
              AND a.deleted_at IS NULL
              AND a.period && pg_catalog.tstzrange(
                  (p_from - 3)::timestamp AT TIME ZONE 'UTC', (p_to + 4)::timestamp AT TIME ZONE 'UTC'
              )
            UNION ALL
            SELECT (h ->> 'specialist_id')::uuid, pg_catalog.tstzrange((h ->> 'start')::timestamptz, (h ->> 'end')::timestamptz)
            FROM pg_catalog.jsonb_array_elements(p_holds) AS h
        ) AS x
        GROUP BY x.specialist_id
    ),
    free AS (
        SELECT c.t, c.specialist_id
        FROM candidates AS c
        LEFT JOIN busy AS b ON b.specialist_id = c.specialist_id
        WHERE b.mr IS NULL OR NOT b.mr && pg_catalog.tstzrange(c.t - v_before, c.t + v_duration + v_after)
    )
    -- Rule 6. The RFC 3339 text is built inline (scheduling.rfc3339 says the same): a
    -- function call per slot costs more than the rest of the query.
    SELECT g.t, g.e, g.ids,
        pg_catalog.to_char(g.t AT TIME ZONE v_tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.s < INTERVAL '0' THEN '-' || pg_catalog.to_char(-o.s, 'HH24:MI') ELSE '+' || pg_catalog.to_char(o.s, 'HH24:MI') END,
        pg_catalog.to_char(g.e AT TIME ZONE v_tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.e < INTERVAL '0' THEN '-' || pg_catalog.to_char(-o.e, 'HH24:MI') ELSE '+' || pg_catalog.to_char(o.e, 'HH24:MI') END
    FROM (
        SELECT f.t, f.t + v_duration AS e, pg_catalog.array_agg(f.specialist_id ORDER BY f.specialist_id) AS ids
        FROM free AS f
        GROUP BY f.t
    ) AS g
    CROSS JOIN LATERAL (SELECT
        (g.t AT TIME ZONE v_tz) - (g.t AT TIME ZONE 'UTC') AS s,
        (g.e AT TIME ZONE v_tz) - (g.e AT TIME ZONE 'UTC') AS e
    ) AS o
    ORDER BY g.t;
END;
$$;
COMMENT ON FUNCTION scheduling.availability(uuid, date, date, text, jsonb) IS 'Internal: the free slots of a calendar between two query-zone dates, with the specialists free at each (docs/scheduling.md).';

CREATE OR REPLACE FUNCTION scheduling.member_availability(
    p_calendar_id uuid, p_from date, p_to date, p_query_tz text, p_holds jsonb DEFAULT '[]'
) RETURNS TABLE (slot_start timestamptz, slot_end timestamptz, specialist_ids uuid [], start_text text, end_text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.read');
    IF NOT EXISTS (
        SELECT 1 FROM scheduling.calendars AS c
        WHERE c.id = p_calendar_id AND c.organization_id = iam.current_org_id() AND c.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    RETURN QUERY SELECT * FROM scheduling.availability(p_calendar_id, p_from, p_to, p_query_tz, p_holds);
END;
$$;
COMMENT ON FUNCTION scheduling.member_availability(uuid, date, date, text, jsonb) IS 'A calendar''s availability for a member holding scheduling.read in its organization.';

CREATE OR REPLACE FUNCTION scheduling.public_availability(
    p_calendar_id uuid, p_from date, p_to date, p_query_tz text, p_holds jsonb DEFAULT '[]'
) RETURNS TABLE (slot_start timestamptz, slot_end timestamptz, specialist_ids uuid [], start_text text, end_text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM scheduling.calendars AS c
        INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
        WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public AND c.active
          AND o.status = 'active' AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such public calendar.';
    END IF;
    RETURN QUERY SELECT * FROM scheduling.availability(p_calendar_id, p_from, p_to, p_query_tz, p_holds);
END;
$$;
COMMENT ON FUNCTION scheduling.public_availability(uuid, date, date, text, jsonb) IS 'A public, active calendar''s availability for the booking page (system pool).';

CREATE OR REPLACE FUNCTION scheduling.public_calendar(p_calendar_id uuid)
RETURNS TABLE (id uuid, organization_id uuid, assignment_strategy text, duration_minutes integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT c.id, c.organization_id, c.assignment_strategy, s.duration_minutes
    FROM scheduling.calendars AS c
    INNER JOIN catalog.services AS s ON s.id = c.service_id
    INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
    WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public AND c.active
      AND o.status = 'active' AND o.deleted_at IS NULL
$$;
COMMENT ON FUNCTION scheduling.public_calendar(uuid) IS 'A public, active calendar of an active organization, with its strategy and slot length (system pool).';

CREATE OR REPLACE FUNCTION scheduling.public_calendar_specialists(p_calendar_id uuid)
RETURNS TABLE (id uuid, display_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT s.id, s.display_name
    FROM scheduling.public_calendar(p_calendar_id) AS c
    INNER JOIN scheduling.calendar_specialists AS cs ON cs.calendar_id = c.id
    INNER JOIN people.specialists AS s ON s.id = cs.specialist_id AND s.organization_id = cs.organization_id
    WHERE c.assignment_strategy = 'patient_choice' AND s.deleted_at IS NULL AND s.scheduling_active
    ORDER BY s.id
$$;
COMMENT ON FUNCTION scheduling.public_calendar_specialists(uuid) IS 'The bookable specialists (id, display name) of a public patient_choice calendar (system pool).';

REVOKE EXECUTE ON FUNCTION scheduling.zone_segments(text, date), scheduling.check_zone(text, text),
scheduling.rfc3339(timestamptz, text), scheduling.availability(uuid, date, date, text, jsonb),
scheduling.public_availability(uuid, date, date, text, jsonb), scheduling.public_calendar(uuid),
scheduling.public_calendar_specialists(uuid)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION scheduling.public_availability(uuid, date, date, text, jsonb),
scheduling.public_calendar(uuid), scheduling.public_calendar_specialists(uuid),
scheduling.availability(uuid, date, date, text, jsonb) TO restartix_system;
GRANT EXECUTE ON FUNCTION scheduling.member_availability(uuid, date, date, text, jsonb) TO restartix_app;
