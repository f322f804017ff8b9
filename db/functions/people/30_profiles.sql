-- The person's side: their own profile, the profiles they care for, and the caregivers an
-- organization records for its patients.

CREATE OR REPLACE FUNCTION people.add_caregiver_link(
    p_profile uuid, p_human uuid, p_relationship text, p_permissions text []
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
    v_permissions text [] := ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS x ORDER BY x);
BEGIN
    INSERT INTO people.patient_caregivers (patient_profile_id, caregiver_human_id, relationship, permissions, created_by)
    VALUES (p_profile, p_human, p_relationship, v_permissions, iam.current_principal_id())
    RETURNING id INTO v_id;
    PERFORM events.publish('caregiver.added', pg_catalog.jsonb_build_object(
        'caregiver_id', v_id, 'patient_profile_id', p_profile, 'caregiver_human_id', p_human,
        'relationship', p_relationship, 'permissions', pg_catalog.to_jsonb(v_permissions)
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION people.add_caregiver_link(uuid, uuid, text, text []) IS 'Internal: records a caregiver link and publishes caregiver.added; the callers check who may.';

CREATE OR REPLACE FUNCTION people.create_my_profile(p_fields jsonb, p_relationship text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Without a relationship: the signed-in human's own profile (one each). With one: a profile
-- of someone they care for (a child), which has no account, and the caregiver link to it.
DECLARE
    v_me uuid := people.require_human();
    v_profile uuid;
BEGIN
    IF NOT (p_fields ? 'first_name' AND p_fields ? 'last_name') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A profile needs a first and a last name.';
    END IF;
    IF p_relationship IS NULL AND EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.human_id = v_me) THEN
        RAISE EXCEPTION 'profile_exists' USING DETAIL = 'You already have a profile of your own.';
    END IF;
    -- A guest profile the clinic made with this human's verified email becomes theirs
    -- (db/functions/people/60_onboarding.sql), filled in with what they give now.
    IF p_relationship IS NULL THEN
        v_profile := people.claim_guest_profiles(v_me);
        IF v_profile IS NOT NULL THEN
            PERFORM people.apply_profile_changes(v_profile, p_fields, ARRAY[
                'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
                'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
            ]);
            RETURN v_profile;
        END IF;
    END IF;
    INSERT INTO people.patient_profiles (human_id, first_name, last_name, created_by)
    VALUES (CASE WHEN p_relationship IS NULL THEN v_me END, pg_catalog.btrim(p_fields ->> 'first_name'),
            pg_catalog.btrim(p_fields ->> 'last_name'), v_me)
    RETURNING id INTO v_profile;
    PERFORM people.apply_profile_changes(v_profile, p_fields - 'first_name' - 'last_name', ARRAY[
        'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name', 'emergency_contact_phone',
        'locale', 'address_line', 'city', 'postal_code', 'country'
    ]);
    IF p_relationship IS NOT NULL THEN
        PERFORM people.add_caregiver_link(v_profile, v_me, p_relationship, ARRAY['book', 'sign_forms', 'view_records']);
    END IF;
    RETURN v_profile;
END;
$$;
COMMENT ON FUNCTION people.create_my_profile(jsonb, text) IS 'The signed-in human creates (or claims, from guest profiles with their email) their own profile, or one of a person they care for.';

CREATE OR REPLACE FUNCTION people.update_my_profile(p_profile uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_human();
    IF p_profile NOT IN (SELECT people.current_human_patient_profile_ids()) THEN
        RAISE EXCEPTION 'profile_not_found' USING DETAIL = 'No such profile of yours.';
    END IF;
    PERFORM 1 FROM people.patient_profiles WHERE id = p_profile FOR UPDATE;
    PERFORM people.apply_profile_changes(p_profile, p_changes, ARRAY[
        'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
        'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
    ]);
END;
$$;
COMMENT ON FUNCTION people.update_my_profile(uuid, jsonb) IS 'The profile''s human, or an active caregiver of it, changes the profile.';

CREATE OR REPLACE FUNCTION people.add_caregiver(
    p_patient uuid, p_email text, p_relationship text, p_permissions text []
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Staff record that a human with an account (found by email) acts for their patient.
DECLARE
    v_patient people.patients;
    v_human uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    SELECT h.principal_id INTO v_human FROM iam.humans AS h WHERE h.email OPERATOR(public.=) p_email::public.citext;
    IF v_human IS NULL THEN
        RAISE EXCEPTION 'caregiver_unknown' USING DETAIL = 'A caregiver needs an account with this email.';
    END IF;
    IF EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.id = v_patient.patient_profile_id AND pp.human_id = v_human) THEN
        RAISE EXCEPTION 'caregiver_is_patient' USING DETAIL = 'A patient is not their own caregiver.';
    END IF;
    RETURN people.add_caregiver_link(v_patient.patient_profile_id, v_human, p_relationship, p_permissions);
END;
$$;
COMMENT ON FUNCTION people.add_caregiver(uuid, text, text, text []) IS 'Record a caregiver (an existing human, by email) for a patient of the organization (patients.manage).';

CREATE OR REPLACE FUNCTION people.end_caregiver(p_patient uuid, p_caregiver uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
    v_link people.patient_caregivers;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    UPDATE people.patient_caregivers AS c SET ends_at = greatest(v_at, c.starts_at)
    WHERE c.id = p_caregiver AND c.patient_profile_id = v_patient.patient_profile_id
      AND (c.ends_at IS NULL OR c.ends_at > v_at)
    RETURNING * INTO v_link;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'caregiver_not_found' USING DETAIL = 'No active caregiver with this id for this patient.';
    END IF;
    PERFORM events.publish('caregiver.removed', pg_catalog.jsonb_build_object(
        'caregiver_id', v_link.id, 'patient_profile_id', v_link.patient_profile_id,
        'caregiver_human_id', v_link.caregiver_human_id, 'ends_at', v_link.ends_at
    ));
END;
$$;
COMMENT ON FUNCTION people.end_caregiver(uuid, uuid) IS 'End a caregiver''s link to a patient of the organization (patients.manage); they stop acting for them at once.';

REVOKE EXECUTE ON FUNCTION people.add_caregiver_link(uuid, uuid, text, text []) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.create_my_profile(jsonb, text), people.update_my_profile(uuid, jsonb),
people.add_caregiver(uuid, text, text, text []), people.end_caregiver(uuid, uuid)
TO restartix_app;
