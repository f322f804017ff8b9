-- Booking: the only way an appointment is created. Double booking is impossible by
-- construction (the exclusion constraint of appointments.appointments); buffers, hours,
-- notice and holds are not in that constraint, so the booking transaction locks each
-- candidate specialist and re-reads availability for that exact slot after the lock.

CREATE OR REPLACE TRIGGER appointments_touch BEFORE UPDATE ON appointments.appointments
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION appointments.lock_specialists(p_ids uuid []) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Sorted, so two bookings that lock overlapping sets never deadlock.
DECLARE
    v_id uuid;
BEGIN
    FOR v_id IN SELECT DISTINCT u.id FROM pg_catalog.unnest(p_ids) AS u (id) ORDER BY u.id LOOP
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('appointments/specialist/' || v_id::text, 0));
    END LOOP;
END;
$$;
COMMENT ON FUNCTION appointments.lock_specialists(uuid []) IS 'Internal: transaction locks serializing the bookings of each specialist (taken in id order).';

CREATE OR REPLACE FUNCTION appointments.enforce_monthly_bookings(p_org uuid) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- bookings.monthly is enforced only when the tier (or an override) sets it: no tier does today,
-- and a missing limit must not read as 0. Usage: appointments booked this calendar month (UTC).
DECLARE
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    SELECT l.value, l.source INTO v_limit, v_source
    FROM billing.limit_value('organization', p_org, 'bookings.monthly') AS l;
    IF v_source IS NULL OR v_source = 'none' OR v_limit IS NULL THEN
        RETURN;
    END IF;
    PERFORM billing.lock_limit(p_org, 'bookings.monthly');
    SELECT pg_catalog.count(*) INTO v_usage FROM appointments.appointments AS a
    WHERE a.organization_id = p_org AND a.created_at >= pg_catalog.date_trunc('month', util.now(), 'UTC');
    IF v_usage + 1 > v_limit THEN
        RAISE EXCEPTION 'limit_exceeded'
            USING DETAIL = pg_catalog.format('The bookings.monthly limit of %s is reached (in use: %s).', v_limit, v_usage),
                  HINT = pg_catalog.jsonb_build_object('kind', 'limit', 'limit_code', 'bookings.monthly', 'limit', v_limit,
                                                       'usage', v_usage, 'requested', 1, 'source', v_source)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.enforce_monthly_bookings(uuid) IS 'Internal: raises limit_exceeded when the organization''s bookings.monthly limit (if set) is reached.';

CREATE OR REPLACE FUNCTION appointments.place(
    p_org uuid, p_calendar_id uuid, p_patient_id uuid, p_start timestamptz, p_holds jsonb,
    p_specialist_id uuid, p_modality text, p_notes text, p_status text
) RETURNS uuid
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The one booking path every caller shares (the clinic, a signed-in patient, a guest): the
-- caller has decided who may book and in which status; this checks the slot and writes it.
-- p_holds are the live holds of the calendar (Redis) minus the caller's own hold token, the
-- same list the availability route passes; the API releases the token after the commit.
DECLARE
    v_cal scheduling.calendars;
    v_patient people.patients;
    v_specialists uuid [];
    v_pick uuid;
    v_duration integer;
    v_id uuid;
    v_first boolean;
    v_plan uuid;
