-- Public two-phase booking (docs/appointments.md, "Public two-phase booking"): a guest with
-- a live hold books a public calendar's slot into `requested` (book_guest, system pool);
-- staff confirm it (transition), which invites the guest to claim their profile
-- (patient.claim_invited); an unconfirmed request expires (expire_requests, worker task).

CREATE OR REPLACE FUNCTION appointments.system_principal() RETURNS uuid
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$ SELECT '00000000-0000-0000-0000-000000000001'::uuid $$;
COMMENT ON FUNCTION appointments.system_principal() IS 'Internal: the system principal, which records what a guest without an account does.';

CREATE OR REPLACE FUNCTION appointments.check_guest(p_guest jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- The API's types check the same; this is the database's own word on what it stores.
DECLARE
    v_key text;
BEGIN
    IF p_guest IS NULL OR pg_catalog.jsonb_typeof(p_guest) <> 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest: an object with the contact fields.';
    END IF;
    FOR v_key IN SELECT k FROM pg_catalog.jsonb_object_keys(p_guest) AS k LOOP
        IF NOT v_key = ANY (ARRAY['first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'locale']) THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('guest.%s: not a contact field.', v_key);
        END IF;
    END LOOP;
    IF pg_catalog.length(pg_catalog.btrim(p_guest ->> 'first_name')) NOT BETWEEN 1 AND 100
       OR pg_catalog.length(pg_catalog.btrim(p_guest ->> 'last_name')) NOT BETWEEN 1 AND 100
       OR p_guest ->> 'first_name' IS NULL OR p_guest ->> 'last_name' IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest: a first and a last name of 1 to 100 characters.';
    END IF;
    IF p_guest ->> 'email' IS NULL OR pg_catalog.length(p_guest ->> 'email') > 254
       OR NOT (p_guest ->> 'email') ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest.email: an e-mail address.';
    END IF;
    IF p_guest ->> 'phone' IS NULL OR NOT (p_guest ->> 'phone') ~ '^\+?[0-9 ().-]{3,32}$' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest.phone: a phone number.';
    END IF;
    IF p_guest ->> 'locale' IS NOT NULL AND NOT (p_guest ->> 'locale') IN ('en', 'ro') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest.locale: en or ro.';
    END IF;
    IF p_guest ->> 'date_of_birth' IS NOT NULL AND NOT (p_guest ->> 'date_of_birth') ~ '^\d{4}-\d{2}-\d{2}$' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'guest.date_of_birth: YYYY-MM-DD.';
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.check_guest(jsonb) IS 'Internal: raises invalid_field unless a guest''s contact fields are complete and well formed.';

CREATE OR REPLACE FUNCTION appointments.guest_patient(p_org uuid, p_guest jsonb) RETURNS people.patients
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The rule (docs/appointments.md): an e-mail that belongs to an account is the account's,
-- so its owner signs in to book (sign_in_required); else the organization's live guest
-- patient with the same e-mail and the same name (diacritics and case aside) is reused, the
-- oldest first, never one someone is or was a caregiver of; else a new guest profile and
-- patient, counted against patients.max. A reused profile keeps its fields (the clinic's);
-- what the guest typed is on the appointment.
DECLARE
    v_email public.citext := pg_catalog.btrim(p_guest ->> 'email')::public.citext;
    v_patient people.patients;
    v_profile uuid;
BEGIN
    -- citext's own equality (the schema is public): case-insensitive, as the unique key.
    IF EXISTS (SELECT 1 FROM iam.humans AS h WHERE h.email OPERATOR(public.=) v_email) THEN
        RAISE EXCEPTION 'sign_in_required' USING DETAIL = 'This e-mail belongs to an account: sign in to book with it.';
    END IF;
    -- Two bookings of one new guest at once make one profile, not two.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
        'appointments/guest/' || p_org::text || '/' || pg_catalog.lower(v_email::text), 0
    ));
    SELECT pt.* INTO v_patient
    FROM people.patients AS pt
    INNER JOIN people.patient_profiles AS pp ON pp.id = pt.patient_profile_id
    WHERE pt.organization_id = p_org AND pt.deleted_at IS NULL
      AND pp.human_id IS NULL AND pp.email OPERATOR(public.=) v_email
      AND people.search_fold(pg_catalog.btrim(pp.first_name)) = people.search_fold(pg_catalog.btrim(p_guest ->> 'first_name'))
      AND people.search_fold(pg_catalog.btrim(pp.last_name)) = people.search_fold(pg_catalog.btrim(p_guest ->> 'last_name'))
      AND NOT EXISTS (SELECT 1 FROM people.patient_caregivers AS c WHERE c.patient_profile_id = pp.id)
    ORDER BY pt.created_at, pt.id
    LIMIT 1;
    IF FOUND THEN
        RETURN v_patient;
    END IF;
    PERFORM billing.enforce_limit_for(p_org, 'patients.max', 1);
    INSERT INTO people.patient_profiles (first_name, last_name, phone, email, date_of_birth, locale)
    VALUES (
        pg_catalog.btrim(p_guest ->> 'first_name'), pg_catalog.btrim(p_guest ->> 'last_name'),
        pg_catalog.btrim(p_guest ->> 'phone'), v_email, (p_guest ->> 'date_of_birth')::date, p_guest ->> 'locale'
    ) RETURNING id INTO v_profile;
    INSERT INTO people.patients (organization_id, patient_profile_id)
    VALUES (p_org, v_profile)
    RETURNING * INTO v_patient;
    PERFORM events.publish_for(p_org, 'patient.created', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_profile_id', v_profile, 'profile_shared', FALSE
    ));
    RETURN v_patient;
END;
$$;
COMMENT ON FUNCTION appointments.guest_patient(uuid, jsonb) IS 'Internal: the guest patient a public booking is for (reused by e-mail and name, or new); sign_in_required for an account''s e-mail.';

CREATE OR REPLACE FUNCTION appointments.record_guest_consents(p_org uuid, p_profile uuid, p_documents jsonb) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The organization's current terms and privacy notice (the newest published version of
-- each purpose it has a document for) must be among the accepted document ids; each is a
-- ledger grant whose subject is the guest's profile (no principal: a guest has no
-- account), source public_booking, with the request's evidence.
DECLARE
    v_doc consent.documents;
    v_missing jsonb := '[]';
    v_given uuid [];
    v_id uuid;
    v_basis text;
