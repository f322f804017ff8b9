-- Who acts for which person, and the membership check every people function makes.
-- Platform staff read no patient data: the checks here count only a membership role's
-- permissions in the current organization, never a platform role, with one exception: a
-- read permission under an open break-glass grant for the current organization
-- (iam.current_break_glass_id, docs/security.md). Writes always need a membership role.

CREATE OR REPLACE FUNCTION people.current_human_patient_profile_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- Security definer: the policies of patient_profiles and patient_caregivers call it, so it
    -- must not itself be filtered by them. It answers about the acting principal only.
    SELECT pp.id
    FROM people.patient_profiles AS pp
    WHERE pp.human_id = iam.current_principal_id()
      AND NOT iam.principal_is_blocked(iam.current_principal_id())
    UNION
    SELECT c.patient_profile_id
    FROM people.patient_caregivers AS c
    WHERE c.caregiver_human_id = iam.current_principal_id()
      AND c.starts_at <= util.now()
      AND (c.ends_at IS NULL OR c.ends_at > util.now())
      AND NOT iam.principal_is_blocked(iam.current_principal_id());
$$;
COMMENT ON FUNCTION people.current_human_patient_profile_ids() IS 'The acting human''s own patient profile and the profiles they are an active caregiver of.';

CREATE OR REPLACE FUNCTION people.member_holds(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- plpgsql so the order is certain: a member holding the permission answers at the first
-- query; the break-glass lookup runs only for a read permission and platform staff.
BEGIN
    IF EXISTS (
        SELECT 1
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND rp.permission_code = p_code
    ) THEN
        RETURN true;
    END IF;
    -- Platform staff read (never change) the current organization's patients while a
    -- break-glass grant for it is open; their platform role alone counts for nothing here.
    RETURN p_code LIKE '%.read'
        AND iam.current_platform_role() IS NOT NULL
        AND iam.current_break_glass_id() IS NOT NULL;
END;
$$;
COMMENT ON FUNCTION people.member_holds(text) IS 'Whether the acting principal''s membership role in the current organization grants a permission, or a read one under an open break-glass grant (platform roles alone do not count).';

CREATE OR REPLACE FUNCTION people.require_member_permission(p_code text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_permission(p_code);
    IF NOT people.member_holds(p_code) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Patient data is for members of the organization holding ' || p_code || '.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION people.require_member_permission(text) IS 'Raises permission_denied unless a member of the current organization holds the permission through their role (a read one also under break-glass).';

CREATE OR REPLACE FUNCTION people.require_human() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_principal uuid := iam.current_principal_id();
BEGIN
    IF v_principal IS NULL OR iam.principal_is_blocked(v_principal)
       OR NOT EXISTS (SELECT 1 FROM iam.humans AS h WHERE h.principal_id = v_principal) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Sign in as a person to do this.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_principal;
END;
$$;
COMMENT ON FUNCTION people.require_human() IS 'The acting human''s principal id; raises permission_denied for nobody, a blocked human or a non-human principal.';

CREATE OR REPLACE FUNCTION people.apply_profile_changes(p_profile uuid, p_changes jsonb, p_allowed text []) RETURNS text []
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Sets the profile columns named in p_changes (a JSON null clears one); keys outside
-- p_allowed are refused. Returns the keys changed, sorted.
DECLARE
    v_keys text [];
BEGIN
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    IF NOT v_keys <@ p_allowed THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be changed here.';
    END IF;
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN v_keys;
    END IF;
    UPDATE people.patient_profiles AS pp SET
        first_name = CASE WHEN p_changes ? 'first_name' THEN pg_catalog.btrim(p_changes ->> 'first_name') ELSE pp.first_name END,
        last_name = CASE WHEN p_changes ? 'last_name' THEN pg_catalog.btrim(p_changes ->> 'last_name') ELSE pp.last_name END,
        date_of_birth = CASE WHEN p_changes ? 'date_of_birth' THEN (p_changes ->> 'date_of_birth')::date ELSE pp.date_of_birth END,
        sex = CASE WHEN p_changes ? 'sex' THEN p_changes ->> 'sex' ELSE pp.sex END,
        phone = CASE WHEN p_changes ? 'phone' THEN p_changes ->> 'phone' ELSE pp.phone END,
        email = CASE WHEN p_changes ? 'email' THEN (p_changes ->> 'email')::public.citext ELSE pp.email END,
        emergency_contact_name = CASE WHEN p_changes ? 'emergency_contact_name'
            THEN p_changes ->> 'emergency_contact_name' ELSE pp.emergency_contact_name END,
        emergency_contact_phone = CASE WHEN p_changes ? 'emergency_contact_phone'
            THEN p_changes ->> 'emergency_contact_phone' ELSE pp.emergency_contact_phone END,
        locale = CASE WHEN p_changes ? 'locale' THEN p_changes ->> 'locale' ELSE pp.locale END,
        address_line = CASE WHEN p_changes ? 'address_line' THEN p_changes ->> 'address_line' ELSE pp.address_line END,
        city = CASE WHEN p_changes ? 'city' THEN p_changes ->> 'city' ELSE pp.city END,
        postal_code = CASE WHEN p_changes ? 'postal_code' THEN p_changes ->> 'postal_code' ELSE pp.postal_code END,
        country = CASE WHEN p_changes ? 'country' THEN p_changes ->> 'country' ELSE pp.country END
    WHERE pp.id = p_profile;
    RETURN v_keys;
END;
$$;
COMMENT ON FUNCTION people.apply_profile_changes(uuid, jsonb, text []) IS 'Internal: sets the named columns of a patient profile; the callers check who may.';

CREATE OR REPLACE TRIGGER patient_profiles_touch BEFORE UPDATE ON people.patient_profiles
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER patient_caregivers_touch BEFORE UPDATE ON people.patient_caregivers
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER patients_touch BEFORE UPDATE ON people.patients
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

REVOKE EXECUTE ON FUNCTION people.require_member_permission(text), people.require_human(),
people.apply_profile_changes(uuid, jsonb, text []) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.current_human_patient_profile_ids(), people.member_holds(text) TO restartix_app;
