-- Files of forms: the attachment a `file` item answers with (purpose form_file) and the
-- signature image a form is signed with (form_signature). Whoever may fill the form uploads
-- them (forms.filler_kind: the patient, a caregiver with sign_forms, a member with
-- forms.fill), through the one upload path of storage (record, check the bytes, keep or
-- refuse); each upload names its form in forms.form_files, and answers and signatures accept
-- only files uploaded for the patient's forms.

CREATE OR REPLACE FUNCTION forms.lock_form_for_files(p_form uuid, p_purpose text) RETURNS forms.forms
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A form the acting principal may fill, locked, that still takes files of this purpose: an
-- attachment while its answers can change, a signature image until it is signed.
DECLARE
    v_form forms.forms;
BEGIN
    IF p_purpose IS NULL OR p_purpose NOT IN ('form_file', 'form_signature') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A form file is a form_file or a form_signature.',
            HINT = '{"field": "purpose"}';
    END IF;
    v_form := forms.lock_form(p_form);
    -- In an organization's URL, only that organization's forms.
    IF iam.current_org_id() IS NOT NULL AND iam.current_org_id() <> v_form.organization_id THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No such form.';
    END IF;
    IF v_form.status NOT IN ('draft', 'in_progress') AND NOT (p_purpose = 'form_signature' AND v_form.status = 'completed') THEN
        RAISE EXCEPTION 'form_not_editable'
            USING DETAIL = pg_catalog.format('A %s form takes no new %s.', v_form.status,
                CASE p_purpose WHEN 'form_file' THEN 'attachment' ELSE 'signature image' END);
    END IF;
    RETURN v_form;
END;
$$;
COMMENT ON FUNCTION forms.lock_form_for_files(uuid, text) IS 'Internal: locks a form the acting principal may fill that still takes files of this purpose.';

