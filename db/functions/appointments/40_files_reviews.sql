-- Appointment files and reviews (docs/appointments.md). Files use the one upload path of
-- storage (begin here, confirm in the API, attach here); the clinic's appointment managers
-- upload and remove, its appointment readers and the patient (or a caregiver who books for
-- them) read. Reviews are written by the patient or that caregiver once the appointment is
-- done, once; staff read them.

CREATE OR REPLACE FUNCTION appointments.begin_file_upload(
    p_appointment uuid, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row appointments.appointments;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    v_row := appointments.lock_appointment(p_appointment);
    IF (
        SELECT pg_catalog.count(*) FROM appointments.appointment_files AS f
        WHERE f.appointment_id = v_row.id AND f.deleted_at IS NULL
    ) >= 20 THEN
        RAISE EXCEPTION 'too_many_appointment_files' USING DETAIL = 'An appointment carries at most 20 files.';
    END IF;
    RETURN storage.begin_upload('appointment_file', p_object_key, p_declared_mime, p_expires_at);
END;
$$;
COMMENT ON FUNCTION appointments.begin_file_upload(uuid, text, text, timestamptz) IS 'Record an upload grant for a file of a live appointment (appointments.manage); returns the pending file id.';

CREATE OR REPLACE FUNCTION appointments.attach_file(p_appointment uuid, p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row appointments.appointments;
    v_file storage.files;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    v_row := appointments.lock_appointment(p_appointment);
    v_file := storage.lock_file(p_file);
    IF v_file.purpose <> 'appointment_file' OR v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No checked appointment file of that id in this organization.';
    END IF;
    INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id, created_by)
    VALUES (v_row.organization_id, v_row.id, p_file, iam.current_principal_id())
    ON CONFLICT (file_id) DO NOTHING;
    IF NOT FOUND THEN
        IF EXISTS (
            SELECT 1 FROM appointments.appointment_files AS f
            WHERE f.file_id = p_file AND f.appointment_id = v_row.id AND f.deleted_at IS NULL
        ) THEN
            RETURN;
        END IF;
        RAISE EXCEPTION 'file_in_use' USING DETAIL = 'That file belongs to another appointment.';
    END IF;
    PERFORM events.publish('appointment.file_added', pg_catalog.jsonb_build_object(
        'appointment_id', v_row.id, 'file_id', p_file,
        'content_type', v_file.detected_mime, 'size_bytes', v_file.size_bytes
    ));
END;
$$;
COMMENT ON FUNCTION appointments.attach_file(uuid, uuid) IS 'Attach a checked appointment_file to a live appointment (appointments.manage); attaching it again changes nothing.';

CREATE OR REPLACE FUNCTION appointments.remove_file(p_appointment uuid, p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row appointments.appointments;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    v_row := appointments.lock_appointment(p_appointment);
    UPDATE appointments.appointment_files AS f SET deleted_at = util.now()
    WHERE f.file_id = p_file AND f.appointment_id = v_row.id AND f.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such file on this appointment.';
    END IF;
    PERFORM storage.retire(p_file, 'removed');
    PERFORM events.publish('appointment.file_removed', pg_catalog.jsonb_build_object(
        'appointment_id', v_row.id, 'file_id', p_file
    ));
END;
$$;
COMMENT ON FUNCTION appointments.remove_file(uuid, uuid) IS 'Remove a file from an appointment (appointments.manage): the link is soft-deleted, the file retired, its bytes swept.';

CREATE OR REPLACE FUNCTION appointments.files_of(p_appointment uuid)
RETURNS TABLE (
    id uuid, detected_mime text, size_bytes bigint, sha256 text, object_key text, uploaded_by uuid,
    verified_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Security definer: an appointment's files are read by whoever reads its appointments, which
-- the storage policies (files.read) do not grant.
BEGIN
    IF NOT (people.member_holds('appointments.read') AND people.member_holds('patients.read'))
       OR NOT EXISTS (
           SELECT 1 FROM appointments.appointments AS a
           WHERE a.id = p_appointment AND a.organization_id = iam.current_member_org_id() AND a.deleted_at IS NULL
       ) THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment in this organization.';
    END IF;
    RETURN QUERY
    SELECT f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM appointments.appointment_files AS af
    INNER JOIN storage.files AS f ON af.file_id = f.id AND f.deleted_at IS NULL AND f.status = 'ready'
    WHERE af.appointment_id = p_appointment AND af.organization_id = iam.current_member_org_id()
      AND af.deleted_at IS NULL
    ORDER BY af.created_at, f.id;
END;
$$;
COMMENT ON FUNCTION appointments.files_of(uuid) IS 'The checked files of a live appointment, for the organization''s appointment readers who read patients.';

CREATE OR REPLACE FUNCTION appointments.my_files(p_appointment uuid)
RETURNS TABLE (
    id uuid, organization_id uuid, detected_mime text, size_bytes bigint, sha256 text, object_key text,
    uploaded_by uuid, verified_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- The patient, or a caregiver who books for them, outside any organization's scope.
BEGIN
    PERFORM people.require_human();
    IF NOT EXISTS (
        SELECT 1 FROM appointments.appointments AS a
        INNER JOIN people.patients AS p ON p.id = a.patient_id AND p.organization_id = a.organization_id
        WHERE a.id = p_appointment AND a.deleted_at IS NULL AND p.deleted_at IS NULL
          AND p.patient_profile_id IN (SELECT appointments.my_profile_ids())
    ) THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment of yours.';
    END IF;
    RETURN QUERY
    SELECT f.id, f.organization_id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM appointments.appointment_files AS af
    INNER JOIN storage.files AS f ON af.file_id = f.id AND f.deleted_at IS NULL AND f.status = 'ready'
    WHERE af.appointment_id = p_appointment AND af.deleted_at IS NULL
    ORDER BY af.created_at, f.id;
END;
$$;
COMMENT ON FUNCTION appointments.my_files(uuid) IS 'The checked files of one of the acting human''s appointments (or of someone they book for).';

CREATE OR REPLACE FUNCTION appointments.lock_my_appointment_for_files(p_appointment uuid)
RETURNS appointments.appointments
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- One of the acting human's appointments (or of someone they book for), locked, that still
-- takes files: requested, confirmed, in progress or done (a cancelled or missed one does not).
DECLARE
    v_row appointments.appointments;
BEGIN
    PERFORM people.require_human();
    SELECT a.* INTO v_row FROM appointments.appointments AS a
    INNER JOIN people.patients AS p ON p.id = a.patient_id AND p.organization_id = a.organization_id
    WHERE a.id = p_appointment AND a.deleted_at IS NULL AND p.deleted_at IS NULL
      AND p.patient_profile_id IN (SELECT appointments.my_profile_ids())
    FOR UPDATE OF a;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment of yours.';
    END IF;
    IF v_row.status NOT IN ('requested', 'confirmed', 'inprogress', 'done') THEN
        RAISE EXCEPTION 'appointment_closed'
            USING DETAIL = pg_catalog.format('A %s appointment takes no new file.', v_row.status),
                  HINT = pg_catalog.jsonb_build_object('status', v_row.status)::text;
    END IF;
    RETURN v_row;
END;
$$;
COMMENT ON FUNCTION appointments.lock_my_appointment_for_files(uuid) IS 'Internal: locks one of the acting human''s appointments (or of someone they book for) that still takes files.';

CREATE OR REPLACE FUNCTION appointments.require_file_room(p_appointment uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF (
        SELECT pg_catalog.count(*) FROM appointments.appointment_files AS f
        WHERE f.appointment_id = p_appointment AND f.deleted_at IS NULL
    ) >= 20 THEN
        RAISE EXCEPTION 'too_many_appointment_files' USING DETAIL = 'An appointment carries at most 20 files.';
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.require_file_room(uuid) IS 'Internal: raises too_many_appointment_files when an appointment already carries 20 live files.';

CREATE OR REPLACE FUNCTION appointments.begin_my_file_upload(
    p_appointment uuid, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_row appointments.appointments := appointments.lock_my_appointment_for_files(p_appointment);
BEGIN
    PERFORM appointments.require_file_room(v_row.id);
    -- The pending file belongs to the clinic that keeps the appointment; its uploader is the
    -- acting human, who alone confirms it.
    RETURN storage.record_upload(v_row.organization_id, 'appointment_file', p_object_key, p_declared_mime, p_expires_at);
END;
$$;
COMMENT ON FUNCTION appointments.begin_my_file_upload(uuid, text, text, timestamptz) IS 'Record an upload grant for a file of one of the acting human''s appointments (or of someone they book for) that still takes files; returns the pending file id.';

CREATE OR REPLACE FUNCTION appointments.lock_my_file_upload(p_appointment uuid, p_file uuid) RETURNS storage.files
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A pending appointment file the acting human uploaded in the appointment's organization,
-- locked, once the appointment is checked as on the grant.
DECLARE
    v_row appointments.appointments := appointments.lock_my_appointment_for_files(p_appointment);
    v_file storage.files;
BEGIN
    SELECT f.* INTO v_file FROM storage.files AS f
    WHERE f.id = p_file AND f.organization_id = v_row.organization_id AND f.purpose = 'appointment_file'
      AND f.uploaded_by = iam.current_principal_id() AND f.deleted_at IS NULL
    FOR UPDATE;
    IF v_file.id IS NULL THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such upload of yours for this appointment.';
    END IF;
    RETURN storage.require_pending(v_file);
END;
$$;
COMMENT ON FUNCTION appointments.lock_my_file_upload(uuid, uuid) IS 'Internal: locks a pending appointment file the acting human uploaded for an appointment of theirs that still takes files.';

CREATE OR REPLACE FUNCTION appointments.pending_my_file_upload(p_appointment uuid, p_file uuid)
RETURNS TABLE (object_key text, purpose text, declared_mime text, upload_expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := appointments.lock_my_file_upload(p_appointment, p_file);
BEGIN
    -- Refused before its bytes are read when the appointment has filled up since the grant.
    PERFORM appointments.require_file_room(p_appointment);
    RETURN QUERY SELECT v_file.object_key, v_file.purpose, v_file.declared_mime, v_file.upload_expires_at;
END;
$$;
COMMENT ON FUNCTION appointments.pending_my_file_upload(uuid, uuid) IS 'Lock a pending file the acting human uploaded for one of their appointments for its confirmation and return what the check needs.';

CREATE OR REPLACE FUNCTION appointments.complete_my_file_upload(
    p_appointment uuid, p_file uuid, p_object_key text, p_detected_mime text, p_size_bytes bigint, p_sha256 text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := appointments.lock_my_file_upload(p_appointment, p_file);
BEGIN
    PERFORM appointments.require_file_room(p_appointment);
    PERFORM storage.keep_upload(v_file, p_object_key, p_detected_mime, p_size_bytes, p_sha256);
    INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id, created_by)
    VALUES (v_file.organization_id, p_appointment, p_file, iam.current_principal_id());
    -- publish_for: the patient uploads from /v1/me, outside any organization's session.
    PERFORM events.publish_for(v_file.organization_id, 'appointment.file_added', pg_catalog.jsonb_build_object(
        'appointment_id', p_appointment, 'file_id', p_file,
        'content_type', p_detected_mime, 'size_bytes', p_size_bytes
    ));
END;
$$;
COMMENT ON FUNCTION appointments.complete_my_file_upload(uuid, uuid, text, text, bigint, text) IS 'Keep a file the acting human uploaded for one of their appointments (within the clinic''s storage.bytes limit and the 20-file cap) and attach it; publishes appointment.file_added.';

CREATE OR REPLACE FUNCTION appointments.reject_my_file_upload(
    p_appointment uuid, p_file uuid, p_reason text, p_detected_mime text DEFAULT NULL, p_size_bytes bigint DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM storage.refuse_upload(
        appointments.lock_my_file_upload(p_appointment, p_file), p_reason, p_detected_mime, p_size_bytes
    );
END;
$$;
COMMENT ON FUNCTION appointments.reject_my_file_upload(uuid, uuid, text, text, bigint) IS 'Mark a pending file the acting human uploaded for one of their appointments rejected with the reason its bytes were refused (their objects already deleted).';

CREATE OR REPLACE FUNCTION appointments.review(p_appointment uuid, p_stars integer, p_comment text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The patient, or a caregiver allowed to book for them, rates a done appointment once.
DECLARE
    v_row appointments.appointments;
    v_comment text := nullif(pg_catalog.btrim(p_comment), '');
    v_id uuid;
    v_payload jsonb;
BEGIN
    PERFORM people.require_human();
    IF p_stars IS NULL OR p_stars NOT BETWEEN 1 AND 5 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'stars: a whole number from 1 to 5.';
    END IF;
    IF pg_catalog.length(v_comment) > 2000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'comment: at most 2000 characters.';
    END IF;
    SELECT a.* INTO v_row FROM appointments.appointments AS a
    INNER JOIN people.patients AS p ON p.id = a.patient_id AND p.organization_id = a.organization_id
    WHERE a.id = p_appointment AND a.deleted_at IS NULL AND p.deleted_at IS NULL
      AND p.patient_profile_id IN (SELECT appointments.my_profile_ids())
    FOR UPDATE OF a;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment of yours.';
    END IF;
    IF v_row.status <> 'done' THEN
        RAISE EXCEPTION 'appointment_not_done'
            USING DETAIL = pg_catalog.format('Only a done appointment is reviewed; this one is %s.', v_row.status),
                  HINT = pg_catalog.jsonb_build_object('status', v_row.status)::text;
    END IF;
    INSERT INTO appointments.appointment_reviews (organization_id, appointment_id, stars, comment, reviewed_by)
    VALUES (v_row.organization_id, v_row.id, p_stars, v_comment, iam.current_principal_id())
    ON CONFLICT (appointment_id) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'review_exists' USING DETAIL = 'This appointment was already reviewed.';
    END IF;
    v_payload := pg_catalog.jsonb_build_object(
        'review_id', v_id, 'appointment_id', v_row.id, 'specialist_id', v_row.specialist_id,
        'stars', p_stars, 'has_comment', v_comment IS NOT NULL
    );
    -- publish_for: the patient reviews from /v1/me, outside any organization's session.
    PERFORM events.publish_for(v_row.organization_id, 'appointment.reviewed', v_payload);
    IF p_stars <= 2 THEN
        PERFORM events.publish_for(v_row.organization_id, 'appointment.review_low', v_payload);
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION appointments.review(uuid, integer, text) IS 'The patient or their booking caregiver rates a done appointment once (1-5 stars, comment up to 2000 characters); 2 stars or fewer also publishes review_low.';

REVOKE EXECUTE ON FUNCTION appointments.begin_file_upload(uuid, text, text, timestamptz),
appointments.attach_file(uuid, uuid), appointments.remove_file(uuid, uuid), appointments.files_of(uuid),
appointments.my_files(uuid), appointments.review(uuid, integer, text),
appointments.lock_my_appointment_for_files(uuid), appointments.require_file_room(uuid),
appointments.lock_my_file_upload(uuid, uuid), appointments.begin_my_file_upload(uuid, text, text, timestamptz),
appointments.pending_my_file_upload(uuid, uuid), appointments.complete_my_file_upload(uuid, uuid, text, text, bigint, text),
appointments.reject_my_file_upload(uuid, uuid, text, text, bigint) FROM public;
GRANT EXECUTE ON FUNCTION appointments.begin_file_upload(uuid, text, text, timestamptz),
appointments.attach_file(uuid, uuid), appointments.remove_file(uuid, uuid), appointments.files_of(uuid),
appointments.my_files(uuid), appointments.review(uuid, integer, text),
appointments.begin_my_file_upload(uuid, text, text, timestamptz), appointments.pending_my_file_upload(uuid, uuid),
appointments.complete_my_file_upload(uuid, uuid, text, text, bigint, text),
appointments.reject_my_file_upload(uuid, uuid, text, text, bigint) TO restartix_app;
