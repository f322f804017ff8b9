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

-- Consent and forms gating (docs/appointments.md): before a slot is taken, the patient has
-- consented to the organization's current terms and privacy notice, and has signed every
-- required before-booking form. place only checks (a refusal rolls its transaction back);
-- the pending forms are made by appointments.requirements, which the routes call in their
-- own transaction (the requirements endpoints, and after a forms_required refusal).

CREATE OR REPLACE FUNCTION appointments.booking_documents(p_org uuid) RETURNS SETOF consent.documents
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    -- The newest published version of each of the two purposes the clinic has a document for.
    SELECT DISTINCT ON (d.purpose) d.* FROM consent.documents AS d
    WHERE d.organization_id = p_org AND d.purpose IN ('org_terms', 'org_privacy_notice')
      AND d.published_at <= util.now()
    ORDER BY d.purpose, d.version DESC
$$;
COMMENT ON FUNCTION appointments.booking_documents(uuid) IS 'Internal: the organization''s current terms and privacy notice, the documents a booking needs consent to.';

CREATE OR REPLACE FUNCTION appointments.missing_consents(p_org uuid, p_patient_id uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The organization's current (newest published) terms and privacy notice the patient has
    -- not consented to: the newest ledger row about the patient for the purpose is not a
    -- grant, or a newer version requiring re-consent has made it stale (consent.is_stale, as
    -- consent.status decides). A row is about the patient when it names their profile (a
    -- signed consent form, the patient's or a caregiver's) or, without a profile, when the
    -- profile's own human consented through the consents API.
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'purpose', d.purpose, 'document_id', d.id, 'document_version', d.version
    ) ORDER BY d.purpose), '[]')
    FROM people.patients AS p
    INNER JOIN people.patient_profiles AS pp ON pp.id = p.patient_profile_id
    CROSS JOIN appointments.booking_documents(p_org) AS d
    LEFT JOIN LATERAL (
        SELECT c.action, c.document_version FROM consent.consents AS c
        WHERE c.organization_id = p_org AND c.purpose = d.purpose
          AND (c.subject_patient_profile_id = pp.id
               OR (c.subject_patient_profile_id IS NULL AND c.subject_principal_id = pp.human_id))
        ORDER BY c.seq DESC
        LIMIT 1
    ) AS last ON TRUE
    WHERE p.id = p_patient_id AND p.organization_id = p_org
      AND (last.action IS DISTINCT FROM 'grant' OR consent.is_stale(p_org, d.purpose, last.document_version))
$$;
COMMENT ON FUNCTION appointments.missing_consents(uuid, uuid) IS 'Internal: the current terms and privacy documents of the organization the patient has not consented to (purpose, document id and version).';

CREATE OR REPLACE FUNCTION appointments.missing_forms(p_org uuid, p_calendar_id uuid, p_patient_id uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The required before-booking templates the patient has no signed form of (any version:
    -- a new version does not ask again), with the pending form to fill when one exists.
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'form_template_id', bf.form_template_id, 'form_template_version_id', bf.form_template_version_id,
        'form_id', (
            SELECT f.id FROM forms.forms AS f
            WHERE f.organization_id = p_org AND f.patient_id = p_patient_id AND f.form_template_id = bf.form_template_id
              AND f.status IN ('draft', 'in_progress', 'completed')
            ORDER BY f.created_at, f.id
            LIMIT 1
        )
    ) ORDER BY bf.form_template_id), '[]')
    FROM scheduling.booking_forms(p_org, p_calendar_id) AS bf
    WHERE bf.required AND NOT EXISTS (
        SELECT 1 FROM forms.forms AS f
        WHERE f.organization_id = p_org AND f.patient_id = p_patient_id AND f.form_template_id = bf.form_template_id
          AND f.status = 'signed'
    )
$$;
COMMENT ON FUNCTION appointments.missing_forms(uuid, uuid, uuid) IS 'Internal: the required before-booking forms the patient has not signed (template, version, pending form id or null).';

CREATE OR REPLACE FUNCTION appointments.check_requirements(p_org uuid, p_calendar_id uuid, p_patient_id uuid) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- Consent first: a patient who has not accepted the terms is not asked for forms yet.
DECLARE
    v_missing jsonb;
BEGIN
    v_missing := appointments.missing_consents(p_org, p_patient_id);
    IF v_missing <> '[]' THEN
        RAISE EXCEPTION 'consent_required'
            USING DETAIL = 'The patient has not consented to the clinic''s current terms or privacy notice.',
                  HINT = pg_catalog.jsonb_build_object('consents', v_missing)::text;
    END IF;
    v_missing := appointments.missing_forms(p_org, p_calendar_id, p_patient_id);
    IF v_missing <> '[]' THEN
        RAISE EXCEPTION 'forms_required'
            USING DETAIL = 'The patient has not signed every form this calendar requires before booking.',
                  HINT = pg_catalog.jsonb_build_object('forms', v_missing)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.check_requirements(uuid, uuid, uuid) IS 'Internal: raises consent_required, then forms_required, listing what the patient still lacks to book this calendar.';

