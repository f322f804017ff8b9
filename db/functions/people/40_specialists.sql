-- The specialists of an organization, their specialties and signature, and the specialty
-- list. Members holding specialists.manage through their role write (platform roles do not
-- count: people.require_member_permission); every write is audited and published.
-- Errors: RAISE EXCEPTION '<code>' USING DETAIL.

CREATE OR REPLACE TRIGGER specialists_touch BEFORE UPDATE ON people.specialists
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER specialties_touch BEFORE UPDATE ON people.specialties
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION people.check_timezone(p_zone text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- The table's CHECK sees only the shape; the zone must be one this server knows, or
    -- every slot computed for the specialist later would fail.
    IF p_zone IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names AS z WHERE z.name = p_zone) THEN
        RAISE EXCEPTION 'invalid_timezone'
            USING DETAIL = pg_catalog.format('%s is not an IANA time zone name (e.g. Europe/Bucharest).', coalesce(p_zone, 'null'));
    END IF;
END;
$$;
COMMENT ON FUNCTION people.check_timezone(text) IS 'Internal: raises invalid_timezone unless the name is a time zone in pg_timezone_names.';

CREATE OR REPLACE FUNCTION people.check_specialist_human(p_human uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- A login is linked only to a person who works here: an active member of the
    -- organization in scope. No login (NULL) is always fine.
    IF p_human IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        INNER JOIN iam.humans AS h ON h.principal_id = m.principal_id
        WHERE m.organization_id = iam.current_org_id() AND m.principal_id = p_human AND m.status = 'active'
    ) THEN
        RAISE EXCEPTION 'specialist_human_not_member'
            USING DETAIL = 'A specialist''s login must be an active member of this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION people.check_specialist_human(uuid) IS 'Internal: raises specialist_human_not_member unless the human is an active member of the organization in scope.';