BEGIN
    IF p_documents IS NULL OR pg_catalog.jsonb_typeof(p_documents) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'consents: a list of document ids.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(d #>> '{}'), '{}') INTO v_given
    FROM pg_catalog.jsonb_array_elements(p_documents) AS d;
    FOR v_doc IN SELECT * FROM appointments.booking_documents(p_org) LOOP
        IF NOT v_doc.id = ANY (v_given) THEN
            v_missing := v_missing || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'purpose', v_doc.purpose, 'document_id', v_doc.id, 'document_version', v_doc.version
            ));
        END IF;
    END LOOP;
    IF pg_catalog.jsonb_array_length(v_missing) > 0 THEN
        -- The same details as the booking gate's (appointments.check_requirements).
        RAISE EXCEPTION 'consent_required' USING DETAIL = 'Accept the clinic''s current terms and privacy notice to book.',
            HINT = pg_catalog.jsonb_build_object('consents', v_missing)::text;
    END IF;
    -- Only the current versions were required; an older one also accepted is not recorded.
    FOR v_doc IN SELECT * FROM appointments.booking_documents(p_org) AS d WHERE d.id = ANY (v_given) LOOP
        SELECT pu.default_legal_basis INTO v_basis FROM consent.purposes AS pu WHERE pu.code = v_doc.purpose;
        PERFORM consent.lock_subject_purpose(p_profile, p_org, v_doc.purpose);
        INSERT INTO consent.consents (
            subject_principal_id, subject_patient_profile_id, organization_id, purpose, action, legal_basis,
            document_id, document_version, source, evidence_ip, evidence_user_agent, evidence_request_id, recorded_by
        ) VALUES (
            NULL, p_profile, p_org, v_doc.purpose, 'grant', v_basis, v_doc.id, v_doc.version, 'public_booking',
            nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
            pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
            pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
            appointments.system_principal()
        ) RETURNING id INTO v_id;
        PERFORM events.publish_for(p_org, 'consent.granted', pg_catalog.jsonb_build_object(
            'consent_id', v_id, 'subject_principal_id', NULL, 'subject_patient_profile_id', p_profile,
            'purpose', v_doc.purpose, 'legal_basis', v_basis, 'document_id', v_doc.id,
            'document_version', v_doc.version, 'source', 'public_booking', 'form_id', NULL
        ));
    END LOOP;
    IF EXISTS (
        SELECT 1 FROM pg_catalog.unnest(v_given) AS g (id)
        WHERE NOT EXISTS (
            SELECT 1 FROM consent.documents AS d
            WHERE d.id = g.id AND d.organization_id = p_org AND d.purpose IN ('org_terms', 'org_privacy_notice')
        )
    ) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'consents: only this clinic''s terms and privacy notice documents.';
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.record_guest_consents(uuid, uuid, jsonb) IS 'Internal: consent_required unless a guest accepted the current terms and privacy notice; records the grants for the guest''s profile.';