CREATE OR REPLACE FUNCTION appointments.requirements(p_org uuid, p_calendar_id uuid, p_patient_id uuid) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Makes the missing required forms pending for the patient (once: a lock per patient and
-- template, and an existing unsigned form is reused), then answers what is still missing.
DECLARE
    v_form record;
    v_consents jsonb;
    v_forms jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM scheduling.calendars AS c
                   WHERE c.id = p_calendar_id AND c.organization_id = p_org AND c.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM people.patients AS p
                   WHERE p.id = p_patient_id AND p.organization_id = p_org AND p.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    FOR v_form IN
        SELECT (e ->> 'form_template_id')::uuid AS template_id, (e ->> 'form_template_version_id')::uuid AS version_id
        FROM pg_catalog.jsonb_array_elements(appointments.missing_forms(p_org, p_calendar_id, p_patient_id)) AS e
        WHERE e -> 'form_id' = 'null'::jsonb
        ORDER BY 1
    LOOP
        PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
            'appointments/pending-form/' || p_patient_id::text || '/' || v_form.template_id::text, 0
        ));
        IF NOT EXISTS (
            SELECT 1 FROM forms.forms AS f
            WHERE f.organization_id = p_org AND f.patient_id = p_patient_id AND f.form_template_id = v_form.template_id
              AND f.status IN ('draft', 'in_progress', 'completed', 'signed')
        ) THEN
            PERFORM forms.insert_form(p_org, v_form.template_id, v_form.version_id, p_patient_id, NULL, NULL);
        END IF;
    END LOOP;
    v_consents := appointments.missing_consents(p_org, p_patient_id);
    v_forms := appointments.missing_forms(p_org, p_calendar_id, p_patient_id);
    RETURN pg_catalog.jsonb_build_object(
        'ready', v_consents = '[]' AND v_forms = '[]', 'consents', v_consents, 'forms', v_forms
    );
END;
$$;
COMMENT ON FUNCTION appointments.requirements(uuid, uuid, uuid) IS 'Internal: creates the patient''s missing required before-booking forms as pending (idempotent) and returns {ready, consents, forms} still missing.';

CREATE OR REPLACE FUNCTION appointments.place(
    p_org uuid, p_calendar_id uuid, p_patient_id uuid, p_start timestamptz, p_holds jsonb,
    p_specialist_id uuid, p_modality text, p_notes text, p_status text
) RETURNS uuid
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The one booking path every caller shares (the clinic, a signed-in patient, a guest): the
-- caller has decided who may book and in which status; this checks the patient's consents
-- and required forms (consent_required, forms_required), the slot, and writes it.
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
    -- Before any lock: a patient who lacks consents or forms waits for no one.
    PERFORM appointments.check_requirements(p_org, v_cal.id, v_patient.id);
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
        -- Internal: the caller decided who books; a patient's own booking holds no plans.enroll.
        PERFORM 1 FROM catalog.use_session(p_org, v_plan, v_id);
        UPDATE appointments.appointments AS a SET patient_service_plan_id = v_plan WHERE a.id = v_id;
    END IF;
    -- publish_for: a patient books from /v1/me, outside any organization's session.
    PERFORM events.publish_for(p_org, 'appointment.booked', pg_catalog.jsonb_build_object(
        'appointment_id', v_id, 'calendar_id', v_cal.id, 'service_id', v_cal.service_id,
        'specialist_id', v_pick, 'status', p_status, 'plan_session_used', v_plan IS NOT NULL
    ));
    IF v_first THEN
        PERFORM events.publish_for(p_org, 'appointment.first_booked', pg_catalog.jsonb_build_object(
            'appointment_id', v_id, 'patient_id', v_patient.id
        ));
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION appointments.place(uuid, uuid, uuid, timestamptz, jsonb, uuid, text, text, text) IS 'Internal: the shared booking path (validate, consent and forms gating, lock per specialist, re-check availability, assign, insert, use a plan session, publish).';

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

