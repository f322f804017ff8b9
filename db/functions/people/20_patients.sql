-- The patients of an organization: the sharing gate (what an organization reads of a
-- profile) and the writes its members make. Errors: RAISE EXCEPTION '<code>' USING DETAIL.

CREATE OR REPLACE FUNCTION people.org_patients(p_id uuid DEFAULT NULL)
RETURNS TABLE (
    id uuid,
    organization_id uuid,
    patient_profile_id uuid,
    profile_shared boolean,
    consumer_id text,
    notes text,
    has_account boolean,
    first_name text,
    last_name text,
    phone text,
    email text,
    date_of_birth date,
    sex text,
    emergency_contact_name text,
    emergency_contact_phone text,
    locale text,
    address_line text,
    city text,
    postal_code text,
    country text,
    created_at timestamptz,
    updated_at timestamptz
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The gate. Members of the current organization holding patients.read (through their
    -- role, never a platform role) see its live patients: always the contact fields (name,
    -- phone, email); the rest of the profile only while profile_shared is TRUE. Security
    -- definer because members have no policy on patient_profiles at all: this function is
    -- the only way an organization reads a profile.
    SELECT
        pt.id, pt.organization_id, pt.patient_profile_id, pt.profile_shared, pt.consumer_id, pt.notes,
        pp.human_id IS NOT NULL,
        pp.first_name, pp.last_name, pp.phone, pp.email::text,
        CASE WHEN pt.profile_shared THEN pp.date_of_birth END,
        CASE WHEN pt.profile_shared THEN pp.sex END,
        CASE WHEN pt.profile_shared THEN pp.emergency_contact_name END,
        CASE WHEN pt.profile_shared THEN pp.emergency_contact_phone END,
        CASE WHEN pt.profile_shared THEN pp.locale END,
        CASE WHEN pt.profile_shared THEN pp.address_line END,
        CASE WHEN pt.profile_shared THEN pp.city END,
        CASE WHEN pt.profile_shared THEN pp.postal_code END,
        CASE WHEN pt.profile_shared THEN pp.country END,
        pt.created_at, pt.updated_at
    FROM people.patients AS pt
    INNER JOIN people.patient_profiles AS pp ON pp.id = pt.patient_profile_id
    WHERE pt.organization_id = iam.current_member_org_id()
      AND pt.deleted_at IS NULL
      AND people.member_holds('patients.read')
      AND (p_id IS NULL OR pt.id = p_id);
$$;
COMMENT ON FUNCTION people.org_patients(uuid) IS 'The current organization''s live patients as its members may see them: contact fields always, the rest of the profile only when shared.';

CREATE OR REPLACE FUNCTION people.create_patient(
    p_first_name text, p_last_name text, p_phone text DEFAULT NULL, p_email text DEFAULT NULL,
    p_consumer_id text DEFAULT NULL, p_notes text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Staff register a person without an account: a new guest profile (no human yet) holding
-- the contact fields, and the organization's patient row. The rest of the profile is the
-- patient's to fill in.
DECLARE
    v_profile uuid;
    v_patient uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    PERFORM billing.enforce_limit('patients.max', 1);
    INSERT INTO people.patient_profiles (first_name, last_name, phone, email, created_by)
    VALUES (pg_catalog.btrim(p_first_name), pg_catalog.btrim(p_last_name), p_phone, p_email::public.citext,
            iam.current_principal_id())
    RETURNING id INTO v_profile;
    INSERT INTO people.patients (organization_id, patient_profile_id, consumer_id, notes, created_by)
    VALUES (iam.current_org_id(), v_profile, p_consumer_id, p_notes, iam.current_principal_id())
    RETURNING id INTO v_patient;
    PERFORM events.publish('patient.created', pg_catalog.jsonb_build_object(
        'patient_id', v_patient, 'patient_profile_id', v_profile, 'profile_shared', FALSE
    ));
    RETURN v_patient;
END;
$$;
COMMENT ON FUNCTION people.create_patient(text, text, text, text, text, text) IS 'Register a patient (patients.manage) with a new guest profile; counts against patients.max.';

CREATE OR REPLACE FUNCTION people.lock_patient(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS people.patients
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
BEGIN
    SELECT * INTO v_patient FROM people.patients AS pt
    WHERE pt.id = p_id AND pt.organization_id = iam.current_org_id()
      AND (pt.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    RETURN v_patient;
END;
$$;
COMMENT ON FUNCTION people.lock_patient(uuid, boolean) IS 'Internal: locks a live (or deleted) patient of the current organization, or raises patient_not_found.';

CREATE OR REPLACE FUNCTION people.update_patient(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- consumer_id and notes are the organization's own; the contact fields of the profile may be
-- corrected by staff only while the profile is a guest one (no account): once a person has
-- signed up, their profile is theirs.
DECLARE
    v_patient people.patients;
    v_owned boolean;
    v_keys text [];
    v_profile_changes jsonb := p_changes - 'consumer_id' - 'notes';
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id);
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    IF v_profile_changes <> '{}'::jsonb THEN
        SELECT pp.human_id IS NOT NULL INTO v_owned FROM people.patient_profiles AS pp WHERE pp.id = v_patient.patient_profile_id;
        IF v_owned THEN
            RAISE EXCEPTION 'profile_owned_by_patient' USING DETAIL = 'This patient has an account: only they change their profile.';
        END IF;
        PERFORM people.apply_profile_changes(
            v_patient.patient_profile_id, v_profile_changes, ARRAY['first_name', 'last_name', 'phone', 'email']
        );
    END IF;
    UPDATE people.patients AS pt SET
        consumer_id = CASE WHEN p_changes ? 'consumer_id' THEN p_changes ->> 'consumer_id' ELSE pt.consumer_id END,
        notes = CASE WHEN p_changes ? 'notes' THEN p_changes ->> 'notes' ELSE pt.notes END
    WHERE pt.id = v_patient.id AND (p_changes ? 'consumer_id' OR p_changes ? 'notes');
    IF pg_catalog.cardinality(v_keys) > 0 THEN
        PERFORM events.publish('patient.updated', pg_catalog.jsonb_build_object(
            'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id,
            'changed', pg_catalog.to_jsonb(v_keys)
        ));
    END IF;
END;
$$;
COMMENT ON FUNCTION people.update_patient(uuid, jsonb) IS 'Change a patient''s reference and notes, and a guest profile''s contact fields (patients.manage).';

CREATE OR REPLACE FUNCTION people.delete_patient(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id);
    UPDATE people.patients SET deleted_at = v_at WHERE id = v_patient.id;
    PERFORM events.publish('patient.deleted', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id, 'deleted_at', v_at
    ));
END;
$$;
COMMENT ON FUNCTION people.delete_patient(uuid) IS 'Soft-delete a patient of the organization (patients.manage); the profile stays the person''s.';

CREATE OR REPLACE FUNCTION people.restore_patient(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id, true);
    PERFORM billing.enforce_limit('patients.max', 1);
    UPDATE people.patients SET deleted_at = NULL WHERE id = v_patient.id;
    PERFORM events.publish('patient.restored', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id
    ));
END;
$$;
COMMENT ON FUNCTION people.restore_patient(uuid) IS 'Bring a soft-deleted patient back (patients.manage); counts against patients.max again.';

REVOKE EXECUTE ON FUNCTION people.lock_patient(uuid, boolean) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.org_patients(uuid),
people.create_patient(text, text, text, text, text, text), people.update_patient(uuid, jsonb),
people.delete_patient(uuid), people.restore_patient(uuid)
TO restartix_app;
