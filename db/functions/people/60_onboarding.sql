-- Onboarding through a clinic's portal (seed 2.4, 2.5), and the claim of guest profiles.
--
-- The claim rule (docs/people.md): staff register people without an account as guest
-- profiles (human_id NULL) carrying the contact email they were given. A human's email is
-- verified (the sign-in provider did not declare it unverified, app/api/auth.py). When that
-- human onboards, or creates their own profile while having none, every guest profile whose
-- email equals theirs and which nobody cares for (no caregiver link: a child's profile may
-- carry a parent's email and must not become the parent's) is theirs:
--   - with no profile of their own, the oldest such guest profile becomes it (human_id set);
--   - every other one is merged into it: its patient rows move to the human's profile,
--     except a live row in an organization where the human's profile already has a live
--     row (the unique link per organization; that duplicate stays a guest for the clinic to
--     tidy up); a guest profile left with no patient row is deleted.
-- Each patient row claimed publishes patient_profile.claimed to its organization; every
-- write is audited by the table triggers.

CREATE OR REPLACE FUNCTION people.claim_guest_profiles(p_human uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_email public.citext;
    v_own uuid;
    v_guest uuid;
    v_patient people.patients;
BEGIN
    SELECT h.email INTO v_email FROM iam.humans AS h WHERE h.principal_id = p_human;
    SELECT pp.id INTO v_own FROM people.patient_profiles AS pp WHERE pp.human_id = p_human;
    FOR v_guest IN
        SELECT pp.id FROM people.patient_profiles AS pp
        -- citext's own equality (its operator lives in public, outside the empty search_path):
        -- the address matches whatever its case, as the unique key of iam.humans does.
        WHERE pp.human_id IS NULL AND pp.email OPERATOR(public.=) v_email
          AND NOT EXISTS (SELECT 1 FROM people.patient_caregivers AS c WHERE c.patient_profile_id = pp.id)
        ORDER BY pp.created_at, pp.id
        FOR UPDATE
    LOOP
        IF v_own IS NULL THEN
            UPDATE people.patient_profiles SET human_id = p_human WHERE id = v_guest;
            v_own := v_guest;
        END IF;
        FOR v_patient IN
            SELECT * FROM people.patients AS pt WHERE pt.patient_profile_id = v_guest ORDER BY pt.created_at FOR UPDATE
        LOOP
            IF v_guest <> v_own THEN
                CONTINUE WHEN v_patient.deleted_at IS NULL AND EXISTS (
                    SELECT 1 FROM people.patients AS mine
                    WHERE mine.organization_id = v_patient.organization_id
                      AND mine.patient_profile_id = v_own AND mine.deleted_at IS NULL
                );
                UPDATE people.patients SET patient_profile_id = v_own WHERE id = v_patient.id;
            END IF;
            PERFORM events.publish_for(v_patient.organization_id, 'patient_profile.claimed', pg_catalog.jsonb_build_object(
                'patient_id', v_patient.id, 'patient_profile_id', v_own, 'previous_patient_profile_id', v_guest
            ));
        END LOOP;
        IF v_guest <> v_own AND NOT EXISTS (SELECT 1 FROM people.patients AS pt WHERE pt.patient_profile_id = v_guest) THEN
            BEGIN
                DELETE FROM people.patient_profiles WHERE id = v_guest;
            EXCEPTION WHEN foreign_key_violation THEN
                -- Something else still points at the guest profile: it stays, unclaimed.
                NULL;
            END;
        END IF;
    END LOOP;
    RETURN v_own;
END;
$$;
COMMENT ON FUNCTION people.claim_guest_profiles(uuid) IS 'Internal: a human claims the guest profiles carrying their verified email (see the rule above); returns their own profile id or NULL.';

CREATE OR REPLACE FUNCTION people.resolve_portal_org(p_host text, p_slug text) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Exactly as the public resolve does (tenancy.resolve_org / resolve_org_by_slug); when that
-- finds nothing, a clinic that exists but is suspended gets its own answer.
DECLARE
    v_org uuid;
    v_host text := pg_catalog.lower(pg_catalog.rtrim(pg_catalog.split_part(pg_catalog.btrim(p_host), ':', 1), '.'));
BEGIN
    IF (p_host IS NULL) = (p_slug IS NULL) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Give exactly one of host or slug.';
    END IF;
    IF p_host IS NOT NULL THEN
        SELECT r.id INTO v_org FROM tenancy.resolve_org(v_host) AS r;
    ELSE
        SELECT r.id INTO v_org FROM tenancy.resolve_org_by_slug(pg_catalog.btrim(p_slug)) AS r;
    END IF;
    IF v_org IS NOT NULL THEN
        RETURN v_org;
    END IF;
    IF EXISTS (
        SELECT 1 FROM tenancy.organizations AS o
        WHERE o.deleted_at IS NULL AND o.status <> 'active'
          AND (
              o.slug = pg_catalog.lower(pg_catalog.btrim(p_slug))
              OR o.slug = pg_catalog.split_part(v_host, '.', 1)
              OR o.id IN (
                  SELECT d.organization_id FROM tenancy.organization_domains AS d
                  WHERE d.domain = v_host AND d.verified_at IS NOT NULL
              )
          )
    ) THEN
        RAISE EXCEPTION 'organization_not_active' USING DETAIL = 'This clinic is not accepting patients at the moment.';
    END IF;
    RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
END;
$$;
COMMENT ON FUNCTION people.resolve_portal_org(text, text) IS 'Internal: the active organization a portal host or slug names; raises organization_not_active or organization_not_found.';

CREATE OR REPLACE FUNCTION people.onboard(p_host text, p_slug text, p_fields jsonb)
RETURNS TABLE (
    patient_id uuid,
    organization_id uuid,
    patient_profile_id uuid,
    patient_subscription_id uuid,
    created boolean,
    claimed boolean
)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- In the caller's one transaction: the human's own profile (claimed, reused or created; the
-- fields given are set on it), their patient row in the clinic (reused or created, against
-- patients.max) and an active subscription (the default tier's newest version for a new
-- patient, or for one left with none). Idempotent: a second call returns the same patient.
DECLARE
    v_me uuid := people.require_human();
    v_org uuid := people.resolve_portal_org(p_host, p_slug);
    v_had_profile boolean;
    v_profile uuid;
    v_patient uuid;
    v_sub uuid;
    v_created boolean := false;
    v_claimed boolean;
    v_fields jsonb := coalesce(p_fields, '{}');
    v_allowed text [] := ARRAY[
        'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
        'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
    ];
BEGIN
    IF NOT billing.org_entitlement_on(v_org, 'patient_portal') THEN
        RAISE EXCEPTION 'org_entitlement_disabled'
            USING DETAIL = 'This clinic''s patient portal is switched off.',
                  HINT = '{"kind": "org_entitlement", "entitlement": "patient_portal"}';
    END IF;
    -- One onboarding of a human at a time: a double click does not make two profiles or rows.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('people.onboard/' || v_me::text, 0));
    v_had_profile := EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.human_id = v_me);
    v_profile := people.claim_guest_profiles(v_me);
    v_claimed := NOT v_had_profile AND v_profile IS NOT NULL;
    IF v_profile IS NULL THEN
        IF NOT (v_fields ? 'first_name' AND v_fields ? 'last_name') THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A first onboarding needs a first and a last name.';
        END IF;
        INSERT INTO people.patient_profiles (human_id, first_name, last_name, email, created_by)
        SELECT v_me, pg_catalog.btrim(v_fields ->> 'first_name'), pg_catalog.btrim(v_fields ->> 'last_name'), h.email, v_me
        FROM iam.humans AS h WHERE h.principal_id = v_me
        RETURNING id INTO v_profile;
    END IF;
    PERFORM people.apply_profile_changes(v_profile, v_fields, v_allowed);
    SELECT pt.id INTO v_patient FROM people.patients AS pt
    WHERE pt.organization_id = v_org AND pt.patient_profile_id = v_profile AND pt.deleted_at IS NULL
    FOR UPDATE;
    IF v_patient IS NULL THEN
        PERFORM billing.enforce_limit_for(v_org, 'patients.max', 1);
        -- The patients_subscribe trigger puts the new patient on the default tier.
        INSERT INTO people.patients (organization_id, patient_profile_id, created_by)
        VALUES (v_org, v_profile, v_me)
        RETURNING id INTO v_patient;
        v_created := true;
        PERFORM events.publish_for(v_org, 'patient.created', pg_catalog.jsonb_build_object(
            'patient_id', v_patient, 'patient_profile_id', v_profile, 'profile_shared', false
        ));
    END IF;
    SELECT s.id INTO v_sub FROM people.patient_subscriptions AS s WHERE s.patient_id = v_patient AND s.status = 'active';
    IF v_sub IS NULL THEN
        v_sub := people.subscribe_patient(v_patient, v_org, NULL, 'started');
    END IF;
    IF v_created OR v_claimed THEN
        PERFORM events.publish_for(v_org, 'patient.onboarded', pg_catalog.jsonb_build_object(
            'patient_id', v_patient, 'patient_profile_id', v_profile, 'patient_subscription_id', v_sub,
            'created', v_created, 'claimed', v_claimed
        ));
    END IF;
    RETURN QUERY SELECT v_patient, v_org, v_profile, v_sub, v_created, v_claimed;
END;
$$;
COMMENT ON FUNCTION people.onboard(text, text, jsonb) IS 'A signed-in human becomes a patient of the clinic a host or slug names: profile, patient row and default-tier subscription in one transaction.';

REVOKE EXECUTE ON FUNCTION people.claim_guest_profiles(uuid), people.resolve_portal_org(text, text)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.onboard(text, text, jsonb) TO restartix_app;
