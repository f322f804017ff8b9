-- Calendar forms: the templates a calendar asks for besides its service's. Booking reads the
-- union of both (scheduling.booking_forms) to gate on the required before-booking ones.

CREATE OR REPLACE FUNCTION scheduling.set_calendar_form(
    p_calendar_id uuid, p_template_id uuid, p_required boolean DEFAULT TRUE, p_stage text DEFAULT 'before_booking'
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    IF p_stage IS NOT NULL AND p_stage NOT IN ('before_booking', 'after_visit') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'stage: before_booking or after_visit.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM forms.form_templates AS t
        WHERE t.id = p_template_id AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    INSERT INTO scheduling.calendar_forms (organization_id, calendar_id, form_template_id, required, stage)
    VALUES (iam.current_org_id(), p_calendar_id, p_template_id, coalesce(p_required, TRUE), coalesce(p_stage, 'before_booking'))
    ON CONFLICT (calendar_id, form_template_id, stage) DO UPDATE SET required = excluded.required
    RETURNING id INTO v_id;
    PERFORM events.publish('calendar.form_set', pg_catalog.jsonb_build_object(
        'calendar_form_id', v_id, 'calendar_id', p_calendar_id, 'form_template_id', p_template_id,
        'required', coalesce(p_required, TRUE), 'stage', coalesce(p_stage, 'before_booking')
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION scheduling.set_calendar_form(uuid, uuid, boolean, text) IS 'Ask for a template on a calendar, required or optional, before booking or after the visit (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.remove_calendar_form(p_calendar_id uuid, p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_template uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    DELETE FROM scheduling.calendar_forms AS cf
    WHERE cf.id = p_id AND cf.calendar_id = p_calendar_id AND cf.organization_id = iam.current_org_id()
    RETURNING cf.form_template_id INTO v_template;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_form_not_found' USING DETAIL = 'This calendar does not ask for that form.';
    END IF;
    PERFORM events.publish('calendar.form_removed', pg_catalog.jsonb_build_object(
        'calendar_form_id', p_id, 'calendar_id', p_calendar_id, 'form_template_id', v_template
    ));
END;
$$;
COMMENT ON FUNCTION scheduling.remove_calendar_form(uuid, uuid) IS 'Stop asking for a template on a calendar (scheduling.manage).';

CREATE OR REPLACE FUNCTION scheduling.booking_forms(p_org uuid, p_calendar_id uuid)
RETURNS TABLE (form_template_id uuid, form_template_version_id uuid, required boolean)
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    -- A template both the calendar and its service ask for is asked once, required when either
    -- requires it; a template never published has nothing to fill and is left out.
    SELECT w.form_template_id, v.id, w.required
    FROM (
        SELECT a.form_template_id, pg_catalog.bool_or(a.required) AS required
        FROM (
            SELECT cf.form_template_id, cf.required FROM scheduling.calendar_forms AS cf
            WHERE cf.organization_id = p_org AND cf.calendar_id = p_calendar_id AND cf.stage = 'before_booking'
            UNION ALL
            SELECT sf.form_template_id, sf.required
            FROM scheduling.calendars AS c
            INNER JOIN forms.service_forms AS sf
                ON sf.service_id = c.service_id AND sf.organization_id = c.organization_id
            WHERE c.organization_id = p_org AND c.id = p_calendar_id AND sf.stage = 'before_booking'
        ) AS a
        GROUP BY a.form_template_id
    ) AS w
    INNER JOIN forms.form_templates AS t ON t.id = w.form_template_id AND t.deleted_at IS NULL
    INNER JOIN LATERAL (
        SELECT tv.id FROM forms.form_template_versions AS tv
        WHERE tv.form_template_id = w.form_template_id
        ORDER BY tv.version DESC
        LIMIT 1
    ) AS v ON TRUE
    ORDER BY w.form_template_id;
$$;
COMMENT ON FUNCTION scheduling.booking_forms(uuid, uuid) IS 'Internal: the before-booking templates of a calendar and its service, each with its latest published version.';

REVOKE EXECUTE ON FUNCTION scheduling.booking_forms(uuid, uuid) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION scheduling.set_calendar_form(uuid, uuid, boolean, text),
scheduling.remove_calendar_form(uuid, uuid) TO restartix_app;