CREATE OR REPLACE FUNCTION appointments.sign_guest_forms(
    p_org uuid, p_calendar_id uuid, p_patient people.patients, p_answers jsonb
) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- The calendar's before-booking forms (scheduling.booking_forms): a required one needs the
-- guest's answers (forms_required); answers are validated exactly as forms completes a form
-- (form_invalid naming the items); each answered form is stored completed and signed with
-- the request's evidence (client address, user agent) and the canonical digest, the signer
-- being the system principal on the guest's behalf (a guest has no account). Field-backed
-- answers are written to the patient's fields; a consent form grants its purpose for the
-- guest's profile.
DECLARE
    v_form record;
    v_missing jsonb := '[]';
    v_version forms.form_template_versions;
    v_result jsonb;
    v_id uuid;
    v_at timestamptz := util.now();
    v_item jsonb;
    v_key text;
    v_consent uuid;
    v_basis text;
BEGIN
    IF p_answers IS NULL OR pg_catalog.jsonb_typeof(p_answers) <> 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'forms: an object of form template id to answers.';
    END IF;
    FOR v_key IN SELECT k FROM pg_catalog.jsonb_object_keys(p_answers) AS k LOOP
        IF NOT EXISTS (
            SELECT 1 FROM scheduling.booking_forms(p_org, p_calendar_id) AS b WHERE b.form_template_id::text = v_key
        ) THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('forms.%s: not a form this calendar asks for.', v_key);
        END IF;
        IF pg_catalog.jsonb_typeof(p_answers -> v_key) <> 'object' THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('forms.%s: the answers are a JSON object keyed by item.', v_key);
        END IF;
    END LOOP;
    FOR v_form IN SELECT * FROM scheduling.booking_forms(p_org, p_calendar_id) AS b ORDER BY b.form_template_id LOOP
        IF v_form.required AND NOT p_answers ? v_form.form_template_id::text THEN
            v_missing := v_missing || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'form_template_id', v_form.form_template_id,
                'form_template_version_id', v_form.form_template_version_id, 'form_id', NULL
            ));
        END IF;
    END LOOP;
    IF pg_catalog.jsonb_array_length(v_missing) > 0 THEN
        RAISE EXCEPTION 'forms_required' USING DETAIL = 'Fill in the forms this calendar asks for before booking.',
            HINT = pg_catalog.jsonb_build_object('forms', v_missing)::text;
    END IF;
    FOR v_form IN SELECT * FROM scheduling.booking_forms(p_org, p_calendar_id) AS b ORDER BY b.form_template_id LOOP
        CONTINUE WHEN NOT p_answers ? v_form.form_template_id::text;
        SELECT * INTO v_version FROM forms.form_template_versions AS v WHERE v.id = v_form.form_template_version_id;
        v_result := forms.evaluate(v_version.definition, pg_catalog.jsonb_strip_nulls(p_answers -> v_form.form_template_id::text));
        IF pg_catalog.jsonb_array_length(v_result -> 'errors') > 0 THEN
            RAISE EXCEPTION 'form_invalid' USING DETAIL = 'Some answers are missing or invalid.',
                HINT = pg_catalog.jsonb_build_object(
                    'form_template_id', v_form.form_template_id, 'items', v_result -> 'errors'
                )::text;
        END IF;
        INSERT INTO forms.forms (
            organization_id, form_template_id, form_template_version_id, patient_id, status, answers,
            changed_items, filler_kind, completed_at, signed_by, signed_at, evidence_ip, evidence_user_agent,
            signature_sha256, created_at, updated_at
        ) VALUES (
            p_org, v_form.form_template_id, v_version.id, p_patient.id, 'signed', v_result -> 'values',
            '{}', 'patient', v_at, appointments.system_principal(), v_at,
            nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
            pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
            forms.canonical_digest(v_version.id, v_result -> 'values', appointments.system_principal(), v_at),
            v_at, v_at
        ) RETURNING id INTO v_id;
        FOR v_item IN
            SELECT i FROM pg_catalog.jsonb_array_elements(v_version.definition -> 'sections') AS s,
                pg_catalog.jsonb_array_elements(s -> 'items') AS i
            WHERE i ? 'field_id' AND (v_result -> 'values') ? (i ->> 'key')
        LOOP
            PERFORM forms.write_value(
                p_org, 'patient', p_patient.id, (v_item ->> 'field_id')::uuid, v_result -> 'values' -> (v_item ->> 'key'), v_id
            );
        END LOOP;
        PERFORM events.publish_for(p_org, 'form.created', pg_catalog.jsonb_build_object(
            'form_id', v_id, 'form_template_id', v_form.form_template_id, 'form_template_version_id', v_version.id,
            'patient_id', p_patient.id, 'appointment_id', NULL, 'amends_form_id', NULL
        ));
        PERFORM events.publish_for(p_org, 'form.completed', pg_catalog.jsonb_build_object(
            'form_id', v_id, 'patient_id', p_patient.id, 'form_template_version_id', v_version.id, 'filler_kind', 'patient'
        ));
        PERFORM events.publish_for(p_org, 'form.signed', pg_catalog.jsonb_build_object(
            'form_id', v_id, 'patient_id', p_patient.id, 'form_template_version_id', v_version.id,
            'signer_id', appointments.system_principal(), 'purpose', v_version.purpose
        ));
        IF v_version.purpose = 'consent' THEN
            SELECT pu.default_legal_basis INTO v_basis FROM consent.purposes AS pu WHERE pu.code = v_version.consent_purpose;
            PERFORM consent.lock_subject_purpose(p_patient.patient_profile_id, p_org, v_version.consent_purpose);
            INSERT INTO consent.consents (
                subject_principal_id, subject_patient_profile_id, organization_id, purpose, action, legal_basis,
                document_id, document_version, source, form_id, evidence_ip, evidence_user_agent, evidence_request_id,
                recorded_by
            ) VALUES (
                NULL, p_patient.patient_profile_id, p_org, v_version.consent_purpose, 'grant', v_basis,
                v_version.consent_document_id, v_version.consent_document_version, 'form', v_id,
                nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
                pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
                pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
                appointments.system_principal()
            ) RETURNING id INTO v_consent;
            PERFORM events.publish_for(p_org, 'consent.granted', pg_catalog.jsonb_build_object(
                'consent_id', v_consent, 'subject_principal_id', NULL,
                'subject_patient_profile_id', p_patient.patient_profile_id, 'purpose', v_version.consent_purpose,
                'legal_basis', v_basis, 'document_id', v_version.consent_document_id,
                'document_version', v_version.consent_document_version, 'source', 'form', 'form_id', v_id
            ));
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION appointments.sign_guest_forms(uuid, uuid, people.patients, jsonb) IS 'Internal: forms_required / form_invalid unless the guest answered the calendar''s required before-booking forms; stores them signed.';