CREATE OR REPLACE FUNCTION appointments.booking_requirements(p_calendar_id uuid, p_patient_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('appointments.book');
    RETURN appointments.requirements(iam.current_org_id(), p_calendar_id, p_patient_id);
END;
$$;
COMMENT ON FUNCTION appointments.booking_requirements(uuid, uuid) IS 'What a patient still lacks to book a calendar (appointments.book): missing consents and forms; missing required forms are made pending once.';

CREATE OR REPLACE FUNCTION appointments.my_patient(p_calendar_id uuid, p_patient_id uuid) RETURNS people.patients
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Self-booking is for a public calendar of an active organization, by a person registered
-- with it: their own patient record there (p_patient_id NULL or theirs), or the record of
-- someone they care for with the book permission. Anyone else: patient_not_found.
DECLARE
    v_org uuid;
    v_patient people.patients;
BEGIN
    PERFORM people.require_human();
    SELECT c.organization_id INTO v_org FROM scheduling.calendars AS c
    INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
    WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public
      AND o.status = 'active' AND o.deleted_at IS NULL;
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such public calendar.';
    END IF;
    SELECT p.* INTO v_patient FROM people.patients AS p
    WHERE p.organization_id = v_org AND p.deleted_at IS NULL
      AND p.patient_profile_id IN (SELECT appointments.my_profile_ids())
      AND (p.id = p_patient_id OR (p_patient_id IS NULL AND EXISTS (
          SELECT 1 FROM people.patient_profiles AS pp
          WHERE pp.id = p.patient_profile_id AND pp.human_id = iam.current_principal_id()
      )))
    ORDER BY p.created_at, p.id
    LIMIT 1;
    IF v_patient.id IS NULL THEN
        RAISE EXCEPTION 'patient_not_found'
            USING DETAIL = 'You are not a patient of this clinic (or cannot book for this patient): register with the clinic first.';
    END IF;
    RETURN v_patient;
END;
$$;
COMMENT ON FUNCTION appointments.my_patient(uuid, uuid) IS 'Internal: the patient record the acting human books for at a public calendar (their own, or one they care for with book), or raises.';

CREATE OR REPLACE FUNCTION appointments.my_calendar_org(p_calendar_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The organization of a public, live calendar of an active organization (its holds are
    -- kept per organization), or NULL.
    SELECT c.organization_id FROM scheduling.calendars AS c
    INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
    WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public
      AND o.status = 'active' AND o.deleted_at IS NULL
$$;
COMMENT ON FUNCTION appointments.my_calendar_org(uuid) IS 'The organization of a public calendar a signed-in person may book, or NULL.';

CREATE OR REPLACE FUNCTION appointments.my_booking_requirements(p_calendar_id uuid, p_patient_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients := appointments.my_patient(p_calendar_id, p_patient_id);
BEGIN
    RETURN appointments.requirements(v_patient.organization_id, p_calendar_id, v_patient.id)
        || pg_catalog.jsonb_build_object('patient_id', v_patient.id);
END;
$$;
COMMENT ON FUNCTION appointments.my_booking_requirements(uuid, uuid) IS 'What I (or the person I book for) still lack to book a public calendar: missing consents and forms; missing required forms are made pending once.';

CREATE OR REPLACE FUNCTION appointments.book_mine(
    p_calendar_id uuid, p_start timestamptz, p_holds jsonb DEFAULT '[]', p_patient_id uuid DEFAULT NULL,
    p_specialist_id uuid DEFAULT NULL, p_modality text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A signed-in patient (or their caregiver with book) books a public calendar: confirmed at
-- once when the calendar auto-confirms, else requested for the clinic to confirm. No notes:
-- they are the clinic's.
DECLARE
    v_patient people.patients := appointments.my_patient(p_calendar_id, p_patient_id);
    v_auto boolean;
BEGIN
    -- A calendar without a minimum notice offers slots that have begun (the availability
    -- contract, which the clinic may use to record a visit); a patient never books one.
    IF p_start <= util.now() THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'This slot has already begun.';
    END IF;
    SELECT c.auto_confirm INTO v_auto FROM scheduling.calendars AS c WHERE c.id = p_calendar_id;
    RETURN appointments.place(
        v_patient.organization_id, p_calendar_id, v_patient.id, p_start, p_holds,
        p_specialist_id, p_modality, NULL, CASE WHEN v_auto THEN 'confirmed' ELSE 'requested' END
    );
END;
$$;
COMMENT ON FUNCTION appointments.book_mine(uuid, timestamptz, jsonb, uuid, uuid, text) IS 'A patient or their booking caregiver books a public calendar: requested, or confirmed when the calendar auto-confirms.';

REVOKE EXECUTE ON FUNCTION appointments.lock_specialists(uuid []), appointments.enforce_monthly_bookings(uuid),
appointments.place(uuid, uuid, uuid, timestamptz, jsonb, uuid, text, text, text),
appointments.booking_documents(uuid), appointments.missing_consents(uuid, uuid),
appointments.missing_forms(uuid, uuid, uuid), appointments.check_requirements(uuid, uuid, uuid),
appointments.requirements(uuid, uuid, uuid), appointments.my_patient(uuid, uuid)
FROM public, restartix_app;
REVOKE EXECUTE ON FUNCTION appointments.book(uuid, uuid, timestamptz, jsonb, uuid, text, text),
appointments.booking_requirements(uuid, uuid), appointments.my_calendar_org(uuid),
appointments.my_booking_requirements(uuid, uuid), appointments.book_mine(uuid, timestamptz, jsonb, uuid, uuid, text)
FROM public;
GRANT EXECUTE ON FUNCTION appointments.book(uuid, uuid, timestamptz, jsonb, uuid, text, text),
appointments.booking_requirements(uuid, uuid), appointments.my_calendar_org(uuid),
appointments.my_booking_requirements(uuid, uuid), appointments.book_mine(uuid, timestamptz, jsonb, uuid, uuid, text)
TO restartix_app;
