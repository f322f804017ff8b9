-- The state machine (docs/appointments.md has the table): allowed moves only, each one an
-- audited update (audit.track) and a published event. An illegal move is invalid_transition
-- naming both states.

CREATE OR REPLACE FUNCTION appointments.lock_appointment(p_id uuid) RETURNS appointments.appointments
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_row appointments.appointments;
BEGIN
    SELECT * INTO v_row FROM appointments.appointments AS a
    WHERE a.id = p_id AND a.organization_id = iam.current_org_id() AND a.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment in this organization.';
    END IF;
    RETURN v_row;
END;
$$;
COMMENT ON FUNCTION appointments.lock_appointment(uuid) IS 'Internal: locks a live appointment of the current organization, or raises appointment_not_found.';

CREATE OR REPLACE FUNCTION appointments.check_move(p_from text, p_to text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
BEGIN
    IF NOT (p_from, p_to) IN (
        ('requested', 'confirmed'), ('confirmed', 'inprogress'), ('inprogress', 'done'),
        ('requested', 'cancelled'), ('confirmed', 'cancelled'), ('confirmed', 'no_show')
    ) THEN
        RAISE EXCEPTION 'invalid_transition'
            USING DETAIL = pg_catalog.format('An appointment cannot go from %s to %s.', p_from, p_to),
                  HINT = pg_catalog.jsonb_build_object('from', p_from, 'to', p_to)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.check_move(text, text) IS 'Internal: raises invalid_transition unless the state machine allows the move.';

CREATE OR REPLACE FUNCTION appointments.give_back_session(p_id uuid) RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Idempotent: session_returned_at is set once, and the ledger row is gone after the first call.
DECLARE
    v_row appointments.appointments;
    v_plan catalog.patient_service_plans;
BEGIN
    SELECT * INTO v_row FROM appointments.appointments AS a WHERE a.id = p_id FOR UPDATE;
    IF v_row.patient_service_plan_id IS NULL OR v_row.session_returned_at IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    SELECT * INTO v_plan FROM catalog.patient_service_plans AS e WHERE e.id = v_row.patient_service_plan_id FOR UPDATE;
    DELETE FROM catalog.plan_consumptions AS c
    WHERE c.organization_id = v_row.organization_id AND c.appointment_id = v_row.id;
    IF FOUND THEN
        UPDATE catalog.patient_service_plans AS e SET
            sessions_used = e.sessions_used - 1,
            status = CASE WHEN e.status = 'exhausted' THEN 'active' ELSE e.status END
        WHERE e.id = v_plan.id;
    END IF;
    UPDATE appointments.appointments AS a SET session_returned_at = util.now() WHERE a.id = v_row.id;
    RETURN TRUE;
END;
$$;
COMMENT ON FUNCTION appointments.give_back_session(uuid) IS 'Internal: returns the plan session an appointment used, once.';

CREATE OR REPLACE FUNCTION appointments.transition(p_id uuid, p_to text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Confirm, start, complete and no-show; cancel has its own function (it needs a reason).
DECLARE
    v_row appointments.appointments;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    IF p_to IS NULL OR p_to NOT IN ('confirmed', 'inprogress', 'done', 'no_show') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'status: confirmed, inprogress, done or no_show (cancel has its own route).';
    END IF;
    v_row := appointments.lock_appointment(p_id);
    PERFORM appointments.check_move(v_row.status, p_to);
    UPDATE appointments.appointments AS a SET status = p_to WHERE a.id = v_row.id;
    PERFORM events.publish(
        CASE p_to WHEN 'confirmed' THEN 'appointment.confirmed' WHEN 'inprogress' THEN 'appointment.started'
            WHEN 'done' THEN 'appointment.completed' ELSE 'appointment.no_show' END,
        pg_catalog.jsonb_build_object('appointment_id', v_row.id, 'specialist_id', v_row.specialist_id, 'from_status', v_row.status)
    );
    RETURN p_to;
END;
$$;
COMMENT ON FUNCTION appointments.transition(uuid, text) IS 'Move an appointment to confirmed, inprogress, done or no_show (appointments.manage), allowed moves only.';

CREATE OR REPLACE FUNCTION appointments.cancel_as(p_row appointments.appointments, p_by text, p_reason text) RETURNS boolean
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The clinic's cancellation always gives the session back (the patient is not at fault,
-- inside the window or not); the patient's only when made before the window opens.
DECLARE
    v_window integer;
    v_returned boolean := FALSE;
BEGIN
    PERFORM appointments.check_move(p_row.status, 'cancelled');
    SELECT c.cancellation_window_hours INTO v_window FROM scheduling.calendars AS c WHERE c.id = p_row.calendar_id;
    UPDATE appointments.appointments AS a
    SET status = 'cancelled', cancelled_by = p_by, cancellation_reason = p_reason
    WHERE a.id = p_row.id;
    IF p_by = 'clinic'
        OR util.now() <= pg_catalog.lower(p_row.period) - pg_catalog.make_interval(hours => coalesce(v_window, 24)) THEN
        v_returned := appointments.give_back_session(p_row.id);
    END IF;
    -- publish_for: a patient cancels from /v1/me, outside any organization's session.
    PERFORM events.publish_for(p_row.organization_id, 'appointment.cancelled', pg_catalog.jsonb_build_object(
        'appointment_id', p_row.id, 'specialist_id', p_row.specialist_id, 'from_status', p_row.status,
        'cancelled_by', p_by, 'session_returned', v_returned
    ));
    RETURN v_returned;
END;
$$;
COMMENT ON FUNCTION appointments.cancel_as(appointments.appointments, text, text) IS 'Internal: cancels a locked appointment for the clinic or the patient and gives the session back when due.';

CREATE OR REPLACE FUNCTION appointments.cancel(p_id uuid, p_reason text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'reason: the clinic says why it cancels.';
    END IF;
    IF pg_catalog.length(p_reason) > 1000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'reason: at most 1000 characters.';
    END IF;
    RETURN appointments.cancel_as(appointments.lock_appointment(p_id), 'clinic', pg_catalog.btrim(p_reason));
END;
$$;
COMMENT ON FUNCTION appointments.cancel(uuid, text) IS 'The clinic cancels an appointment with a reason (appointments.manage); true when a plan session was given back.';

CREATE OR REPLACE FUNCTION appointments.my_profile_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- Security definer: the table's policy calls it. The acting human's own profile, and the
    -- profiles they care for with the book permission, now.
    SELECT pp.id FROM people.patient_profiles AS pp
    WHERE pp.human_id = iam.current_principal_id()
      AND NOT iam.principal_is_blocked(iam.current_principal_id())
    UNION
    SELECT c.patient_profile_id FROM people.patient_caregivers AS c
    WHERE c.caregiver_human_id = iam.current_principal_id() AND 'book' = ANY (c.permissions)
      AND c.starts_at <= util.now() AND (c.ends_at IS NULL OR c.ends_at > util.now())
      AND NOT iam.principal_is_blocked(iam.current_principal_id());
$$;
COMMENT ON FUNCTION appointments.my_profile_ids() IS 'The acting human''s own patient profile and those they care for with the book permission.';

CREATE OR REPLACE FUNCTION appointments.cancel_mine(p_id uuid, p_reason text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The patient, or a caregiver allowed to book for them, cancels before the start.
DECLARE
    v_row appointments.appointments;
BEGIN
    PERFORM people.require_human();
    IF pg_catalog.length(p_reason) > 1000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'reason: at most 1000 characters.';
    END IF;
    SELECT a.* INTO v_row FROM appointments.appointments AS a
    INNER JOIN people.patients AS p ON p.id = a.patient_id AND p.organization_id = a.organization_id
    WHERE a.id = p_id AND a.deleted_at IS NULL AND p.deleted_at IS NULL
      AND p.patient_profile_id IN (SELECT appointments.my_profile_ids())
    FOR UPDATE OF a;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment of yours.';
    END IF;
    IF pg_catalog.lower(v_row.period) <= util.now() THEN
        RAISE EXCEPTION 'appointment_started' USING DETAIL = 'An appointment that has begun cannot be cancelled by the patient.';
    END IF;
    RETURN appointments.cancel_as(v_row, 'patient', nullif(pg_catalog.btrim(p_reason), ''));
END;
$$;
COMMENT ON FUNCTION appointments.cancel_mine(uuid, text) IS 'A patient or their booking caregiver cancels before the start; the session comes back outside the cancellation window.';

CREATE OR REPLACE FUNCTION appointments.reschedule(p_id uuid, p_start timestamptz, p_holds jsonb DEFAULT '[]') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Same specialist, same checks as booking: the appointment leaves its slot inside this
-- transaction (cancelled for the re-read, so its own time counts as free), then the new slot
-- must be one availability offers this specialist; any failure rolls the whole move back.
DECLARE
    v_row appointments.appointments;
    v_free uuid [];
    v_date date;
    v_tz text;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    IF p_start IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'start: a date-time is required.';
    END IF;
    IF p_holds IS NULL OR pg_catalog.jsonb_typeof(p_holds) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'holds: a JSON array.';
    END IF;
    v_row := appointments.lock_appointment(p_id);
    IF v_row.status NOT IN ('requested', 'confirmed') THEN
        RAISE EXCEPTION 'invalid_transition'
            USING DETAIL = pg_catalog.format('An appointment cannot be rescheduled from %s.', v_row.status),
                  HINT = pg_catalog.jsonb_build_object('from', v_row.status, 'to', v_row.status)::text;
    END IF;
    PERFORM appointments.lock_specialists(ARRAY[v_row.specialist_id]);
    UPDATE appointments.appointments AS a SET status = 'cancelled', cancelled_by = 'clinic' WHERE a.id = v_row.id;
    SELECT c.timezone INTO v_tz FROM scheduling.calendars AS c WHERE c.id = v_row.calendar_id;
    v_date := (p_start AT TIME ZONE v_tz)::date;
    SELECT av.specialist_ids INTO v_free
    FROM scheduling.availability(v_row.calendar_id, v_date, v_date, v_tz, p_holds) AS av
    WHERE av.slot_start = p_start;
    IF v_free IS NULL OR NOT v_row.specialist_id = ANY (v_free) THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'This specialist is not offered at that start.';
    END IF;
    BEGIN
        UPDATE appointments.appointments AS a SET
            status = v_row.status, cancelled_by = NULL,
            period = pg_catalog.tstzrange(p_start, p_start + (pg_catalog.upper(v_row.period) - pg_catalog.lower(v_row.period)), '[)')
        WHERE a.id = v_row.id;
    EXCEPTION WHEN exclusion_violation THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'Another appointment of this specialist overlaps that slot.';
    END;
    PERFORM events.publish('appointment.rescheduled', pg_catalog.jsonb_build_object(
        'appointment_id', v_row.id, 'specialist_id', v_row.specialist_id
    ));
END;
$$;
COMMENT ON FUNCTION appointments.reschedule(uuid, timestamptz, jsonb) IS 'Move an appointment''s time atomically (appointments.manage), with the same checks as booking.';

REVOKE EXECUTE ON FUNCTION appointments.lock_appointment(uuid), appointments.check_move(text, text),
appointments.give_back_session(uuid), appointments.cancel_as(appointments.appointments, text, text)
FROM public, restartix_app;
REVOKE EXECUTE ON FUNCTION appointments.transition(uuid, text), appointments.cancel(uuid, text),
appointments.cancel_mine(uuid, text), appointments.reschedule(uuid, timestamptz, jsonb),
appointments.my_profile_ids() FROM public;
GRANT EXECUTE ON FUNCTION appointments.transition(uuid, text), appointments.cancel(uuid, text),
appointments.cancel_mine(uuid, text), appointments.reschedule(uuid, timestamptz, jsonb),
appointments.my_profile_ids() TO restartix_app;
