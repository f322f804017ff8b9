-- The upload lifecycle of storage.files (docs/storage.md). The request pool reads files under
-- its policies and changes them only here: begin an upload (pending), then complete it (ready)
-- or reject it once the application has read the bytes back from S3. The worker's sweep
-- expires abandoned uploads and lists retired objects whose bytes it removes from the bucket.

CREATE OR REPLACE TRIGGER files_touch BEFORE UPDATE ON storage.files
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION storage.upload_permission(p_purpose text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    -- A logo is part of the organization's profile; a signature belongs to a specialist.
    SELECT CASE p_purpose
        WHEN 'logo' THEN 'organizations.update'
        WHEN 'specialist_signature' THEN 'specialists.manage'
        WHEN 'form_file' THEN 'forms.fill'
        WHEN 'form_signature' THEN 'forms.fill'
        WHEN 'service_attachment' THEN 'catalog.manage'
        WHEN 'appointment_file' THEN 'appointments.manage'
    END
$$;
COMMENT ON FUNCTION storage.upload_permission(text) IS 'The permission that uploads, replaces and removes files of a purpose; NULL for an unknown purpose.';

CREATE OR REPLACE FUNCTION storage.require_uploader(p_purpose text) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
    v_permission text := storage.upload_permission(p_purpose);
BEGIN
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    IF v_permission IS NULL THEN
        RAISE EXCEPTION 'file_purpose_unknown'
            USING DETAIL = pg_catalog.format('No file purpose is named %L.', p_purpose);
    END IF;
    IF NOT iam.has_permission(v_permission) THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = pg_catalog.format('This needs the %s permission.', v_permission),
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_org;
END;
$$;
COMMENT ON FUNCTION storage.require_uploader(text) IS 'The organization in scope, after checking the caller may upload files of this purpose there.';

CREATE OR REPLACE FUNCTION storage.record_upload(
    p_org uuid, p_purpose text, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    -- The deadline is the presigned POST's own; one far off would keep a grant alive.
    IF p_expires_at IS NULL OR p_expires_at <= util.now() OR p_expires_at > util.now() + interval '10 minutes' THEN
        RAISE EXCEPTION 'upload_deadline_invalid'
            USING DETAIL = 'An upload deadline lies within the next ten minutes.';
    END IF;
    -- The table's check keeps the key under orgs/{organization}/{purpose}/.
    INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, uploaded_by, upload_expires_at)
    VALUES (p_org, p_purpose, p_object_key, p_declared_mime, iam.current_principal_id(), p_expires_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION storage.record_upload(uuid, text, text, text, timestamptz) IS 'Internal: record an upload grant as a pending file of an organization; callers check who may upload.';

CREATE OR REPLACE FUNCTION storage.begin_upload(
    p_purpose text, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN storage.record_upload(storage.require_uploader(p_purpose), p_purpose, p_object_key, p_declared_mime, p_expires_at);
END;
$$;
COMMENT ON FUNCTION storage.begin_upload(text, text, text, timestamptz) IS 'Record an upload grant as a pending file of the organization in scope; returns its id.';

CREATE OR REPLACE FUNCTION storage.lock_file(p_file uuid) RETURNS storage.files
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Locked until the caller's transaction ends: two confirms of one upload, or a confirm
    -- and a removal, run one after the other.
    SELECT f.* INTO v_file FROM storage.files AS f
    WHERE f.id = p_file AND f.organization_id = iam.current_org_id() AND f.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such file in this organization.';
    END IF;
    RETURN v_file;
END;
$$;
COMMENT ON FUNCTION storage.lock_file(uuid) IS 'Lock a live file of the organization in scope and return it; file_not_found otherwise. Callers check permissions.';

CREATE OR REPLACE FUNCTION storage.require_pending(p_file storage.files) RETURNS storage.files
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    IF p_file.status <> 'pending' THEN
        RAISE EXCEPTION 'file_not_pending'
            USING DETAIL = pg_catalog.format('The upload was already confirmed: the file is %s.', p_file.status),
                  HINT = pg_catalog.jsonb_build_object('status', p_file.status)::text;
    END IF;
    RETURN p_file;
END;
$$;
COMMENT ON FUNCTION storage.require_pending(storage.files) IS 'Internal: the file, or file_not_pending when its upload was already confirmed (every confirm path checks it).';

CREATE OR REPLACE FUNCTION storage.lock_pending_upload(p_file uuid)
RETURNS TABLE (object_key text, purpose text, declared_mime text, upload_expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := storage.lock_file(p_file);
BEGIN
    PERFORM storage.require_uploader(v_file.purpose);
    PERFORM storage.require_pending(v_file);
    RETURN QUERY SELECT v_file.object_key, v_file.purpose, v_file.declared_mime, v_file.upload_expires_at;
END;
$$;
COMMENT ON FUNCTION storage.lock_pending_upload(uuid) IS 'Lock a pending file of the organization in scope for its confirmation and return what the check needs.';

CREATE OR REPLACE FUNCTION storage.retire(p_file uuid, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Soft delete: the row stays for the audit trail; the sweep removes the bytes.
    UPDATE storage.files AS f SET deleted_at = util.now()
    WHERE f.id = p_file AND f.deleted_at IS NULL
    RETURNING f.* INTO v_file;
    IF FOUND THEN
        PERFORM events.publish_for(v_file.organization_id, 'file.deleted', pg_catalog.jsonb_build_object(
            'file_id', v_file.id, 'purpose', v_file.purpose, 'reason', p_reason
        ));
    END IF;
END;
$$;
COMMENT ON FUNCTION storage.retire(uuid, text) IS 'Soft-delete one file and publish file.deleted with the reason (replaced or removed); callers check permissions.';

CREATE OR REPLACE FUNCTION storage.keep_upload(
    p_pending storage.files, p_object_key text, p_detected_mime text, p_size_bytes bigint, p_sha256 text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The caller has locked the pending file and checked who may confirm it.
DECLARE
    v_org uuid := p_pending.organization_id;
    v_previous uuid;
BEGIN
    -- The checked copy keeps the upload's object id and adds its extension (app/storage).
    IF p_object_key IS NULL OR NOT starts_with(p_object_key, p_pending.object_key || '.') THEN
        RAISE EXCEPTION 'file_key_mismatch'
            USING DETAIL = 'A verified file is kept under its upload key plus an extension.';
    END IF;
    -- One completion per organization at a time: the next one, taking this lock, reads the
    -- files (and their bytes against the limit) as the previous one committed them.
    PERFORM billing.lock_limit(v_org, 'storage.bytes');
    IF p_pending.purpose = 'logo' THEN
        SELECT f.id INTO v_previous FROM storage.files AS f
        WHERE f.organization_id = v_org AND f.purpose = 'logo'
          AND f.status = 'ready' AND f.deleted_at IS NULL
        FOR UPDATE;
        IF v_previous IS NOT NULL THEN
            PERFORM storage.retire(v_previous, 'replaced');
        END IF;
    END IF;
    BEGIN
        PERFORM billing.enforce_limit_for(v_org, 'storage.bytes', p_size_bytes);
    EXCEPTION WHEN raise_exception THEN
        -- The clinic's limit and usage are its members' business: a patient confirming their
        -- own upload (a form's, an appointment's) learns only which limit refused the file.
        IF SQLERRM = 'limit_exceeded' AND iam.current_member_org_id() IS DISTINCT FROM v_org THEN
            RAISE EXCEPTION 'limit_exceeded' USING DETAIL = 'The clinic''s file storage is full.',
                HINT = '{"kind": "limit", "limit_code": "storage.bytes"}';
        END IF;
        RAISE;
    END;
    UPDATE storage.files AS f
    SET status = 'ready', object_key = p_object_key, detected_mime = p_detected_mime,
        size_bytes = p_size_bytes, sha256 = p_sha256, verified_at = util.now()
    WHERE f.id = p_pending.id;
    PERFORM events.publish_for(v_org, 'file.uploaded', pg_catalog.jsonb_build_object(
        'file_id', p_pending.id, 'purpose', p_pending.purpose, 'content_type', p_detected_mime,
        'size_bytes', p_size_bytes, 'sha256', p_sha256, 'replaces_file_id', v_previous
    ));
END;
$$;
COMMENT ON FUNCTION storage.keep_upload(storage.files, text, text, bigint, text) IS 'Internal: mark a locked pending file ready within its organization''s storage.bytes limit (a non-member learns only which limit refused it); callers check who confirms.';

CREATE OR REPLACE FUNCTION storage.refuse_upload(
    p_pending storage.files, p_reason text, p_detected_mime text, p_size_bytes bigint
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- The application deleted the objects before calling: nothing of a refused upload is kept.
    UPDATE storage.files AS f
    SET status = 'rejected', rejection_reason = p_reason, detected_mime = p_detected_mime,
        size_bytes = p_size_bytes, object_removed_at = util.now()
    WHERE f.id = p_pending.id;
    PERFORM events.publish_for(p_pending.organization_id, 'file.rejected', pg_catalog.jsonb_build_object(
        'file_id', p_pending.id, 'purpose', p_pending.purpose, 'reason', p_reason,
        'declared_mime', p_pending.declared_mime, 'detected_mime', p_detected_mime, 'size_bytes', p_size_bytes
    ));
END;
$$;
COMMENT ON FUNCTION storage.refuse_upload(storage.files, text, text, bigint) IS 'Internal: mark a locked pending file rejected with the reason its bytes were refused; callers check who confirms.';

CREATE OR REPLACE FUNCTION storage.complete_upload(
    p_file uuid, p_object_key text, p_detected_mime text, p_size_bytes bigint, p_sha256 text
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM storage.lock_pending_upload(p_file);
    -- Only those who may read the organization's limits learn them from a refusal.
    PERFORM billing.require_org_reader(iam.current_org_id());
    PERFORM storage.keep_upload(
        (SELECT f FROM storage.files AS f WHERE f.id = p_file), p_object_key, p_detected_mime, p_size_bytes, p_sha256
    );
END;
$$;
COMMENT ON FUNCTION storage.complete_upload(uuid, text, text, bigint, text) IS 'Mark a pending file ready with what its bytes were checked to be, within the storage.bytes limit; a new logo retires the previous one.';

CREATE OR REPLACE FUNCTION storage.reject_upload(
    p_file uuid, p_reason text, p_detected_mime text DEFAULT NULL, p_size_bytes bigint DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM storage.lock_pending_upload(p_file);
    PERFORM storage.refuse_upload(
        (SELECT f FROM storage.files AS f WHERE f.id = p_file), p_reason, p_detected_mime, p_size_bytes
    );
END;
$$;
COMMENT ON FUNCTION storage.reject_upload(uuid, text, text, bigint) IS 'Mark a pending file rejected with the reason its bytes were refused (their objects already deleted).';

CREATE OR REPLACE FUNCTION storage.remove_file(p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files := storage.lock_file(p_file);
BEGIN
    -- Only a kept file is removed; a pending upload is refused or swept instead.
    IF v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such file in this organization.';
    END IF;
    PERFORM storage.require_uploader(v_file.purpose);
    PERFORM storage.retire(p_file, 'removed');
END;
$$;
COMMENT ON FUNCTION storage.remove_file(uuid) IS 'Remove a ready file of the organization in scope (soft delete); its bytes are removed by the sweep.';

CREATE OR REPLACE FUNCTION storage.expire_abandoned_uploads(p_grace interval, p_limit integer)
RETURNS TABLE (id uuid, object_key text, declared_mime text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Pending past their deadline and the grace a late confirm gets: whatever was uploaded
    -- was never checked, so it is refused. The caller deletes the objects, then calls
    -- storage.mark_bytes_removed in the same transaction.
    FOR v_file IN
        SELECT f.* FROM storage.files AS f
        WHERE f.status = 'pending' AND f.upload_expires_at < util.now() - p_grace
        ORDER BY f.upload_expires_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE storage.files AS f SET status = 'rejected', rejection_reason = 'expired' WHERE f.id = v_file.id;
        PERFORM events.publish_for(v_file.organization_id, 'file.rejected', pg_catalog.jsonb_build_object(
            'file_id', v_file.id, 'purpose', v_file.purpose, 'reason', 'expired',
            'declared_mime', v_file.declared_mime, 'detected_mime', NULL, 'size_bytes', NULL
        ));
        id := v_file.id;
        object_key := v_file.object_key;
        declared_mime := v_file.declared_mime;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION storage.expire_abandoned_uploads(interval, integer) IS 'Reject pending uploads older than their deadline plus a grace (oldest first, at most p_limit) and return their keys for deletion.';

CREATE OR REPLACE FUNCTION storage.retired_objects(p_limit integer)
RETURNS TABLE (id uuid, object_key text)
LANGUAGE sql SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT f.id, f.object_key FROM storage.files AS f
    WHERE f.deleted_at IS NOT NULL AND f.object_removed_at IS NULL
    ORDER BY f.deleted_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
$$;
COMMENT ON FUNCTION storage.retired_objects(integer) IS 'Deleted files whose bytes are still in the bucket (oldest first), locked for the sweep that removes them.';

CREATE OR REPLACE FUNCTION storage.mark_bytes_removed(p_files uuid []) RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = ''
AS $$
    WITH removed AS (
        UPDATE storage.files AS f SET object_removed_at = util.now()
        WHERE f.id = ANY(p_files) AND f.object_removed_at IS NULL
        RETURNING 1
    )
    SELECT pg_catalog.count(*)::integer FROM removed
$$;
COMMENT ON FUNCTION storage.mark_bytes_removed(uuid []) IS 'Record that the sweep deleted these files'' objects from the bucket; returns how many rows changed.';

REVOKE EXECUTE ON FUNCTION
storage.require_uploader(text), storage.record_upload(uuid, text, text, text, timestamptz),
storage.keep_upload(storage.files, text, text, bigint, text), storage.refuse_upload(storage.files, text, text, bigint),
storage.begin_upload(text, text, text, timestamptz),
storage.lock_file(uuid), storage.require_pending(storage.files), storage.lock_pending_upload(uuid),
storage.retire(uuid, text), storage.complete_upload(uuid, text, text, bigint, text), storage.reject_upload(uuid, text, text, bigint),
storage.remove_file(uuid), storage.expire_abandoned_uploads(interval, integer),
storage.retired_objects(integer), storage.mark_bytes_removed(uuid [])
FROM public;
GRANT EXECUTE ON FUNCTION
storage.upload_permission(text), storage.begin_upload(text, text, text, timestamptz),
storage.lock_pending_upload(uuid), storage.complete_upload(uuid, text, text, bigint, text),
storage.reject_upload(uuid, text, text, bigint), storage.remove_file(uuid)
TO restartix_app;
GRANT EXECUTE ON FUNCTION
storage.expire_abandoned_uploads(interval, integer), storage.retired_objects(integer),
storage.mark_bytes_removed(uuid [])
TO restartix_system;