BEGIN
    IF p_start IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'start: a date-time is required.';
    END IF;
    IF p_modality IS NOT NULL AND p_modality NOT IN ('in_clinic', 'video', 'home_visit') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'modality: in_clinic, video or home_visit.';
    END IF;
    IF pg_catalog.length(p_notes) > 4000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'notes: at most 4000 characters.';
    END IF;
    IF p_holds IS NULL OR pg_catalog.jsonb_typeof(p_holds) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'holds: a JSON array.';
    END IF;
    SELECT * INTO v_cal FROM scheduling.calendars AS c
    WHERE c.id = p_calendar_id AND c.organization_id = p_org AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    IF NOT v_cal.active THEN
        RAISE EXCEPTION 'calendar_inactive' USING DETAIL = 'This calendar takes no bookings.';
    END IF;
    SELECT * INTO v_patient FROM people.patients AS p
    WHERE p.id = p_patient_id AND p.organization_id = p_org AND p.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    -- Every specialist the strategy may pick: only patient_choice honours a requested one.
    SELECT pg_catalog.array_agg(cs.specialist_id) INTO v_specialists
    FROM scheduling.calendar_specialists AS cs WHERE cs.calendar_id = v_cal.id
      AND (v_cal.assignment_strategy <> 'patient_choice' OR p_specialist_id IS NULL
           OR cs.specialist_id = p_specialist_id);
    PERFORM appointments.lock_specialists(coalesce(v_specialists, '{}'));
    -- After the locks: availability now sees every booking committed before ours.
    v_pick := scheduling.pick_specialist(v_cal.id, p_start, p_holds, p_specialist_id, TRUE);
    IF v_pick IS NULL THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'This slot is not offered: taken, held, closed or outside the booking window.';
    END IF;
    PERFORM appointments.enforce_monthly_bookings(p_org);
    SELECT s.duration_minutes INTO v_duration FROM catalog.services AS s WHERE s.id = v_cal.service_id;
    v_first := NOT EXISTS (
        SELECT 1 FROM appointments.appointments AS a WHERE a.organization_id = p_org AND a.patient_id = v_patient.id
    );
    BEGIN
        INSERT INTO appointments.appointments (
            organization_id, calendar_id, service_id, specialist_id, patient_id, patient_profile_id,
            period, status, modality, notes, booked_by
        ) VALUES (
            p_org, v_cal.id, v_cal.service_id, v_pick, v_patient.id, v_patient.patient_profile_id,
            pg_catalog.tstzrange(p_start, p_start + pg_catalog.make_interval(mins => v_duration), '[)'),
            p_status, coalesce(p_modality, v_cal.modality),
            p_notes, iam.current_principal_id()
        ) RETURNING id INTO v_id;
    EXCEPTION WHEN exclusion_violation THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'Another appointment of this specialist overlaps this slot.';
    END;
    PERFORM scheduling.record_assignment(v_cal.id, v_pick);
    -- A session of the patient's plan when one covers the service (the plan ending first).
    SELECT e.id INTO v_plan
    FROM catalog.patient_service_plans AS e
    INNER JOIN catalog.service_plan_services AS sps
        ON sps.service_plan_version_id = e.service_plan_version_id AND sps.service_id = v_cal.service_id
    WHERE e.organization_id = p_org AND e.patient_id = v_patient.id AND e.plan_type <> 'telerehab_program'
      AND catalog.enrollment_state(e.status, e.period_start, e.period_end) = 'active'
    ORDER BY e.period_end, e.id
    LIMIT 1;
    IF v_plan IS NOT NULL THEN
        PERFORM 1 FROM catalog.consume_session(v_plan, v_id);
        UPDATE appointments.appointments AS a SET patient_service_plan_id = v_plan WHERE a.id = v_id;
    END IF;
    PERFORM events.publish('appointment.booked', pg_catalog.jsonb_build_object(
        'appointment_id', v_id, 'calendar_id', v_cal.id, 'service_id', v_cal.service_id,
        'specialist_id', v_pick, 'status', p_status, 'plan_session_used', v_plan IS NOT NULL
    ));
    IF v_first THEN
        PERFORM events.publish('appointment.first_booked', pg_catalog.jsonb_build_object(
            'appointment_id', v_id, 'patient_id', v_patient.id
        ));
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION appointments.place(uuid, uuid, uuid, timestamptz, jsonb, uuid, text, text, text) IS 'Internal: the shared booking path (validate, lock per specialist, re-check availability, assign, insert, use a plan session, publish).';

CREATE OR REPLACE FUNCTION appointments.book(
    p_calendar_id uuid, p_patient_id uuid, p_start timestamptz, p_holds jsonb DEFAULT '[]',
    p_specialist_id uuid DEFAULT NULL, p_modality text DEFAULT NULL, p_notes text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The clinic books for a patient: it needs no confirmation of its own.
BEGIN
    PERFORM people.require_member_permission('appointments.book');
    RETURN appointments.place(
        iam.current_org_id(), p_calendar_id, p_patient_id, p_start, p_holds,
        p_specialist_id, p_modality, p_notes, 'confirmed'
    );
END;
$$;
COMMENT ON FUNCTION appointments.book(uuid, uuid, timestamptz, jsonb, uuid, text, text) IS 'Book a calendar slot for a patient (appointments.book): locked per specialist, re-checked against availability, assigned by the calendar''s strategy.';

REVOKE EXECUTE ON FUNCTION appointments.lock_specialists(uuid []), appointments.enforce_monthly_bookings(uuid),
appointments.place(uuid, uuid, uuid, timestamptz, jsonb, uuid, text, text, text)
FROM public, restartix_app;
REVOKE EXECUTE ON FUNCTION appointments.book(uuid, uuid, timestamptz, jsonb, uuid, text, text) FROM public;
GRANT EXECUTE ON FUNCTION appointments.book(uuid, uuid, timestamptz, jsonb, uuid, text, text) TO restartix_app;
