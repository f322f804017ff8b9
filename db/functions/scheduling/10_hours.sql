-- Hours: specialists' weekly intervals and date overrides, and the organization's closures.
-- Members holding scheduling.manage write (never a platform role); every write is audited
-- and published. Errors: RAISE EXCEPTION '<code>' USING DETAIL.

CREATE OR REPLACE FUNCTION scheduling.parse_time(p_value text, p_field text, p_is_end boolean) RETURNS time
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- "HH:MM" wall-clock; "24:00" only as an end (the end of the date).
BEGIN
    IF p_value IS NULL OR NOT (p_value ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' OR (p_is_end AND p_value = '24:00')) THEN
        RAISE EXCEPTION 'invalid_hours'
            USING DETAIL = pg_catalog.format('%s: a wall-clock time HH:MM%s.', p_field, CASE WHEN p_is_end THEN ' (24:00 ends the day)' ELSE '' END);
    END IF;
    RETURN p_value::time;
END;
$$;
COMMENT ON FUNCTION scheduling.parse_time(text, text, boolean) IS 'Internal: a HH:MM wall-clock time, 24:00 allowed as an end; raises invalid_hours.';

CREATE OR REPLACE FUNCTION scheduling.label(p_start time, p_end time) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$
    SELECT pg_catalog.to_char(p_start, 'HH24:MI') || '-'
        || CASE WHEN p_end = '24:00'::time THEN '24:00' ELSE pg_catalog.to_char(p_end, 'HH24:MI') END
$$;
COMMENT ON FUNCTION scheduling.label(time, time) IS 'Internal: an interval as HH:MM-HH:MM for error details.';

CREATE OR REPLACE FUNCTION scheduling.check_intervals(p_intervals jsonb, p_with_weekday boolean) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- A list of intervals ([{"weekday"?, "start", "end"}]): each end after its start, no two of
-- one day overlapping (the error names both). Returns it normalized and sorted.
DECLARE
    v_item jsonb;
    v_rows jsonb := '[]';
    v_clash record;
BEGIN
    IF p_intervals IS NULL OR pg_catalog.jsonb_typeof(p_intervals) <> 'array' THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: a JSON array of intervals.';
    END IF;
    IF pg_catalog.jsonb_array_length(p_intervals) > 100 THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: at most 100 intervals.';
    END IF;
    FOR v_item IN SELECT x FROM pg_catalog.jsonb_array_elements(p_intervals) AS x LOOP
        IF pg_catalog.jsonb_typeof(v_item) <> 'object' THEN
            RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: each interval is an object.';
        END IF;
        IF p_with_weekday AND NOT coalesce(pg_catalog.jsonb_typeof(v_item -> 'weekday') = 'number'
            AND (v_item ->> 'weekday') ~ '^[1-7]$', FALSE) THEN
            RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'weekday: an ISO weekday, 1 (Monday) to 7.';
        END IF;
        IF scheduling.parse_time(v_item ->> 'start', 'start', FALSE) >= scheduling.parse_time(v_item ->> 'end', 'end', TRUE) THEN
            RAISE EXCEPTION 'invalid_hours'
                USING DETAIL = pg_catalog.format('end: %s must be after start %s.', v_item ->> 'end', v_item ->> 'start');
        END IF;
        v_rows := v_rows || pg_catalog.jsonb_build_array(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'weekday', CASE WHEN p_with_weekday THEN (v_item ->> 'weekday')::integer END,
            'start', v_item ->> 'start', 'end', v_item ->> 'end'
        )));
    END LOOP;
    SELECT a.x AS first, b.x AS second INTO v_clash
    FROM pg_catalog.jsonb_array_elements(v_rows) WITH ORDINALITY AS a (x, i)
    INNER JOIN pg_catalog.jsonb_array_elements(v_rows) WITH ORDINALITY AS b (x, j) ON a.i < b.j
    WHERE (a.x -> 'weekday') IS NOT DISTINCT FROM (b.x -> 'weekday')
      AND (a.x ->> 'start')::time < (b.x ->> 'end')::time AND (b.x ->> 'start')::time < (a.x ->> 'end')::time
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'overlapping_hours'
            USING DETAIL = pg_catalog.format('%s-%s overlaps %s-%s on the same day.',
                v_clash.first ->> 'start', v_clash.first ->> 'end', v_clash.second ->> 'start', v_clash.second ->> 'end');
    END IF;
    RETURN (
        SELECT coalesce(pg_catalog.jsonb_agg(x ORDER BY (x ->> 'weekday')::integer NULLS FIRST, x ->> 'start'), '[]')
        FROM pg_catalog.jsonb_array_elements(v_rows) AS x
    );
END;
$$;
COMMENT ON FUNCTION scheduling.check_intervals(jsonb, boolean) IS 'Internal: validates and sorts a list of wall-clock intervals; raises invalid_hours or overlapping_hours.';

CREATE OR REPLACE FUNCTION scheduling.lock_specialist(p_id uuid) RETURNS people.specialists
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    SELECT * INTO v_specialist FROM people.specialists AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id() AND s.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'No such specialist in this organization.';
    END IF;
    RETURN v_specialist;
END;
$$;
COMMENT ON FUNCTION scheduling.lock_specialist(uuid) IS 'Internal: locks a live specialist of the current organization (serializing hour edits), or raises specialist_not_found.';

