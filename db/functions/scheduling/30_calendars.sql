-- Calendars and their specialists (scheduling.manage), and the assignment strategies that
-- pick a specialist among those free at a slot.

CREATE OR REPLACE TRIGGER calendars_touch BEFORE UPDATE ON scheduling.calendars
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION scheduling.lock_calendar(p_id uuid) RETURNS scheduling.calendars
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_calendar scheduling.calendars;
BEGIN
    SELECT * INTO v_calendar FROM scheduling.calendars AS c
    WHERE c.id = p_id AND c.organization_id = iam.current_org_id() AND c.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    RETURN v_calendar;
END;
$$;
COMMENT ON FUNCTION scheduling.lock_calendar(uuid) IS 'Internal: locks a live calendar of the current organization, or raises calendar_not_found.';

CREATE OR REPLACE FUNCTION scheduling.check_calendar_fields(p_fields jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Keys outside the list are refused; the zone must be known, the service the
-- organization's own, the hours valid. Returns the hours normalized (or JSON null).
BEGIN
    IF pg_catalog.jsonb_typeof(p_fields) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The fields are a JSON object.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.jsonb_object_keys(p_fields) AS k WHERE k <> ALL (ARRAY[
        'name', 'slug', 'service_id', 'modality', 'assignment_strategy', 'slot_interval_minutes',
        'min_notice_minutes', 'max_advance_days', 'buffer_before_minutes', 'buffer_after_minutes',
        'hours', 'timezone', 'public', 'active', 'auto_confirm', 'cancellation_window_hours',
        'request_expiry_hours'
    ])) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be set here.';
    END IF;
    -- Booking settings (appointments): whether a signed-in patient's booking is confirmed at
    -- once, and how many hours before the start a patient's cancellation stops giving the
    -- plan session back.
    IF p_fields ? 'auto_confirm' AND pg_catalog.jsonb_typeof(p_fields -> 'auto_confirm') IS DISTINCT FROM 'boolean' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'auto_confirm: true or false.', HINT = '{"field": "auto_confirm"}';
    END IF;
    IF p_fields ? 'cancellation_window_hours' AND NOT (CASE
        WHEN pg_catalog.jsonb_typeof(p_fields -> 'cancellation_window_hours') = 'number'
            THEN (p_fields ->> 'cancellation_window_hours')::numeric BETWEEN 0 AND 720
            AND pg_catalog.mod((p_fields ->> 'cancellation_window_hours')::numeric, 1) = 0
        ELSE FALSE
    END) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'cancellation_window_hours: a whole number of hours from 0 to 720.',
            HINT = '{"field": "cancellation_window_hours"}';
    END IF;
    -- How long a guest's public booking request waits for the clinic before it expires.
    IF p_fields ? 'request_expiry_hours' AND NOT (CASE
        WHEN pg_catalog.jsonb_typeof(p_fields -> 'request_expiry_hours') = 'number'
            THEN (p_fields ->> 'request_expiry_hours')::numeric BETWEEN 1 AND 720
            AND pg_catalog.mod((p_fields ->> 'request_expiry_hours')::numeric, 1) = 0
        ELSE FALSE
    END) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'request_expiry_hours: a whole number of hours from 1 to 720.',
            HINT = '{"field": "request_expiry_hours"}';
    END IF;
    IF p_fields ? 'timezone' AND NOT EXISTS (SELECT 1 FROM scheduling.time_zones AS z WHERE z.name = p_fields ->> 'timezone') THEN
        RAISE EXCEPTION 'invalid_timezone'
            USING DETAIL = pg_catalog.format('timezone: %s is not an IANA time zone name (e.g. Europe/Bucharest).', p_fields ->> 'timezone');
    END IF;
    IF p_fields ? 'service_id' AND NOT EXISTS (
        SELECT 1 FROM catalog.services AS s
        WHERE s.id = (p_fields ->> 'service_id')::uuid AND s.organization_id = iam.current_org_id() AND s.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_fields -> 'hours') = 'array' THEN
        RETURN scheduling.check_intervals(p_fields -> 'hours', TRUE);
    END IF;
    RETURN 'null';
END;
$$;
COMMENT ON FUNCTION scheduling.check_calendar_fields(jsonb) IS 'Internal: checks a calendar''s fields; returns its hours normalized.';