CREATE OR REPLACE FUNCTION people.lock_specialist(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS people.specialists
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    SELECT * INTO v_specialist FROM people.specialists AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id()
      AND (s.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'No such specialist in this organization.';
    END IF;
    RETURN v_specialist;
END;
$$;
COMMENT ON FUNCTION people.lock_specialist(uuid, boolean) IS 'Internal: locks a live (or deleted) specialist of the current organization, or raises specialist_not_found.';

CREATE OR REPLACE FUNCTION people.check_changes(p_changes jsonb, p_types jsonb) RETURNS text []
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- The keys of a JSON change set, sorted, after checking each is allowed and of its type
-- (p_types maps a key to the JSON types it accepts, e.g. {"bio": ["string", "null"]}).
DECLARE
    v_keys text [];
    v_key text;
BEGIN
    IF p_changes IS NULL OR pg_catalog.jsonb_typeof(p_changes) <> 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Changes are a JSON object.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    FOREACH v_key IN ARRAY v_keys LOOP
        IF NOT p_types ? v_key THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('The field %s cannot be changed here.', v_key);
        END IF;
        IF NOT (p_types -> v_key) ? pg_catalog.jsonb_typeof(p_changes -> v_key) THEN
            RAISE EXCEPTION 'invalid_field'
                USING DETAIL = pg_catalog.format('The field %s is not a %s.', v_key, p_types ->> v_key);
        END IF;
    END LOOP;
    RETURN v_keys;
END;
$$;
COMMENT ON FUNCTION people.check_changes(jsonb, jsonb) IS 'Internal: the sorted keys of a change set, each checked against the allowed keys and their JSON types.';

CREATE OR REPLACE FUNCTION people.create_specialist(
    p_display_name text, p_title text DEFAULT NULL, p_bio text DEFAULT NULL,
    p_scheduling_timezone text DEFAULT 'Europe/Bucharest', p_scheduling_active boolean DEFAULT FALSE,
    p_human_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.check_timezone(p_scheduling_timezone);
    PERFORM people.check_specialist_human(p_human_id);
    PERFORM billing.enforce_limit('specialists.max', 1);
    INSERT INTO people.specialists (
        organization_id, human_id, display_name, title, bio, scheduling_timezone, scheduling_active, created_by
    ) VALUES (
        iam.current_org_id(), p_human_id, pg_catalog.btrim(p_display_name), pg_catalog.btrim(p_title), p_bio,
        p_scheduling_timezone, coalesce(p_scheduling_active, FALSE), iam.current_principal_id()
    )
    RETURNING id INTO v_id;
    PERFORM events.publish('specialist.created', pg_catalog.jsonb_build_object(
        'specialist_id', v_id, 'human_id', p_human_id, 'scheduling_active', coalesce(p_scheduling_active, FALSE)
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION people.create_specialist(text, text, text, text, boolean, uuid) IS 'Add a specialist (specialists.manage), optionally linked to a member''s login; counts against specialists.max.';

CREATE OR REPLACE FUNCTION people.update_specialist(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Sets the fields named in p_changes; a JSON null clears title, bio or the login link.
DECLARE
    v_specialist people.specialists;
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_keys := people.check_changes(p_changes, '{
        "display_name": ["string"], "title": ["string", "null"], "bio": ["string", "null"],
        "scheduling_timezone": ["string"], "scheduling_active": ["boolean"], "human_id": ["string", "null"]
    }');
    v_specialist := people.lock_specialist(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    IF p_changes ? 'scheduling_timezone' THEN
        PERFORM people.check_timezone(p_changes ->> 'scheduling_timezone');
    END IF;
    IF p_changes ? 'human_id' THEN
        IF (p_changes ->> 'human_id') !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The field human_id is not a UUID.';
        END IF;
        PERFORM people.check_specialist_human((p_changes ->> 'human_id')::uuid);
    END IF;
    UPDATE people.specialists AS s SET
        display_name = CASE WHEN p_changes ? 'display_name' THEN pg_catalog.btrim(p_changes ->> 'display_name') ELSE s.display_name END,
        title = CASE WHEN p_changes ? 'title' THEN pg_catalog.btrim(p_changes ->> 'title') ELSE s.title END,
        bio = CASE WHEN p_changes ? 'bio' THEN p_changes ->> 'bio' ELSE s.bio END,
        scheduling_timezone = CASE WHEN p_changes ? 'scheduling_timezone'
            THEN p_changes ->> 'scheduling_timezone' ELSE s.scheduling_timezone END,
        scheduling_active = CASE WHEN p_changes ? 'scheduling_active'
            THEN (p_changes ->> 'scheduling_active')::boolean ELSE s.scheduling_active END,
        human_id = CASE WHEN p_changes ? 'human_id' THEN (p_changes ->> 'human_id')::uuid ELSE s.human_id END
    WHERE s.id = v_specialist.id;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;
COMMENT ON FUNCTION people.update_specialist(uuid, jsonb) IS 'Change a specialist''s fields named in a JSON object (specialists.manage); publishes the changed keys.';

CREATE OR REPLACE FUNCTION people.delete_specialist(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    -- Specialties and signature stay with the row, so a restore brings them back.
    UPDATE people.specialists SET deleted_at = v_at WHERE id = v_specialist.id;
    PERFORM events.publish('specialist.deleted', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'deleted_at', v_at
    ));
END;
$$;
COMMENT ON FUNCTION people.delete_specialist(uuid) IS 'Soft-delete a specialist of the organization (specialists.manage).';

CREATE OR REPLACE FUNCTION people.restore_specialist(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
    v_human uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id, TRUE);
    PERFORM billing.enforce_limit('specialists.max', 1);
    -- The login may have left the organization, or been linked to another specialist, while
    -- the row was deleted: it comes back without one rather than not at all (a deleted row
    -- cannot be edited, so refusing would leave no way back).
    SELECT s.human_id INTO v_human FROM people.specialists AS s
    WHERE s.id = v_specialist.id
      AND EXISTS (
          SELECT 1 FROM tenancy.organization_memberships AS m
          WHERE m.organization_id = s.organization_id AND m.principal_id = s.human_id AND m.status = 'active'
      )
      AND NOT EXISTS (
          SELECT 1 FROM people.specialists AS o
          WHERE o.organization_id = s.organization_id AND o.human_id = s.human_id AND o.deleted_at IS NULL
      );
    UPDATE people.specialists SET deleted_at = NULL, human_id = v_human WHERE id = v_specialist.id;
    PERFORM events.publish('specialist.restored', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'human_id', v_human
    ));
END;
$$;
COMMENT ON FUNCTION people.restore_specialist(uuid) IS 'Bring a soft-deleted specialist back (specialists.manage; specialists.max), without a login that is no longer theirs to have.';

CREATE OR REPLACE FUNCTION people.set_specialist_specialties(p_id uuid, p_specialty_ids uuid []) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Replaces the specialist's specialties with exactly this set.
DECLARE
    v_specialist people.specialists;
    v_wanted uuid [];
    v_found integer;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    IF p_specialty_ids IS NULL OR pg_catalog.array_position(p_specialty_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Specialties are a list of ids.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(DISTINCT u), '{}') INTO v_wanted FROM pg_catalog.unnest(p_specialty_ids) AS u;
    -- Another organization's specialty is as unknown as one that does not exist.
    SELECT pg_catalog.count(*) INTO v_found FROM people.specialties AS sp
    WHERE sp.id = ANY(v_wanted) AND sp.organization_id = v_specialist.organization_id;
    IF v_found <> pg_catalog.cardinality(v_wanted) THEN
        RAISE EXCEPTION 'specialty_unknown' USING DETAIL = 'A specialty named is not one of this organization.';
    END IF;
    DELETE FROM people.specialist_specialties AS ss
    WHERE ss.specialist_id = v_specialist.id AND ss.specialty_id <> ALL(v_wanted);
    INSERT INTO people.specialist_specialties (organization_id, specialist_id, specialty_id, created_by)
    SELECT v_specialist.organization_id, v_specialist.id, u, iam.current_principal_id()
    FROM pg_catalog.unnest(v_wanted) AS u
    ON CONFLICT (specialist_id, specialty_id) DO NOTHING;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('specialties')
    ));
END;
$$;
COMMENT ON FUNCTION people.set_specialist_specialties(uuid, uuid []) IS 'Replace a specialist''s specialties with a set of the organization''s own (specialists.manage).';

CREATE OR REPLACE FUNCTION people.begin_signature_upload(
    p_id uuid, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- The member check and the specialist's existence first; then the one upload path.
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.lock_specialist(p_id);
    RETURN storage.begin_upload('specialist_signature', p_object_key, p_declared_mime, p_expires_at);
END;
$$;
COMMENT ON FUNCTION people.begin_signature_upload(uuid, text, text, timestamptz) IS 'Record a signature upload grant for a live specialist (specialists.manage); returns the pending file id.';

CREATE OR REPLACE FUNCTION people.set_specialist_signature(p_id uuid, p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
    v_file storage.files;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    v_file := storage.lock_file(p_file);
    IF v_file.purpose <> 'specialist_signature' OR v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No checked signature file of that id in this organization.';
    END IF;
    IF EXISTS (
        SELECT 1 FROM people.specialists AS s
        WHERE s.signature_file_id = p_file AND s.id <> v_specialist.id AND s.organization_id = v_specialist.organization_id
    ) THEN
        RAISE EXCEPTION 'file_in_use' USING DETAIL = 'That file is another specialist''s signature.';
    END IF;
    IF v_specialist.signature_file_id IS NOT DISTINCT FROM p_file THEN
        RETURN;
    END IF;
    UPDATE people.specialists SET signature_file_id = p_file WHERE id = v_specialist.id;
    IF v_specialist.signature_file_id IS NOT NULL THEN
        PERFORM storage.retire(v_specialist.signature_file_id, 'replaced');
    END IF;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('signature')
    ));
END;
$$;
COMMENT ON FUNCTION people.set_specialist_signature(uuid, uuid) IS 'Make a checked signature file a specialist''s signature, retiring the previous one (specialists.manage).';

CREATE OR REPLACE FUNCTION people.remove_specialist_signature(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    IF v_specialist.signature_file_id IS NULL THEN
        RAISE EXCEPTION 'signature_not_set' USING DETAIL = 'This specialist has no signature.';
    END IF;
    UPDATE people.specialists SET signature_file_id = NULL WHERE id = v_specialist.id;
    PERFORM storage.retire(v_specialist.signature_file_id, 'removed');
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('signature')
    ));
END;
$$;
COMMENT ON FUNCTION people.remove_specialist_signature(uuid) IS 'Remove a specialist''s signature (specialists.manage); the sweep removes its bytes.';

CREATE OR REPLACE FUNCTION people.specialist_signature(p_id uuid)
RETURNS TABLE (
    id uuid, detected_mime text, size_bytes bigint, sha256 text, object_key text, uploaded_by uuid,
    verified_at timestamptz
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- A signature signs documents in the specialist's name: only those who manage
    -- specialists and the specialist themselves read it (members have no policy on
    -- signature files; this function is the way in).
    SELECT f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM people.specialists AS s
    INNER JOIN storage.files AS f ON f.id = s.signature_file_id AND f.organization_id = s.organization_id
    WHERE s.id = p_id
      AND s.organization_id = iam.current_member_org_id()
      AND s.deleted_at IS NULL
      AND f.status = 'ready' AND f.deleted_at IS NULL
      AND (people.member_holds('specialists.manage') OR s.human_id = iam.current_principal_id());
$$;
COMMENT ON FUNCTION people.specialist_signature(uuid) IS 'A live specialist''s signature file, for members holding specialists.manage and the specialist themselves.';

CREATE OR REPLACE FUNCTION people.lock_specialty(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM 1 FROM people.specialties AS sp WHERE sp.id = p_id AND sp.organization_id = iam.current_org_id() FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialty_not_found' USING DETAIL = 'No such specialty in this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION people.lock_specialty(uuid) IS 'Internal: locks a specialty of the current organization, or raises specialty_not_found.';

CREATE OR REPLACE FUNCTION people.create_specialty(p_code text, p_name text, p_translations jsonb DEFAULT '{}')
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    INSERT INTO people.specialties (organization_id, code, name, translations, created_by)
    VALUES (iam.current_org_id(), p_code, pg_catalog.btrim(p_name), coalesce(p_translations, '{}'), iam.current_principal_id())
    RETURNING id INTO v_id;
    PERFORM events.publish('specialty.created', pg_catalog.jsonb_build_object('specialty_id', v_id));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION people.create_specialty(text, text, jsonb) IS 'Add a specialty to the organization''s list (specialists.manage).';

CREATE OR REPLACE FUNCTION people.update_specialty(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_keys := people.check_changes(p_changes, '{"code": ["string"], "name": ["string"], "translations": ["object"]}');
    PERFORM people.lock_specialty(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE people.specialties AS sp SET
        code = CASE WHEN p_changes ? 'code' THEN p_changes ->> 'code' ELSE sp.code END,
        name = CASE WHEN p_changes ? 'name' THEN pg_catalog.btrim(p_changes ->> 'name') ELSE sp.name END,
        translations = CASE WHEN p_changes ? 'translations' THEN p_changes -> 'translations' ELSE sp.translations END
    WHERE sp.id = p_id;
    PERFORM events.publish('specialty.updated', pg_catalog.jsonb_build_object(
        'specialty_id', p_id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;
COMMENT ON FUNCTION people.update_specialty(uuid, jsonb) IS 'Change a specialty''s code, name or translations (specialists.manage).';

CREATE OR REPLACE FUNCTION people.delete_specialty(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A hard delete: a specialty is a label nothing historical points to, the audit log keeps
-- the row, and its links to specialists go with it (each link's removal is audited too).
DECLARE
    v_links integer;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.lock_specialty(p_id);
    SELECT pg_catalog.count(*) INTO v_links FROM people.specialist_specialties AS ss WHERE ss.specialty_id = p_id;
    DELETE FROM people.specialties AS sp WHERE sp.id = p_id;
    PERFORM events.publish('specialty.deleted', pg_catalog.jsonb_build_object(
        'specialty_id', p_id, 'specialists_unlinked', v_links
    ));
END;
$$;
COMMENT ON FUNCTION people.delete_specialty(uuid) IS 'Delete a specialty and its links to specialists (specialists.manage).';

REVOKE EXECUTE ON FUNCTION people.check_timezone(text), people.check_specialist_human(uuid),
people.lock_specialist(uuid, boolean), people.lock_specialty(uuid), people.check_changes(jsonb, jsonb)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION
people.create_specialist(text, text, text, text, boolean, uuid), people.update_specialist(uuid, jsonb),
people.delete_specialist(uuid), people.restore_specialist(uuid), people.set_specialist_specialties(uuid, uuid []),
people.begin_signature_upload(uuid, text, text, timestamptz), people.set_specialist_signature(uuid, uuid),
people.remove_specialist_signature(uuid), people.specialist_signature(uuid),
people.create_specialty(text, text, jsonb), people.update_specialty(uuid, jsonb), people.delete_specialty(uuid)
TO restartix_app;