CREATE OR REPLACE FUNCTION forms.begin_form_upload(
    p_form uuid, p_purpose text, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_form forms.forms := forms.lock_form_for_files(p_form, p_purpose);
    v_id uuid;
BEGIN
    IF (SELECT pg_catalog.count(*) FROM forms.form_files AS ff WHERE ff.form_id = v_form.id) >= 50 THEN
        RAISE EXCEPTION 'too_many_form_files' USING DETAIL = 'A form takes at most 50 uploads.';
    END IF;
    v_id := storage.record_upload(v_form.organization_id, p_purpose, p_object_key, p_declared_mime, p_expires_at);
    INSERT INTO forms.form_files (file_id, organization_id, form_id, purpose, created_by)
    VALUES (v_id, v_form.organization_id, v_form.id, p_purpose, iam.current_principal_id());
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.begin_form_upload(uuid, text, text, text, timestamptz) IS 'Record an upload grant for a form the caller may fill (patient, caregiver with sign_forms, forms.fill); returns the pending file id.';

CREATE OR REPLACE FUNCTION forms.lock_form_upload(p_form uuid, p_file uuid) RETURNS storage.files
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A pending upload made for this form, locked, once the form is checked as on the grant.
DECLARE
    v_link forms.form_files;
    v_file storage.files;
BEGIN
    SELECT * INTO v_link FROM forms.form_files AS ff WHERE ff.file_id = p_file AND ff.form_id = p_form;
    PERFORM forms.lock_form_for_files(p_form, coalesce(v_link.purpose, 'form_file'));
    IF v_link.file_id IS NOT NULL THEN
        SELECT * INTO v_file FROM storage.files AS f
        WHERE f.id = v_link.file_id AND f.organization_id = v_link.organization_id AND f.deleted_at IS NULL
        FOR UPDATE;
    END IF;
    IF v_file.id IS NULL THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such upload for this form.';
    END IF;
    RETURN storage.require_pending(v_file);
END;
$$;
COMMENT ON FUNCTION forms.lock_form_upload(uuid, uuid) IS 'Internal: locks a pending upload made for a form the caller may fill and that still takes it.';

CREATE OR REPLACE FUNCTION forms.pending_form_upload(p_form uuid, p_file uuid)
RETURNS TABLE (object_key text, purpose text, declared_mime text, upload_expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := forms.lock_form_upload(p_form, p_file);
BEGIN
    RETURN QUERY SELECT v_file.object_key, v_file.purpose, v_file.declared_mime, v_file.upload_expires_at;
END;
$$;
COMMENT ON FUNCTION forms.pending_form_upload(uuid, uuid) IS 'Lock a pending upload of a form the caller may fill for its confirmation and return what the check needs.';

CREATE OR REPLACE FUNCTION forms.complete_form_upload(
    p_form uuid, p_file uuid, p_object_key text, p_detected_mime text, p_size_bytes bigint, p_sha256 text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := forms.lock_form_upload(p_form, p_file);
BEGIN
    PERFORM storage.keep_upload(v_file, p_object_key, p_detected_mime, p_size_bytes, p_sha256);
END;
$$;
COMMENT ON FUNCTION forms.complete_form_upload(uuid, uuid, text, text, bigint, text) IS 'Mark a pending upload of a form ready with what its bytes were checked to be, within the clinic''s storage.bytes limit.';

CREATE OR REPLACE FUNCTION forms.reject_form_upload(
    p_form uuid, p_file uuid, p_reason text, p_detected_mime text DEFAULT NULL, p_size_bytes bigint DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM storage.refuse_upload(forms.lock_form_upload(p_form, p_file), p_reason, p_detected_mime, p_size_bytes);
END;
$$;
COMMENT ON FUNCTION forms.reject_form_upload(uuid, uuid, text, text, bigint) IS 'Mark a pending upload of a form rejected with the reason its bytes were refused (their objects already deleted).';

CREATE OR REPLACE FUNCTION forms.form_upload(p_form uuid, p_file uuid)
RETURNS TABLE (
    id uuid, detected_mime text, size_bytes bigint, sha256 text, object_key text, uploaded_by uuid, verified_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- A checked file uploaded for a form whoever reads the form reads (the policies of
-- forms.forms: members with forms.read; the patient and their caregivers), in the
-- organization of the URL when there is one.
DECLARE
    v_form forms.forms;
BEGIN
    SELECT * INTO v_form FROM forms.forms AS f WHERE f.id = p_form;
    IF v_form.id IS NULL
       OR (iam.current_org_id() IS NOT NULL AND iam.current_org_id() <> v_form.organization_id)
       OR NOT (
           (v_form.organization_id = iam.current_member_org_id() AND people.member_holds('forms.read'))
           OR EXISTS (
               SELECT 1 FROM people.patients AS pt
               WHERE pt.id = v_form.patient_id AND pt.deleted_at IS NULL
                 AND pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
           )
       ) THEN
        RAISE EXCEPTION 'form_not_found' USING DETAIL = 'No such form.';
    END IF;
    RETURN QUERY
    SELECT f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM forms.form_files AS ff
    INNER JOIN storage.files AS f ON ff.file_id = f.id AND ff.organization_id = f.organization_id
    WHERE ff.form_id = v_form.id AND ff.file_id = p_file AND f.status = 'ready' AND f.deleted_at IS NULL;
END;
$$;
COMMENT ON FUNCTION forms.form_upload(uuid, uuid) IS 'A checked file uploaded for a form the caller may read; no row when there is none.';

CREATE OR REPLACE FUNCTION forms.file_errors(p_form forms.forms, p_definition jsonb, p_values jsonb) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- A file or signature item answers with a checked file uploaded for one of this patient's
    -- forms (an amendment keeps the files of the form it corrects): an attachment for a
    -- file item, a signature image for a signature item.
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'item', i ->> 'key', 'reason', 'names no file uploaded for this patient''s forms'
    ) ORDER BY i ->> 'key'), '[]')
    FROM pg_catalog.jsonb_array_elements(p_definition -> 'sections') AS s,
        pg_catalog.jsonb_array_elements(s -> 'items') AS i
    WHERE i ->> 'type' IN ('file', 'signature')
      AND pg_catalog.jsonb_typeof(p_values -> (i ->> 'key')) = 'string'
      AND (p_values ->> (i ->> 'key')) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      AND NOT EXISTS (
          SELECT 1 FROM forms.form_files AS ff
          INNER JOIN forms.forms AS f ON ff.form_id = f.id
          INNER JOIN storage.files AS sf ON ff.file_id = sf.id
          WHERE ff.file_id = (p_values ->> (i ->> 'key'))::uuid
            AND ff.organization_id = p_form.organization_id
            AND f.patient_id = p_form.patient_id
            AND ff.purpose = CASE i ->> 'type' WHEN 'file' THEN 'form_file' ELSE 'form_signature' END
            AND sf.status = 'ready' AND sf.deleted_at IS NULL
      )
$$;
COMMENT ON FUNCTION forms.file_errors(forms.forms, jsonb, jsonb) IS 'Internal: item-level errors for file and signature answers that name no checked file uploaded for the patient''s forms.';

REVOKE ALL ON FUNCTION forms.lock_form_for_files(uuid, text), forms.lock_form_upload(uuid, uuid),
forms.file_errors(forms.forms, jsonb, jsonb) FROM public;
GRANT EXECUTE ON FUNCTION forms.begin_form_upload(uuid, text, text, text, timestamptz),
forms.pending_form_upload(uuid, uuid), forms.complete_form_upload(uuid, uuid, text, text, bigint, text),
forms.reject_form_upload(uuid, uuid, text, text, bigint), forms.form_upload(uuid, uuid) TO restartix_app;