CREATE OR REPLACE FUNCTION scheduling.create_calendar(p_fields jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_hours jsonb;
    v_id uuid;
    f jsonb := p_fields;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    v_hours := scheduling.check_calendar_fields(f);
    IF EXISTS (SELECT 1 FROM scheduling.calendars AS c
        WHERE c.organization_id = iam.current_org_id() AND c.slug = f ->> 'slug' AND c.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'calendar_slug_taken' USING DETAIL = 'Another calendar of the organization has this slug.';
    END IF;
    INSERT INTO scheduling.calendars (
        organization_id, name, slug, service_id, modality, assignment_strategy, slot_interval_minutes,
        min_notice_minutes, max_advance_days, buffer_before_minutes, buffer_after_minutes, hours,
        timezone, public, active, auto_confirm, cancellation_window_hours, request_expiry_hours, created_by
    ) VALUES (
        iam.current_org_id(), pg_catalog.btrim(f ->> 'name'), f ->> 'slug', (f ->> 'service_id')::uuid,
        coalesce(f ->> 'modality', 'in_clinic'), coalesce(f ->> 'assignment_strategy', 'round_robin'),
        (f ->> 'slot_interval_minutes')::integer, (f ->> 'min_notice_minutes')::integer,
        (f ->> 'max_advance_days')::integer, (f ->> 'buffer_before_minutes')::integer,
        (f ->> 'buffer_after_minutes')::integer, CASE WHEN v_hours = 'null' THEN NULL ELSE v_hours END,
        coalesce(f ->> 'timezone', (SELECT os.timezone FROM tenancy.organization_settings AS os
            WHERE os.organization_id = iam.current_org_id()), 'Europe/Bucharest'),
        coalesce((f ->> 'public')::boolean, FALSE), coalesce((f ->> 'active')::boolean, TRUE),
        coalesce((f ->> 'auto_confirm')::boolean, FALSE), coalesce((f ->> 'cancellation_window_hours')::integer, 24),
        coalesce((f ->> 'request_expiry_hours')::integer, 48),
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('calendar.created', pg_catalog.jsonb_build_object(
        'calendar_id', v_id, 'service_id', (f ->> 'service_id')::uuid,
        'public', coalesce((f ->> 'public')::boolean, FALSE)
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION scheduling.create_calendar(jsonb) IS 'Add a calendar for one of the organization''s services (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.update_calendar(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Nullable settings (slot interval, notice, advance, buffers, hours) are cleared by a JSON null.
DECLARE
    v_hours jsonb;
    c jsonb := p_changes;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    v_hours := scheduling.check_calendar_fields(c);
    PERFORM scheduling.lock_calendar(p_id);
    IF c ? 'slug' AND EXISTS (SELECT 1 FROM scheduling.calendars AS x
        WHERE x.organization_id = iam.current_org_id() AND x.slug = c ->> 'slug' AND x.deleted_at IS NULL AND x.id <> p_id) THEN
        RAISE EXCEPTION 'calendar_slug_taken' USING DETAIL = 'Another calendar of the organization has this slug.';
    END IF;
    UPDATE scheduling.calendars AS k SET
        name = CASE WHEN c ? 'name' THEN pg_catalog.btrim(c ->> 'name') ELSE k.name END,
        slug = CASE WHEN c ? 'slug' THEN c ->> 'slug' ELSE k.slug END,
        service_id = CASE WHEN c ? 'service_id' THEN (c ->> 'service_id')::uuid ELSE k.service_id END,
        modality = CASE WHEN c ? 'modality' THEN c ->> 'modality' ELSE k.modality END,
        assignment_strategy = CASE WHEN c ? 'assignment_strategy' THEN c ->> 'assignment_strategy' ELSE k.assignment_strategy END,
        slot_interval_minutes = CASE WHEN c ? 'slot_interval_minutes' THEN (c ->> 'slot_interval_minutes')::integer ELSE k.slot_interval_minutes END,
        min_notice_minutes = CASE WHEN c ? 'min_notice_minutes' THEN (c ->> 'min_notice_minutes')::integer ELSE k.min_notice_minutes END,
        max_advance_days = CASE WHEN c ? 'max_advance_days' THEN (c ->> 'max_advance_days')::integer ELSE k.max_advance_days END,
        buffer_before_minutes = CASE WHEN c ? 'buffer_before_minutes' THEN (c ->> 'buffer_before_minutes')::integer ELSE k.buffer_before_minutes END,
        buffer_after_minutes = CASE WHEN c ? 'buffer_after_minutes' THEN (c ->> 'buffer_after_minutes')::integer ELSE k.buffer_after_minutes END,
        hours = CASE WHEN c ? 'hours' THEN (CASE WHEN v_hours = 'null' THEN NULL ELSE v_hours END) ELSE k.hours END,
        timezone = CASE WHEN c ? 'timezone' THEN c ->> 'timezone' ELSE k.timezone END,
        public = CASE WHEN c ? 'public' THEN (c ->> 'public')::boolean ELSE k.public END,
        active = CASE WHEN c ? 'active' THEN (c ->> 'active')::boolean ELSE k.active END,
        auto_confirm = CASE WHEN c ? 'auto_confirm' THEN (c ->> 'auto_confirm')::boolean ELSE k.auto_confirm END,
        cancellation_window_hours = CASE WHEN c ? 'cancellation_window_hours'
            THEN (c ->> 'cancellation_window_hours')::integer ELSE k.cancellation_window_hours END,
        request_expiry_hours = CASE WHEN c ? 'request_expiry_hours'
            THEN (c ->> 'request_expiry_hours')::integer ELSE k.request_expiry_hours END
    WHERE k.id = p_id;
    PERFORM events.publish('calendar.updated', pg_catalog.jsonb_build_object(
        'calendar_id', p_id,
        'changed', (SELECT coalesce(pg_catalog.jsonb_agg(k ORDER BY k), '[]') FROM pg_catalog.jsonb_object_keys(c) AS k)
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_id, 'specialist_id', NULL, 'reason', 'calendar'
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.update_calendar(uuid, jsonb) IS 'Change a calendar''s fields named in a JSON object (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.delete_calendar(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_id);
    UPDATE scheduling.calendars SET deleted_at = util.now() WHERE id = p_id;
    PERFORM events.publish('calendar.deleted', pg_catalog.jsonb_build_object('calendar_id', p_id));
END;
$$;
COMMENT ON FUNCTION scheduling.delete_calendar(uuid) IS 'Soft-delete a calendar (scheduling.manage); it offers no more slots.';

CREATE OR REPLACE FUNCTION scheduling.set_calendar_specialist(
    p_calendar_id uuid, p_specialist_id uuid, p_priority integer DEFAULT 1, p_hours jsonb DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_hours jsonb;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_priority IS NULL OR p_priority NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'priority: 1 (highest) to 1000.';
    END IF;
    IF p_hours IS NOT NULL AND p_hours <> 'null' THEN
        v_hours := scheduling.check_intervals(p_hours, TRUE);
    END IF;
    INSERT INTO scheduling.calendar_specialists (calendar_id, organization_id, specialist_id, priority, hours)
    VALUES (p_calendar_id, iam.current_org_id(), p_specialist_id, p_priority, v_hours)
    ON CONFLICT (calendar_id, specialist_id) DO UPDATE SET priority = excluded.priority, hours = excluded.hours;
    INSERT INTO scheduling.specialist_assignment_tracking (calendar_id, organization_id, specialist_id)
    VALUES (p_calendar_id, iam.current_org_id(), p_specialist_id)
    ON CONFLICT (calendar_id, specialist_id) DO NOTHING;
    PERFORM events.publish('calendar.specialist_set', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'priority', p_priority,
        'has_hours', v_hours IS NOT NULL
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'reason', 'calendar'
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.set_calendar_specialist(uuid, uuid, integer, jsonb) IS 'Put a specialist on a calendar, or change their priority and calendar hours (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.remove_calendar_specialist(p_calendar_id uuid, p_specialist_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    DELETE FROM scheduling.calendar_specialists AS cs
    WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = p_specialist_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_specialist_not_found' USING DETAIL = 'This specialist is not on this calendar.';
    END IF;
    PERFORM events.publish('calendar.specialist_removed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'reason', 'calendar'
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.remove_calendar_specialist(uuid, uuid) IS 'Take a specialist off a calendar (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.pick_specialist(
    p_calendar_id uuid, p_start timestamptz, p_holds jsonb DEFAULT '[]', p_requested uuid DEFAULT NULL,
    p_lock boolean DEFAULT FALSE
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The calendar's strategy among the specialists free at p_start (availability of that
-- start's date in the calendar's zone): round_robin the least recently assigned (never first),
-- ties by priority then id; priority the highest priority, ties by least recently assigned;
-- patient_choice the requested one, who must be free. p_lock locks the chosen tracking row
-- (the booking transaction then calls record_assignment). NULL when nobody fits.
DECLARE
    v_cal scheduling.calendars;
    v_free uuid [];
    v_pick uuid;
    v_date date;
BEGIN
    SELECT * INTO v_cal FROM scheduling.calendars AS c WHERE c.id = p_calendar_id AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar.';
    END IF;
    v_date := (p_start AT TIME ZONE v_cal.timezone)::date;
    SELECT a.specialist_ids INTO v_free
    FROM scheduling.availability(p_calendar_id, v_date, v_date, v_cal.timezone, p_holds) AS a
    WHERE a.slot_start = p_start;
    IF v_free IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_cal.assignment_strategy = 'patient_choice' THEN
        IF p_requested IS NULL OR NOT p_requested = ANY (v_free) THEN
            RETURN NULL;
        END IF;
        v_pick := p_requested;
    ELSIF v_cal.assignment_strategy = 'round_robin' THEN
        SELECT cs.specialist_id INTO v_pick
        FROM scheduling.calendar_specialists AS cs
        LEFT JOIN scheduling.specialist_assignment_tracking AS t
            ON t.calendar_id = cs.calendar_id AND t.specialist_id = cs.specialist_id
        WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = ANY (v_free)
        ORDER BY t.last_assigned_at ASC NULLS FIRST, cs.priority, cs.specialist_id
        LIMIT 1;
    ELSE
        SELECT cs.specialist_id INTO v_pick
        FROM scheduling.calendar_specialists AS cs
        LEFT JOIN scheduling.specialist_assignment_tracking AS t
            ON t.calendar_id = cs.calendar_id AND t.specialist_id = cs.specialist_id
        WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = ANY (v_free)
        ORDER BY cs.priority, t.last_assigned_at ASC NULLS FIRST, cs.specialist_id
        LIMIT 1;
    END IF;
    IF p_lock AND v_pick IS NOT NULL THEN
        PERFORM 1 FROM scheduling.specialist_assignment_tracking AS t
        WHERE t.calendar_id = p_calendar_id AND t.specialist_id = v_pick FOR UPDATE;
    END IF;
    RETURN v_pick;
END;
$$;
COMMENT ON FUNCTION scheduling.pick_specialist(uuid, timestamptz, jsonb, uuid, boolean) IS 'Internal: the specialist the calendar''s strategy assigns at a start among those free, optionally locking their tracking row.';

CREATE OR REPLACE FUNCTION scheduling.record_assignment(p_calendar_id uuid, p_specialist_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE scheduling.specialist_assignment_tracking AS t
    SET last_assigned_at = pg_catalog.clock_timestamp(), assignment_count = t.assignment_count + 1
    WHERE t.calendar_id = p_calendar_id AND t.specialist_id = p_specialist_id;
END;
$$;
COMMENT ON FUNCTION scheduling.record_assignment(uuid, uuid) IS 'Internal: counts an assignment in the booking transaction (a hold does not count).';

REVOKE EXECUTE ON FUNCTION scheduling.lock_calendar(uuid), scheduling.check_calendar_fields(jsonb),
scheduling.pick_specialist(uuid, timestamptz, jsonb, uuid, boolean), scheduling.record_assignment(uuid, uuid)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION scheduling.pick_specialist(uuid, timestamptz, jsonb, uuid, boolean) TO restartix_system;
GRANT EXECUTE ON FUNCTION scheduling.create_calendar(jsonb), scheduling.update_calendar(uuid, jsonb),
scheduling.delete_calendar(uuid), scheduling.set_calendar_specialist(uuid, uuid, integer, jsonb),
scheduling.remove_calendar_specialist(uuid, uuid)
TO restartix_app;
