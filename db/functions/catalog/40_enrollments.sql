-- Patients' enrollments in plan versions, and the sessions they use. Enrollments are patient
-- data: every check here counts only a membership role in the current organization (never a
-- platform role), through people.require_member_permission.

CREATE OR REPLACE FUNCTION catalog.enroll_patient(p_patient uuid, p_plan uuid, p_starts_at timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Snapshots the plan's current version: sessions, assignments, price and period, so a later
-- version changes nothing for this patient.
DECLARE
    v_org uuid := iam.current_org_id();
    v_plan catalog.service_plans;
    v_version catalog.service_plan_versions;
    v_start timestamptz := coalesce(p_starts_at, util.now());
    v_end timestamptz;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('plans.enroll');
    PERFORM 1 FROM people.patients AS pt
    WHERE pt.id = p_patient AND pt.organization_id = v_org AND pt.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    SELECT * INTO v_plan FROM catalog.service_plans AS p
    WHERE p.id = p_plan AND p.organization_id = v_org AND p.deleted_at IS NULL
    FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_plan_not_found' USING DETAIL = 'No such service plan in this organization.';
    END IF;
    IF NOT v_plan.active THEN
        RAISE EXCEPTION 'service_plan_inactive' USING DETAIL = 'This plan is not on sale.';
    END IF;
    IF v_start < util.now() - interval '1 year' OR v_start > util.now() + interval '1 year' THEN
        RAISE EXCEPTION 'invalid_period' USING DETAIL = 'A plan starts within a year of today.';
    END IF;
    SELECT * INTO v_version FROM catalog.service_plan_versions AS v
    WHERE v.service_plan_id = v_plan.id AND v.version = v_plan.current_version;
    v_end := CASE
        WHEN v_version.period IS NOT NULL THEN v_start + CASE v_version.period
            WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
            WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END
        ELSE v_start + pg_catalog.make_interval(days => v_version.validity_days)
    END;
    INSERT INTO catalog.patient_service_plans (
        organization_id, patient_id, service_plan_id, service_plan_version_id, plan_type, period_start, period_end,
        sessions_total, assignments_total, price_amount, currency, enrolled_by
    ) VALUES (
        v_org, p_patient, v_plan.id, v_version.id, v_plan.plan_type, v_start, v_end,
        coalesce(v_version.sessions_total, v_version.sessions_per_period),
        v_version.treatment_plan_assignments_total, v_version.price_amount, v_version.currency,
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('patient_plan.enrolled', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_id, 'patient_id', p_patient, 'service_plan_id', v_plan.id,
        'service_plan_version_id', v_version.id, 'plan_type', v_plan.plan_type,
        'period_start', v_start, 'period_end', v_end, 'source_tier_subscription_id', NULL
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION catalog.enroll_patient(uuid, uuid, timestamptz) IS 'Enroll a patient of the organization in a plan''s current version (plans.enroll).';

CREATE OR REPLACE FUNCTION catalog.lock_enrollment(p_id uuid) RETURNS catalog.patient_service_plans
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row catalog.patient_service_plans;
BEGIN
    SELECT * INTO v_row FROM catalog.patient_service_plans AS e
    WHERE e.id = p_id AND e.organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'plan_enrollment_not_found' USING DETAIL = 'No such plan enrollment in this organization.';
    END IF;
    RETURN v_row;
END;
$$;
COMMENT ON FUNCTION catalog.lock_enrollment(uuid) IS 'Internal: locks an enrollment of the current organization, or raises plan_enrollment_not_found.';

CREATE OR REPLACE FUNCTION catalog.use_session(p_org uuid, p_enrollment uuid, p_appointment uuid)
RETURNS TABLE (consumption_id uuid, sessions_used integer, sessions_remaining integer, status text, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Internal, no permission: the caller decided who may use the session (consume_session
-- checks plans.enroll; a patient's own booking goes through appointments.place).
-- Race-free: the enrollment row is locked before anything is read, so concurrent callers
-- take turns and the count never passes the total (the table's check is the backstop).
-- Idempotent per appointment: a second call for the same appointment answers the first
-- consumption and changes nothing; the ledger's unique key settles a race between two
-- enrollments claiming one appointment.
DECLARE
    v_row catalog.patient_service_plans;
    v_prior catalog.plan_consumptions;
    v_state text;
    v_id uuid;
BEGIN
    IF p_appointment IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A consumption names its appointment.';
    END IF;
    SELECT * INTO v_row FROM catalog.patient_service_plans AS e
    WHERE e.id = p_enrollment AND e.organization_id = p_org
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'plan_enrollment_not_found' USING DETAIL = 'No such plan enrollment in this organization.';
    END IF;
    SELECT * INTO v_prior FROM catalog.plan_consumptions AS c
    WHERE c.organization_id = v_row.organization_id AND c.appointment_id = p_appointment;
    IF FOUND THEN
        IF v_prior.patient_service_plan_id <> v_row.id THEN
            RAISE EXCEPTION 'appointment_already_consumed' USING DETAIL = 'This appointment already used a session of another plan.';
        END IF;
        RETURN QUERY SELECT v_prior.id, v_row.sessions_used,
            CASE WHEN v_row.sessions_total IS NULL THEN NULL ELSE v_row.sessions_total - v_row.sessions_used END,
            catalog.enrollment_state(v_row.status, v_row.period_start, v_row.period_end), TRUE;
        RETURN;
    END IF;
    IF v_row.plan_type = 'telerehab_program' THEN
        RAISE EXCEPTION 'plan_has_no_sessions' USING DETAIL = 'A telerehab programme grants access, not sessions.';
    END IF;
    v_state := catalog.enrollment_state(v_row.status, v_row.period_start, v_row.period_end);
    IF v_state = 'revoked' THEN
        RAISE EXCEPTION 'plan_revoked' USING DETAIL = 'This plan was revoked.';
    ELSIF v_state = 'exhausted' THEN
        RAISE EXCEPTION 'plan_exhausted' USING DETAIL = 'Every session of this plan is used.';
    ELSIF v_state = 'expired' THEN
        RAISE EXCEPTION 'plan_expired' USING DETAIL = 'This plan''s period has ended.';
    ELSIF v_state = 'scheduled' THEN
        RAISE EXCEPTION 'plan_not_started' USING DETAIL = 'This plan''s period has not started yet.';
    END IF;
    INSERT INTO catalog.plan_consumptions (organization_id, patient_service_plan_id, appointment_id, consumed_by)
    VALUES (v_row.organization_id, v_row.id, p_appointment, iam.current_principal_id())
    RETURNING id INTO v_id;
    UPDATE catalog.patient_service_plans AS e SET
        sessions_used = e.sessions_used + 1,
        status = CASE WHEN e.sessions_total IS NOT NULL AND e.sessions_used + 1 >= e.sessions_total
            THEN 'exhausted' ELSE e.status END
    WHERE e.id = v_row.id
    RETURNING * INTO v_row;
    PERFORM events.publish_for(v_row.organization_id, 'patient_plan.consumed', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'consumption_id', v_id,
        'appointment_id', p_appointment, 'sessions_used', v_row.sessions_used,
        'sessions_remaining', v_row.sessions_total - v_row.sessions_used
    ));
    IF v_row.status = 'exhausted' THEN
        PERFORM events.publish_for(v_row.organization_id, 'patient_plan.exhausted', pg_catalog.jsonb_build_object(
            'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'sessions_used', v_row.sessions_used
        ));
    END IF;
    RETURN QUERY SELECT v_id, v_row.sessions_used,
        CASE WHEN v_row.sessions_total IS NULL THEN NULL ELSE v_row.sessions_total - v_row.sessions_used END,
        v_row.status, FALSE;
END;
$$;
COMMENT ON FUNCTION catalog.use_session(uuid, uuid, uuid) IS 'Internal: use one session of an organization''s enrollment for an appointment, without a permission check: locked, never below zero, idempotent per appointment.';

CREATE OR REPLACE FUNCTION catalog.consume_session(p_enrollment uuid, p_appointment uuid)
RETURNS TABLE (consumption_id uuid, sessions_used integer, sessions_remaining integer, status text, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('plans.enroll');
    RETURN QUERY SELECT * FROM catalog.use_session(iam.current_org_id(), p_enrollment, p_appointment);
END;
$$;
COMMENT ON FUNCTION catalog.consume_session(uuid, uuid) IS 'Use one session of an enrollment for an appointment (plans.enroll): locked, never below zero, idempotent per appointment.';

CREATE OR REPLACE FUNCTION catalog.revoke_enrollment(p_id uuid, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Reversing a sale is a manager's decision: catalog.manage, not plans.enroll.
DECLARE
    v_row catalog.patient_service_plans;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_row := catalog.lock_enrollment(p_id);
    IF v_row.status = 'revoked' THEN
        RAISE EXCEPTION 'plan_revoked' USING DETAIL = 'This plan was already revoked.';
    END IF;
    UPDATE catalog.patient_service_plans
    SET status = 'revoked', revoked_at = v_at, revoked_by = iam.current_principal_id(), revoke_reason = p_reason
    WHERE id = v_row.id;
    PERFORM events.publish('patient_plan.revoked', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'revoked_at', v_at,
        'source_tier_subscription_id', v_row.source_tier_subscription_id
    ));
END;
$$;
COMMENT ON FUNCTION catalog.revoke_enrollment(uuid, text) IS 'Revoke a patient''s enrollment (catalog.manage); no session can be used after it.';

CREATE OR REPLACE FUNCTION catalog.my_plans()
RETURNS TABLE (
    id uuid,
    organization_id uuid,
    patient_id uuid,
    patient_profile_id uuid,
    service_plan_id uuid,
    service_plan_version_id uuid,
    plan_type text,
    name text,
    translations jsonb,
    state text,
    period_start timestamptz,
    period_end timestamptz,
    sessions_total integer,
    sessions_used integer,
    sessions_remaining integer,
    assignments_total integer,
    assignments_used integer,
    telerehab_access boolean,
    library_access boolean
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The person's side, across organizations: enrollments of their own profile and of those
    -- they actively care for. Price, who enrolled and revoke reasons are the clinic's.
    SELECT e.id, e.organization_id, e.patient_id, pt.patient_profile_id, e.service_plan_id,
           e.service_plan_version_id, e.plan_type, v.name, v.translations,
           catalog.enrollment_state(e.status, e.period_start, e.period_end),
           e.period_start, e.period_end, e.sessions_total, e.sessions_used,
           e.sessions_total - e.sessions_used, e.assignments_total, e.assignments_used,
           v.telerehab_access, v.library_access
    FROM catalog.patient_service_plans AS e
    INNER JOIN people.patients AS pt ON pt.id = e.patient_id AND pt.deleted_at IS NULL
    INNER JOIN catalog.service_plan_versions AS v ON v.id = e.service_plan_version_id
    WHERE pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
    ORDER BY e.period_end DESC, e.id
    LIMIT 500;
$$;
COMMENT ON FUNCTION catalog.my_plans() IS 'The acting human''s enrollments (own and cared-for profiles) in every organization, with what is left.';

CREATE OR REPLACE TRIGGER patient_service_plans_touch BEFORE UPDATE ON catalog.patient_service_plans
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

REVOKE EXECUTE ON FUNCTION catalog.lock_enrollment(uuid), catalog.use_session(uuid, uuid, uuid) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.enroll_patient(uuid, uuid, timestamptz), catalog.consume_session(uuid, uuid),
catalog.revoke_enrollment(uuid, text), catalog.my_plans()
TO restartix_app;