CREATE OR REPLACE FUNCTION appointments.book_guest(
    p_calendar_id uuid, p_start timestamptz, p_hold_sha256 text, p_hold jsonb, p_holds jsonb,
    p_guest jsonb, p_consents jsonb, p_forms jsonb, p_notes text,
    p_client_ip text, p_user_agent text, p_request_id text
) RETURNS TABLE (appointment_id uuid, status text, request_expires_at timestamptz, replayed boolean)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A guest's booking of a public calendar, in the caller's one transaction (system pool):
-- the hold (p_hold: the live hold of p_hold_sha256's token in the calendar's organization, as
-- Redis has it, or NULL) must be of this calendar, for exactly this start; then the guest
-- patient, the consents, the signed forms, and the slot through the shared booking path in
-- `requested`, with the guest's contact and the request's expiry. A repeat with the same
-- hold token answers the same appointment (replayed), or hold_invalid for another slot.
DECLARE
    v_cal scheduling.calendars;
    v_duration integer;
    v_existing appointments.appointments;
    v_patient people.patients;
    v_specialist uuid;
    v_id uuid;
    v_expires timestamptz;
BEGIN
    PERFORM pg_catalog.set_config('app.client_ip', coalesce(p_client_ip, ''), true),
            pg_catalog.set_config('app.user_agent', pg_catalog.left(coalesce(p_user_agent, ''), 512), true),
            pg_catalog.set_config('app.request_id', pg_catalog.left(coalesce(p_request_id, ''), 128), true),
            pg_catalog.set_config('app.current_principal_id', '', true),
            pg_catalog.set_config('app.current_org_id', '', true),
            pg_catalog.set_config('app.scope', '', true);
    IF p_start IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'start: a date-time is required.';
    END IF;
    -- A calendar without a minimum notice offers slots that have begun (the availability
    -- contract); a guest never books one.
    IF p_start <= util.now() THEN
        RAISE EXCEPTION 'slot_taken' USING DETAIL = 'This slot has already begun.';
    END IF;
    IF p_hold_sha256 IS NULL OR NOT p_hold_sha256 ~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'hold_token: the token of your hold.';
    END IF;
    SELECT c.* INTO v_cal FROM scheduling.calendars AS c
    INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
    WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public AND c.active
      AND o.status = 'active' AND o.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such public calendar.';
    END IF;
    -- One booking per token: a repeat waits for the first and then finds it.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('appointments/hold/' || p_hold_sha256, 0));
    SELECT a.* INTO v_existing FROM appointments.appointments AS a
    WHERE a.organization_id = v_cal.organization_id AND a.guest_hold_sha256 = p_hold_sha256;
    IF FOUND THEN
        IF v_existing.calendar_id IS DISTINCT FROM v_cal.id OR pg_catalog.lower(v_existing.period) <> p_start THEN
            RAISE EXCEPTION 'hold_invalid' USING DETAIL = 'This hold token was used for another booking.';
        END IF;
        RETURN QUERY SELECT v_existing.id, v_existing.status, v_existing.request_expires_at, TRUE;
        RETURN;
    END IF;
    SELECT s.duration_minutes INTO v_duration FROM catalog.services AS s WHERE s.id = v_cal.service_id;
    IF p_hold IS NULL OR pg_catalog.jsonb_typeof(p_hold) <> 'object'
       OR (p_hold ->> 'start')::timestamptz IS DISTINCT FROM p_start
       OR (p_hold ->> 'end')::timestamptz IS DISTINCT FROM p_start + pg_catalog.make_interval(mins => v_duration)
       OR NOT EXISTS (
           SELECT 1 FROM scheduling.calendar_specialists AS cs
           WHERE cs.calendar_id = v_cal.id AND cs.specialist_id::text = p_hold ->> 'specialist_id'
       ) THEN
        RAISE EXCEPTION 'hold_invalid' USING DETAIL = 'Hold this slot of this calendar first (the hold expires after a few minutes).';
    END IF;
    v_specialist := (p_hold ->> 'specialist_id')::uuid;
    PERFORM appointments.check_guest(p_guest);
    IF pg_catalog.length(p_notes) > 4000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'notes: at most 4000 characters.';
    END IF;
    v_patient := appointments.guest_patient(v_cal.organization_id, p_guest);
    PERFORM appointments.record_guest_consents(v_cal.organization_id, v_patient.patient_profile_id, p_consents);
    PERFORM appointments.sign_guest_forms(v_cal.organization_id, v_cal.id, v_patient, coalesce(p_forms, '{}'));
    -- The shared booking path publishes with events.publish, which takes the organization
    -- from the session: for this call the transaction acts in the calendar's organization,
    -- with no principal (events and audit rows name the system actor).
    PERFORM pg_catalog.set_config('app.current_org_id', v_cal.organization_id::text, true),
            pg_catalog.set_config('app.scope', '/' || v_cal.organization_id::text || '/' || v_cal.organization_id::text || '/', true);
    v_id := appointments.place(
        v_cal.organization_id, v_cal.id, v_patient.id, p_start, p_holds,
        CASE WHEN v_cal.assignment_strategy = 'patient_choice' THEN v_specialist END, NULL, p_notes, 'requested'
    );
    PERFORM pg_catalog.set_config('app.current_org_id', '', true), pg_catalog.set_config('app.scope', '', true);
    v_expires := util.now() + pg_catalog.make_interval(hours => v_cal.request_expiry_hours);
    UPDATE appointments.appointments AS a SET
        guest_name = pg_catalog.left(pg_catalog.btrim(p_guest ->> 'first_name') || ' ' || pg_catalog.btrim(p_guest ->> 'last_name'), 200),
        guest_phone = pg_catalog.btrim(p_guest ->> 'phone'),
        guest_email = pg_catalog.btrim(p_guest ->> 'email')::public.citext,
        request_expires_at = v_expires,
        guest_hold_sha256 = p_hold_sha256
    WHERE a.id = v_id;
    RETURN QUERY SELECT v_id, 'requested'::text, v_expires, FALSE;