CREATE OR REPLACE FUNCTION scheduling.hours_changed(p_specialist_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM events.publish('specialist_hours.changed', pg_catalog.jsonb_build_object('specialist_id', p_specialist_id));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', p_specialist_id, 'reason', 'hours'
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.hours_changed(uuid) IS 'Internal: publishes that a specialist''s hours, and so availability, changed.';

CREATE OR REPLACE FUNCTION scheduling.add_weekly_hours(
    p_specialist_id uuid, p_weekday integer, p_start text, p_end text,
    p_valid_from date DEFAULT NULL, p_valid_until date DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_start time;
    v_end time;
    v_clash scheduling.specialist_weekly_hours;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_weekday IS NULL OR p_weekday NOT BETWEEN 1 AND 7 THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'weekday: an ISO weekday, 1 (Monday) to 7.';
    END IF;
    v_start := scheduling.parse_time(p_start, 'start', FALSE);
    v_end := scheduling.parse_time(p_end, 'end', TRUE);
    IF v_start >= v_end THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = pg_catalog.format('end: %s must be after start %s.', p_end, p_start);
    END IF;
    IF p_valid_until < p_valid_from THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'valid_until: must not be before valid_from.';
    END IF;
    SELECT * INTO v_clash FROM scheduling.specialist_weekly_hours AS w
    WHERE w.organization_id = iam.current_org_id() AND w.specialist_id = p_specialist_id AND w.weekday = p_weekday
      AND w.start_time < v_end AND v_start < w.end_time
      AND coalesce(w.valid_from, '-infinity') <= coalesce(p_valid_until, 'infinity')
      AND coalesce(p_valid_from, '-infinity') <= coalesce(w.valid_until, 'infinity')
    ORDER BY w.start_time LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'overlapping_hours'
            USING DETAIL = pg_catalog.format('%s overlaps %s on the same day.',
                scheduling.label(v_start, v_end), scheduling.label(v_clash.start_time, v_clash.end_time));
    END IF;
    INSERT INTO scheduling.specialist_weekly_hours (organization_id, specialist_id, weekday, start_time, end_time, valid_from, valid_until)
    VALUES (iam.current_org_id(), p_specialist_id, p_weekday, v_start, v_end, p_valid_from, p_valid_until)
    RETURNING id INTO v_id;
    PERFORM scheduling.hours_changed(p_specialist_id);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION scheduling.add_weekly_hours(uuid, integer, text, text, date, date) IS 'Add a weekly working interval to a specialist (scheduling.manage); an overlap on the same day is refused, naming both.';

CREATE OR REPLACE FUNCTION scheduling.delete_weekly_hours(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.specialist_weekly_hours AS w
    WHERE w.id = p_id AND w.organization_id = iam.current_org_id()
    RETURNING w.specialist_id INTO v_specialist;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'weekly_hours_not_found' USING DETAIL = 'No such weekly interval in this organization.';
    END IF;
    PERFORM scheduling.hours_changed(v_specialist);
END;
$$;
COMMENT ON FUNCTION scheduling.delete_weekly_hours(uuid) IS 'Remove a weekly working interval (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.set_override(
    p_specialist_id uuid, p_date date, p_unavailable boolean, p_intervals jsonb DEFAULT '[]'
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_intervals jsonb;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_date IS NULL THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'date: required.';
    END IF;
    v_intervals := scheduling.check_intervals(coalesce(p_intervals, '[]'), FALSE);
    IF coalesce(p_unavailable, FALSE) AND v_intervals <> '[]' THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'intervals: an unavailable day has none.';
    END IF;
    INSERT INTO scheduling.specialist_schedule_overrides (organization_id, specialist_id, override_date, unavailable, intervals)
    VALUES (iam.current_org_id(), p_specialist_id, p_date, coalesce(p_unavailable, FALSE), v_intervals)
    ON CONFLICT (organization_id, specialist_id, override_date) DO UPDATE
    SET unavailable = excluded.unavailable, intervals = excluded.intervals, updated_at = util.now()
    RETURNING id INTO v_id;
    PERFORM scheduling.hours_changed(p_specialist_id);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION scheduling.set_override(uuid, date, boolean, jsonb) IS 'Set a specialist''s hours for one local date: the day off, or replacement intervals (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.delete_override(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.specialist_schedule_overrides AS o
    WHERE o.id = p_id AND o.organization_id = iam.current_org_id()
    RETURNING o.specialist_id INTO v_specialist;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'schedule_override_not_found' USING DETAIL = 'No such override in this organization.';
    END IF;
    PERFORM scheduling.hours_changed(v_specialist);
END;
$$;
COMMENT ON FUNCTION scheduling.delete_override(uuid) IS 'Remove a date override; the weekly hours apply again that day (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.add_closure(p_date date, p_reason text DEFAULT '') RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    IF p_date IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'date: required.';
    END IF;
    INSERT INTO scheduling.organization_closures (organization_id, closure_date, reason)
    VALUES (iam.current_org_id(), p_date, coalesce(p_reason, ''))
    ON CONFLICT (organization_id, closure_date) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'closure_exists' USING DETAIL = pg_catalog.format('The clinic is already closed on %s.', p_date);
    END IF;
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', NULL, 'reason', 'closure'
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION scheduling.add_closure(date, text) IS 'Close the whole clinic on a date of its zone (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.delete_closure(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.organization_closures AS c WHERE c.id = p_id AND c.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'closure_not_found' USING DETAIL = 'No such closure in this organization.';
    END IF;
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', NULL, 'reason', 'closure'
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.delete_closure(uuid) IS 'Reopen the clinic on a closed date (scheduling.manage).';

REVOKE EXECUTE ON FUNCTION scheduling.parse_time(text, text, boolean), scheduling.label(time, time),
scheduling.check_intervals(jsonb, boolean), scheduling.lock_specialist(uuid), scheduling.hours_changed(uuid)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION
scheduling.add_weekly_hours(uuid, integer, text, text, date, date), scheduling.delete_weekly_hours(uuid),
scheduling.set_override(uuid, date, boolean, jsonb), scheduling.delete_override(uuid),
scheduling.add_closure(date, text), scheduling.delete_closure(uuid)
TO restartix_app;
