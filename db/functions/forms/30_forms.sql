-- The validators (forms.value_error, forms.is_real_date, forms.condition_holds,
-- forms.evaluate) are security invoker with no SET clause, like consent.is_stale: a SET makes
-- every call save and restore the setting, which on a 60-item form is most of the time spent,
-- and keeps the SQL ones from being inlined. Every name in them is schema-qualified.
-- Form instances: validation against the frozen template version (visibility from
-- enable_when, required items, types and rules), the fill / complete / sign / cancel / amend
-- path, the write-back of mapped answers to the patient's custom fields, and the trigger that
-- freezes a signed form for every role.

CREATE OR REPLACE FUNCTION forms.condition_holds(p_cond jsonb, p_answer jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    -- FHIR enableWhen: an unanswered (or hidden) item satisfies only "exists": false.
    SELECT CASE p_cond ->> 'operator'
        WHEN 'exists' THEN (p_answer IS NOT NULL AND p_answer <> 'null'::jsonb) = (p_cond ->> 'value')::boolean
        ELSE p_answer IS NOT NULL AND p_answer <> 'null'::jsonb AND CASE p_cond ->> 'operator'
            WHEN 'equals' THEN p_answer = p_cond -> 'value'
                OR (pg_catalog.jsonb_typeof(p_answer) = 'array' AND p_answer @> pg_catalog.jsonb_build_array(p_cond -> 'value'))
            WHEN 'not_equals' THEN NOT (p_answer = p_cond -> 'value'
                OR (pg_catalog.jsonb_typeof(p_answer) = 'array' AND p_answer @> pg_catalog.jsonb_build_array(p_cond -> 'value')))
            WHEN 'in' THEN (p_cond -> 'value') @> pg_catalog.jsonb_build_array(p_answer)
                OR (pg_catalog.jsonb_typeof(p_answer) = 'array' AND EXISTS (
                    SELECT 1 FROM pg_catalog.jsonb_array_elements(p_answer) AS a
                    WHERE (p_cond -> 'value') @> pg_catalog.jsonb_build_array(a)))
            WHEN 'greater_than' THEN pg_catalog.jsonb_typeof(p_answer) = 'number'
                AND (p_answer #>> '{}')::numeric > (p_cond ->> 'value')::numeric
            WHEN 'less_than' THEN pg_catalog.jsonb_typeof(p_answer) = 'number'
                AND (p_answer #>> '{}')::numeric < (p_cond ->> 'value')::numeric
            ELSE FALSE
        END
    END
$$;
COMMENT ON FUNCTION forms.condition_holds(jsonb, jsonb) IS 'Whether one enable_when condition holds for an answer (NULL: unanswered or hidden).';

CREATE OR REPLACE FUNCTION forms.evaluate(p_definition jsonb, p_values jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
-- {"errors": [{"item", "reason"}], answers: the answers of visible items only}. Items are
-- walked in order; conditions look back only, so one pass decides every item's visibility.
DECLARE
    v_item jsonb;
    v_key text;
    v_answer jsonb;
    v_visible boolean;
    v_kept jsonb := '{}';
    v_errors jsonb := '[]';
    v_error text;
    v_known text [] := '{}';
BEGIN
    IF pg_catalog.jsonb_typeof(p_values) IS DISTINCT FROM 'object' THEN
        RETURN pg_catalog.jsonb_build_object('errors', '[{"item": null, "reason": "values are a JSON object"}]'::jsonb, 'values', '{}'::jsonb);
    END IF;
    FOR v_item IN
        SELECT i FROM pg_catalog.jsonb_array_elements(p_definition -> 'sections') AS s,
            pg_catalog.jsonb_array_elements(s -> 'items') AS i
    LOOP
        v_key := v_item ->> 'key';
        IF v_item ->> 'type' = 'display' THEN
            CONTINUE;
        END IF;
        v_known := v_known || v_key;
        v_visible := TRUE;
        IF v_item ? 'enable_when' THEN
            IF v_item #>> '{enable_when,behavior}' = 'any' THEN
                SELECT coalesce(pg_catalog.bool_or(forms.condition_holds(c, v_kept -> (c ->> 'item'))), FALSE) INTO v_visible
                FROM pg_catalog.jsonb_array_elements(v_item #> '{enable_when,conditions}') AS c;
            ELSE
                SELECT coalesce(pg_catalog.bool_and(forms.condition_holds(c, v_kept -> (c ->> 'item'))), TRUE) INTO v_visible
                FROM pg_catalog.jsonb_array_elements(v_item #> '{enable_when,conditions}') AS c;
            END IF;
        END IF;
        IF NOT v_visible THEN
            CONTINUE;
        END IF;
        v_answer := p_values -> v_key;
        IF v_answer IS NULL OR v_answer = 'null'::jsonb
           OR (pg_catalog.jsonb_typeof(v_answer) = 'string' AND pg_catalog.btrim(v_answer #>> '{}') = '')
           OR v_answer = '[]'::jsonb THEN
            IF (v_item ->> 'required')::boolean THEN
                v_errors := v_errors || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('item', v_key, 'reason', 'is required'));
            END IF;
            CONTINUE;
        END IF;
        v_error := forms.value_error(v_item ->> 'type', v_item -> 'options', v_item -> 'rules', v_answer);
        IF v_error IS NOT NULL THEN
            v_errors := v_errors || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('item', v_key, 'reason', v_error));
            CONTINUE;
        END IF;
        v_kept := v_kept || pg_catalog.jsonb_build_object(v_key, v_answer);
    END LOOP;
    SELECT v_errors || coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('item', k, 'reason', 'is not an item of this form') ORDER BY k), '[]')
    INTO v_errors
    FROM pg_catalog.jsonb_object_keys(p_values) AS k
    WHERE NOT k = ANY(v_known);
    RETURN pg_catalog.jsonb_build_object('errors', v_errors, 'values', v_kept);
END;
$$;
COMMENT ON FUNCTION forms.evaluate(jsonb, jsonb) IS 'Validate answers against a frozen definition: item-level errors and the answers of visible items.';

CREATE OR REPLACE FUNCTION forms.preview_validate(p_template uuid, p_values jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_t forms.form_templates;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    SELECT * INTO v_t FROM forms.form_templates AS t
    WHERE t.id = p_template AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    RETURN forms.evaluate(forms.compile_definition(v_t.organization_id, v_t.draft), p_values);
END;
$$;
COMMENT ON FUNCTION forms.preview_validate(uuid, jsonb) IS 'Validate sample answers against a template''s draft without storing anything (forms.manage).';

CREATE OR REPLACE FUNCTION forms.filler_kind(p_org uuid, p_patient uuid) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- How the acting principal may fill this form: 'patient' (their own profile), 'caregiver'
-- (an active link with sign_forms), 'staff' (a member holding forms.fill), or NULL.
-- A caregiver whose link lacks sign_forms is refused outright (they can see the form).
DECLARE
    v_principal uuid := iam.current_principal_id();
    v_profile uuid;
    v_permissions text [];
BEGIN
    IF v_principal IS NULL OR iam.principal_is_blocked(v_principal) THEN
        RETURN NULL;
    END IF;
    SELECT p.patient_profile_id INTO v_profile FROM people.patients AS p
    WHERE p.id = p_patient AND p.organization_id = p_org AND p.deleted_at IS NULL;
    IF v_profile IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.id = v_profile AND pp.human_id = v_principal) THEN
        RETURN 'patient';
    END IF;
    SELECT c.permissions INTO v_permissions FROM people.patient_caregivers AS c
    WHERE c.patient_profile_id = v_profile AND c.caregiver_human_id = v_principal
      AND c.starts_at <= util.now() AND (c.ends_at IS NULL OR c.ends_at > util.now());
    IF v_permissions IS NOT NULL THEN
        IF NOT 'sign_forms' = ANY(v_permissions) THEN
            RAISE EXCEPTION 'permission_denied' USING DETAIL = 'This caregiver link does not allow filling or signing forms.',
                ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN 'caregiver';
    END IF;
    IF p_org = iam.current_member_org_id() AND people.member_holds('forms.fill') THEN
        RETURN 'staff';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forms.filler_kind(uuid, uuid) IS 'Internal: patient, caregiver or staff when the acting principal may fill forms of this patient; NULL otherwise.';

CREATE OR REPLACE FUNCTION forms.lock_form(p_id uuid) RETURNS forms.forms
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A form the acting principal may fill, locked; anyone else gets form_not_found (no oracle).
DECLARE
    v_form forms.forms;
BEGIN
    SELECT * INTO v_form FROM forms.forms AS f WHERE f.id = p_id FOR UPDATE;
    IF v_form.id IS NULL OR forms.filler_kind(v_form.organization_id, v_form.patient_id) IS NULL THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No such form.';
    END IF;
    RETURN v_form;
END;
$$;
COMMENT ON FUNCTION forms.lock_form(uuid) IS 'Internal: locks a form the acting principal may fill, or raises form_not_found.';

CREATE OR REPLACE FUNCTION forms.insert_form(
    p_org uuid, p_template uuid, p_version uuid, p_patient uuid, p_appointment uuid, p_amends uuid
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Internal, no checks: the caller (create_form, booking's pending forms) has checked the
-- template version and the patient belong to p_org.
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO forms.forms (
        organization_id, form_template_id, form_template_version_id, patient_id, appointment_id, amends_form_id, created_by
    ) VALUES (
        p_org, p_template, p_version, p_patient, p_appointment, p_amends, iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish_for(p_org, 'form.created', pg_catalog.jsonb_build_object(
        'form_id', v_id, 'form_template_id', p_template, 'form_template_version_id', p_version,
        'patient_id', p_patient, 'appointment_id', p_appointment, 'amends_form_id', p_amends
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.insert_form(uuid, uuid, uuid, uuid, uuid, uuid) IS 'Internal: insert a form of a template version for a patient of the organization and publish form.created.';

CREATE OR REPLACE FUNCTION forms.create_form(
    p_template uuid, p_patient uuid, p_appointment uuid DEFAULT NULL, p_amends uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A form from the template's newest published version, for a patient of this organization.
DECLARE
    v_version forms.form_template_versions;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    SELECT v.* INTO v_version FROM forms.form_templates AS t
    INNER JOIN forms.form_template_versions AS v ON v.form_template_id = t.id AND v.version = t.current_version
    WHERE t.id = p_template AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL;
    IF v_version.id IS NULL THEN
        IF EXISTS (SELECT 1 FROM forms.form_templates AS t
                   WHERE t.id = p_template AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL) THEN
            RAISE EXCEPTION 'form_template_unpublished' USING DETAIL = 'Publish the template before making forms from it.';
        END IF;
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM people.patients AS p
        WHERE p.id = p_patient AND p.organization_id = iam.current_org_id() AND p.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    IF p_amends IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM forms.forms AS f
        WHERE f.id = p_amends AND f.organization_id = iam.current_org_id() AND f.patient_id = p_patient
          AND f.status IN ('completed', 'signed')
    ) THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No completed or signed form of this patient to amend.';
    END IF;
    RETURN forms.insert_form(iam.current_org_id(), p_template, v_version.id, p_patient, p_appointment, p_amends);
END;
$$;
COMMENT ON FUNCTION forms.create_form(uuid, uuid, uuid, uuid) IS 'Ask a patient to fill the newest version of a template, optionally for an appointment or amending a form (forms.manage).';

CREATE OR REPLACE FUNCTION forms.save_form(p_id uuid, p_values jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Merges answers into the draft (a JSON null clears one) and returns the warnings: what
-- would stop completion now. Nothing is refused but unknown items and the size limit.
DECLARE
    v_form forms.forms := forms.lock_form(p_id);
    v_def jsonb;
    v_merged jsonb;
    v_result jsonb;
    v_unknown jsonb;
BEGIN
    IF v_form.status NOT IN ('draft', 'in_progress') THEN
        RAISE EXCEPTION 'form_not_editable' USING DETAIL = pg_catalog.format('A %s form is not edited; amend it instead.', v_form.status);
    END IF;
    IF pg_catalog.jsonb_typeof(p_values) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The values are a JSON object keyed by item.', HINT = '{"field": answers}';
    END IF;
    SELECT v.definition INTO v_def FROM forms.form_template_versions AS v WHERE v.id = v_form.form_template_version_id;
    v_merged := pg_catalog.jsonb_strip_nulls(v_form.answers || p_values);
    v_result := forms.evaluate(v_def, v_merged);
    SELECT pg_catalog.jsonb_agg(e) INTO v_unknown FROM pg_catalog.jsonb_array_elements(v_result -> 'errors') AS e
    WHERE e ->> 'reason' = 'is not an item of this form';
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'form_invalid' USING DETAIL = 'Some answers name no item of this form.',
            HINT = pg_catalog.jsonb_build_object('items', v_unknown)::text;
    END IF;
    v_result := pg_catalog.jsonb_set(v_result, '{errors}',
        (v_result -> 'errors') || forms.file_errors(v_form, v_def, v_result -> 'values'));
    UPDATE forms.forms AS f SET
        answers = v_merged,
        changed_items = ARRAY(
            SELECT k FROM pg_catalog.jsonb_object_keys(v_merged || v_form.answers) AS k
            WHERE (v_merged -> k) IS DISTINCT FROM (v_form.answers -> k) ORDER BY k
        ),
        warnings = v_result -> 'errors',
        status = 'in_progress',
        filled_by = iam.current_principal_id(),
        filler_kind = forms.filler_kind(v_form.organization_id, v_form.patient_id),
        updated_at = util.now()
    WHERE f.id = v_form.id;
    RETURN v_result -> 'errors';
END;
$$;
COMMENT ON FUNCTION forms.save_form(uuid, jsonb) IS 'Save answers of a draft form; returns item-level warnings (patient, caregiver with sign_forms, or staff with forms.fill).';

CREATE OR REPLACE FUNCTION forms.complete_form(p_id uuid, p_values jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Merges the last answers, validates the whole form (errors name the items, nothing changes),
-- keeps only visible answers, and writes field-backed answers to the patient's fields.
-- File and signature answers name checked files uploaded for the patient's forms.
DECLARE
    v_form forms.forms := forms.lock_form(p_id);
    v_def jsonb;
    v_result jsonb;
    v_item jsonb;
BEGIN
    IF v_form.status NOT IN ('draft', 'in_progress') THEN
        RAISE EXCEPTION 'form_not_editable' USING DETAIL = pg_catalog.format('A %s form cannot be completed.', v_form.status);
    END IF;
    IF pg_catalog.jsonb_typeof(p_values) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The values are a JSON object keyed by item.', HINT = '{"field": answers}';
    END IF;
    SELECT v.definition INTO v_def FROM forms.form_template_versions AS v WHERE v.id = v_form.form_template_version_id;
    v_result := forms.evaluate(v_def, pg_catalog.jsonb_strip_nulls(v_form.answers || p_values));
    v_result := pg_catalog.jsonb_set(v_result, '{errors}',
        (v_result -> 'errors') || forms.file_errors(v_form, v_def, v_result -> 'values'));
    IF pg_catalog.jsonb_array_length(v_result -> 'errors') > 0 THEN
        RAISE EXCEPTION 'form_invalid' USING DETAIL = 'Some answers are missing or invalid.',
            HINT = pg_catalog.jsonb_build_object('items', v_result -> 'errors')::text;
    END IF;
    UPDATE forms.forms AS f SET
        answers = v_result -> 'values',
        changed_items = ARRAY(
            SELECT k FROM pg_catalog.jsonb_object_keys((v_result -> 'values') || v_form.answers) AS k
            WHERE (v_result -> 'values' -> k) IS DISTINCT FROM (v_form.answers -> k) ORDER BY k
        ),
        warnings = '[]',
        status = 'completed',
        completed_at = util.now(),
        filled_by = iam.current_principal_id(),
        filler_kind = forms.filler_kind(v_form.organization_id, v_form.patient_id),
        updated_at = util.now()
    WHERE f.id = v_form.id;
    FOR v_item IN
        SELECT i FROM pg_catalog.jsonb_array_elements(v_def -> 'sections') AS s,
            pg_catalog.jsonb_array_elements(s -> 'items') AS i
        WHERE i ? 'field_id' AND (v_result -> 'values') ? (i ->> 'key')
    LOOP
        -- Against the field version the template version froze, which the value row names.
        PERFORM forms.write_value_at(
            v_form.organization_id, 'patient', v_form.patient_id, (v_item ->> 'field_id')::uuid,
            (v_item ->> 'field_version_id')::uuid, v_result -> 'values' -> (v_item ->> 'key'), v_form.id
        );
    END LOOP;
    PERFORM events.publish_for(v_form.organization_id, 'form.completed', pg_catalog.jsonb_build_object(
        'form_id', v_form.id, 'patient_id', v_form.patient_id, 'form_template_version_id', v_form.form_template_version_id,
        'filler_kind', forms.filler_kind(v_form.organization_id, v_form.patient_id)
    ));
END;
$$;
COMMENT ON FUNCTION forms.complete_form(uuid, jsonb) IS 'Validate and complete a form, writing mapped answers to the patient''s custom fields; raises form_invalid naming the items.';

CREATE OR REPLACE FUNCTION forms.canonical_digest(p_version uuid, p_values jsonb, p_signer uuid, p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$
    -- jsonb's text form is canonical: keys sorted (by length, then bytes), no insignificant
    -- whitespace variation, numbers normalised; the time is UTC to the microsecond.
    SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object(
        'form_template_version_id', p_version, 'values', p_values, 'signer', p_signer,
        'signed_at', pg_catalog.to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text, 'UTF8')), 'hex')
$$;
COMMENT ON FUNCTION forms.canonical_digest(uuid, jsonb, uuid, timestamptz) IS 'SHA-256 (hex) over the canonical JSON of a signed form''s version, values, signer and time.';

CREATE OR REPLACE FUNCTION forms.sign_form(p_id uuid, p_signature_file uuid DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Signs a completed form with the evidence of this request; a consent form writes the
-- consents ledger in the same transaction. Returns the digest.
DECLARE
    v_form forms.forms := forms.lock_form(p_id);
    v_version forms.form_template_versions;
    v_signer uuid := iam.current_principal_id();
    v_at timestamptz := util.now();
    v_digest text;
BEGIN
    IF v_form.status <> 'completed' THEN
        RAISE EXCEPTION 'form_not_completed' USING DETAIL = pg_catalog.format('A %s form cannot be signed; complete it first.', v_form.status);
    END IF;
    IF p_signature_file IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM forms.form_files AS ff
        INNER JOIN storage.files AS sf ON ff.file_id = sf.id AND ff.organization_id = sf.organization_id
        WHERE ff.file_id = p_signature_file AND ff.form_id = v_form.id AND ff.purpose = 'form_signature'
          AND sf.status = 'ready' AND sf.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No checked signature image uploaded for this form.',
            HINT = '{"field": "signature_file_id"}';
    END IF;
    SELECT * INTO v_version FROM forms.form_template_versions AS v WHERE v.id = v_form.form_template_version_id;
    -- A consent is the person's own act: the patient or their caregiver signs it, never staff.
    IF v_version.purpose = 'consent'
       AND forms.filler_kind(v_form.organization_id, v_form.patient_id) NOT IN ('patient', 'caregiver') THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'A consent form is signed by the patient or their caregiver.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    v_digest := forms.canonical_digest(v_form.form_template_version_id, v_form.answers, v_signer, v_at);
    UPDATE forms.forms AS f SET
        status = 'signed', signed_by = v_signer, signed_at = v_at, signature_file_id = p_signature_file,
        evidence_ip = nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        evidence_user_agent = pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
        signature_sha256 = v_digest, changed_items = '{}', updated_at = v_at
    WHERE f.id = v_form.id;
    PERFORM events.publish_for(v_form.organization_id, 'form.signed', pg_catalog.jsonb_build_object(
        'form_id', v_form.id, 'patient_id', v_form.patient_id, 'form_template_version_id', v_form.form_template_version_id,
        'signer_id', v_signer, 'purpose', v_version.purpose
    ));
    IF v_version.purpose = 'consent' THEN
        PERFORM forms.record_form_consent(v_form, v_version, v_signer);
    END IF;
    RETURN v_digest;
END;
$$;
COMMENT ON FUNCTION forms.sign_form(uuid, uuid) IS 'Sign a completed form with the request''s evidence and digest; a consent form grants its purpose in the ledger.';

CREATE OR REPLACE FUNCTION forms.cancel_form(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_form forms.forms;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    SELECT * INTO v_form FROM forms.forms AS f
    WHERE f.id = p_id AND f.organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No such form.';
    END IF;
    IF v_form.status NOT IN ('draft', 'in_progress', 'completed') THEN
        RAISE EXCEPTION 'form_not_editable' USING DETAIL = pg_catalog.format('A %s form cannot be cancelled.', v_form.status);
    END IF;
    UPDATE forms.forms AS f SET status = 'cancelled', cancelled_at = util.now(), cancelled_by = iam.current_principal_id(),
        completed_at = NULL, changed_items = '{}', updated_at = util.now()
    WHERE f.id = p_id;
    PERFORM events.publish('form.cancelled', pg_catalog.jsonb_build_object(
        'form_id', p_id, 'patient_id', v_form.patient_id, 'previous_status', v_form.status
    ));
END;
$$;
COMMENT ON FUNCTION forms.cancel_form(uuid) IS 'Cancel a form that is not signed (forms.manage).';

CREATE OR REPLACE FUNCTION forms.amend_form(p_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A correction: a new draft from the template's newest version, pre-filled with the answers
-- of the form it amends, which stays as it was.
DECLARE
    v_form forms.forms;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    SELECT * INTO v_form FROM forms.forms AS f WHERE f.id = p_id AND f.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No such form.';
    END IF;
    v_id := forms.create_form(v_form.form_template_id, v_form.patient_id, v_form.appointment_id, v_form.id);
    UPDATE forms.forms AS f SET answers = v_form.answers WHERE f.id = v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.amend_form(uuid) IS 'Start a correction of a completed or signed form as a new form referencing it (forms.manage).';

CREATE OR REPLACE FUNCTION forms.refuse_signed_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    -- A signed form is evidence: no role changes or removes it. Only the purge of its whole
    -- organization (the organization row already gone) takes it away.
    IF OLD.status = 'signed' AND (
        TG_OP = 'UPDATE'
        OR EXISTS (SELECT 1 FROM tenancy.organizations AS o WHERE o.id = OLD.organization_id)
    ) THEN
        RAISE EXCEPTION 'form_signed_immutable'
            USING DETAIL = 'A signed form never changes; amend it with a new form.', ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
COMMENT ON FUNCTION forms.refuse_signed_change() IS 'Raises 42501 for any UPDATE or DELETE of a signed form, whoever runs it (purge of the organization excepted).';

CREATE OR REPLACE TRIGGER forms_signed_immutable BEFORE UPDATE OR DELETE ON forms.forms
FOR EACH ROW EXECUTE FUNCTION forms.refuse_signed_change();

REVOKE ALL ON FUNCTION forms.filler_kind(uuid, uuid), forms.lock_form(uuid),
forms.insert_form(uuid, uuid, uuid, uuid, uuid, uuid) FROM public;
GRANT EXECUTE ON FUNCTION forms.evaluate(jsonb, jsonb), forms.preview_validate(uuid, jsonb),
forms.create_form(uuid, uuid, uuid, uuid), forms.save_form(uuid, jsonb), forms.complete_form(uuid, jsonb),
forms.sign_form(uuid, uuid), forms.cancel_form(uuid), forms.amend_form(uuid),
forms.canonical_digest(uuid, jsonb, uuid, timestamptz) TO restartix_app;