END;
$$;
COMMENT ON FUNCTION appointments.book_guest(uuid, timestamptz, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, text, text, text) IS 'A guest books a public calendar''s held slot into requested (system pool): guest patient, consents, signed forms, the shared booking path, expiry.';

CREATE OR REPLACE FUNCTION appointments.on_guest_confirmed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A confirmed guest booking whose patient still has no account invites them to claim the
-- profile; automations send the e-mail (appointments.appointments.guest_email, read by id).
BEGIN
    IF EXISTS (
        SELECT 1 FROM people.patients AS pt
        INNER JOIN people.patient_profiles AS pp ON pp.id = pt.patient_profile_id
        WHERE pt.id = NEW.patient_id AND pp.human_id IS NULL
    ) THEN
        PERFORM events.publish_for(NEW.organization_id, 'patient.claim_invited', pg_catalog.jsonb_build_object(
            'appointment_id', NEW.id, 'patient_id', NEW.patient_id, 'patient_profile_id', NEW.patient_profile_id
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION appointments.on_guest_confirmed() IS 'Trigger: publishes patient.claim_invited when a guest''s requested booking is confirmed and the profile has no account.';

CREATE OR REPLACE TRIGGER appointments_guest_confirmed AFTER UPDATE OF status ON appointments.appointments
FOR EACH ROW WHEN (old.status = 'requested' AND new.status = 'confirmed' AND new.guest_email IS NOT NULL)
EXECUTE FUNCTION appointments.on_guest_confirmed();

CREATE OR REPLACE FUNCTION appointments.follow_patient_profile() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A claim that merges a guest profile moves its patient rows to the human's own profile;
-- the appointments of the row follow, so the person sees them under /v1/me.
BEGIN
    UPDATE appointments.appointments AS a SET patient_profile_id = NEW.patient_profile_id
    WHERE a.patient_id = NEW.id AND a.organization_id = NEW.organization_id
      AND a.patient_profile_id IS DISTINCT FROM NEW.patient_profile_id;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION appointments.follow_patient_profile() IS 'Trigger: a patient row moved to another profile (a claim) takes its appointments with it.';

CREATE OR REPLACE TRIGGER patients_appointments_follow AFTER UPDATE OF patient_profile_id ON people.patients
FOR EACH ROW WHEN (old.patient_profile_id IS DISTINCT FROM new.patient_profile_id)
EXECUTE FUNCTION appointments.follow_patient_profile();

CREATE OR REPLACE FUNCTION appointments.expire_requests(p_limit integer DEFAULT 1000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Requested guest bookings past their expiry are cancelled (reason expired, by nobody),
-- which frees the slot; a used plan session comes back. SKIP LOCKED lets two workers share
-- the backlog, and a row confirmed meanwhile is no longer requested: idempotent.
DECLARE
    v_row appointments.appointments;
    v_n integer := 0;
BEGIN
    FOR v_row IN
        SELECT a.* FROM appointments.appointments AS a
        WHERE a.status = 'requested' AND a.request_expires_at <= util.now() AND a.deleted_at IS NULL
        ORDER BY a.request_expires_at, a.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE appointments.appointments AS a SET status = 'cancelled', cancellation_reason = 'expired'
        WHERE a.id = v_row.id;
        PERFORM appointments.give_back_session(v_row.id);
        PERFORM events.publish_for(v_row.organization_id, 'appointment.request_expired', pg_catalog.jsonb_build_object(
            'appointment_id', v_row.id, 'calendar_id', v_row.calendar_id, 'specialist_id', v_row.specialist_id
        ));
        v_n := v_n + 1;
    END LOOP;
    RETURN v_n;
END;
$$;
COMMENT ON FUNCTION appointments.expire_requests(integer) IS 'System: cancels up to p_limit requested guest bookings past their expiry (the worker task expire_booking_requests).';

REVOKE EXECUTE ON FUNCTION appointments.system_principal(), appointments.check_guest(jsonb),
appointments.guest_patient(uuid, jsonb), appointments.record_guest_consents(uuid, uuid, jsonb),
appointments.sign_guest_forms(uuid, uuid, people.patients, jsonb), appointments.on_guest_confirmed(),
appointments.follow_patient_profile()
FROM public, restartix_app;
REVOKE EXECUTE ON FUNCTION
appointments.book_guest(uuid, timestamptz, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, text, text, text),
appointments.expire_requests(integer)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION
appointments.book_guest(uuid, timestamptz, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, text, text, text),
appointments.expire_requests(integer)
TO restartix_system;
