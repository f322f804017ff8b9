-- Patient subscriptions (seed 2.5): every patient of an organization is on one of its patient
-- tiers, snapshotted from the tier's newest version when subscribed. The snapshot, the
-- overrides and the effective values are billing's engine (db/functions/billing/05_engine.sql,
-- side 'patient'); here are who may do what, and the events. Errors: RAISE EXCEPTION '<code>'.

CREATE OR REPLACE FUNCTION people.subscribe_patient(p_patient uuid, p_org uuid, p_tier uuid, p_change text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_tier NULL: the organization's default tier. The caller has ended any active subscription.
DECLARE
    v_tier uuid;
    v_version uuid;
    v_number integer;
    v_sub uuid;
BEGIN
    SELECT t.id, v.id, v.version INTO v_tier, v_version, v_number
    FROM billing.patient_tiers AS t
    INNER JOIN billing.patient_tier_versions AS v ON v.patient_tier_id = t.id
    WHERE t.organization_id = p_org AND t.status = 'active'
      AND (t.id = p_tier OR (p_tier IS NULL AND t.is_default))
    ORDER BY v.version DESC
    LIMIT 1;
    IF v_version IS NULL THEN
        RAISE EXCEPTION 'patient_tier_not_found' USING DETAIL = 'No such active patient tier in this organization.';
    END IF;
    INSERT INTO people.patient_subscriptions (organization_id, patient_id, patient_tier_version_id, created_by)
    VALUES (p_org, p_patient, v_version, iam.current_principal_id())
    RETURNING id INTO v_sub;
    PERFORM billing.snapshot_version('patient', v_sub, p_org, v_version);
    PERFORM events.publish_for(p_org, 'patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', p_patient, 'patient_subscription_id', v_sub, 'change', p_change,
        'patient_tier_id', v_tier, 'version', v_number
    ));
    RETURN v_sub;
END;
$$;
COMMENT ON FUNCTION people.subscribe_patient(uuid, uuid, uuid, text) IS 'Internal: subscribes a patient to a tier''s newest version (NULL: the default tier), snapshots it and publishes the change.';

CREATE OR REPLACE FUNCTION people.subscribe_new_patient() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.subscribe_patient(NEW.id, NEW.organization_id, NULL, 'started');
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION people.subscribe_new_patient() IS 'AFTER INSERT on patients: every new patient starts on the organization''s default tier.';

CREATE OR REPLACE TRIGGER patients_subscribe AFTER INSERT ON people.patients
FOR EACH ROW EXECUTE FUNCTION people.subscribe_new_patient();

CREATE OR REPLACE TRIGGER patient_subscriptions_touch BEFORE UPDATE ON people.patient_subscriptions
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION people.end_active_subscription(p_patient uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_sub uuid;
BEGIN
    UPDATE people.patient_subscriptions SET status = 'ended', ended_at = util.now()
    WHERE patient_id = p_patient AND status = 'active'
    RETURNING id INTO v_sub;
    RETURN v_sub;
END;
$$;
COMMENT ON FUNCTION people.end_active_subscription(uuid) IS 'Internal: ends a patient''s active subscription (its snapshot stays for history); its id, or NULL.';

CREATE OR REPLACE FUNCTION people.change_patient_tier(p_patient uuid, p_tier_code text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Moving to the same tier takes its newest version: a fresh snapshot.
DECLARE
    v_patient people.patients;
    v_tier uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    SELECT t.id INTO v_tier FROM billing.patient_tiers AS t
    WHERE t.organization_id = v_patient.organization_id AND t.code = p_tier_code AND t.status = 'active';
    IF v_tier IS NULL THEN
        RAISE EXCEPTION 'patient_tier_not_found' USING DETAIL = 'No active patient tier with this code in this organization.';
    END IF;
    PERFORM people.end_active_subscription(v_patient.id);
    RETURN people.subscribe_patient(v_patient.id, v_patient.organization_id, v_tier, 'tier_changed');
END;
$$;
COMMENT ON FUNCTION people.change_patient_tier(uuid, text) IS 'Move a patient to the newest version of a patient tier, by code (patients.manage).';

CREATE OR REPLACE FUNCTION people.end_patient_subscription(p_patient uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
    v_sub uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    v_sub := people.end_active_subscription(v_patient.id);
    IF v_sub IS NULL THEN
        RAISE EXCEPTION 'patient_subscription_not_found' USING DETAIL = 'This patient has no active subscription.';
    END IF;
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_subscription_id', v_sub, 'change', 'ended'
    ));
END;
$$;
COMMENT ON FUNCTION people.end_patient_subscription(uuid) IS 'End a patient''s active subscription (patients.manage); the patient keeps no tier until changed again.';

CREATE OR REPLACE FUNCTION people.grant_patient_override(
    p_patient uuid, p_entitlement text, p_limit text, p_enabled boolean, p_value bigint, p_reason text,
    p_expires_at timestamptz DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    IF p_entitlement IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM billing.entitlements AS e WHERE e.code = p_entitlement AND e.scope = 'patient'
    ) THEN
        RAISE EXCEPTION 'unknown_entitlement' USING DETAIL = 'Not a patient entitlement: ' || p_entitlement;
    END IF;
    v_id := billing.add_override('patient', v_patient.organization_id, v_patient.id, p_entitlement, p_limit, p_enabled,
        p_value, pg_catalog.btrim(p_reason), iam.current_principal_id(), p_expires_at);
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'change', 'override_granted', 'override_id', v_id
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION people.grant_patient_override(uuid, text, text, boolean, bigint, text, timestamptz) IS 'Override one perk or limit of a patient, with a reason and optional expiry (patients.manage).';

CREATE OR REPLACE FUNCTION people.revoke_patient_override(p_patient uuid, p_override uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_patient people.patients;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    IF billing.end_override('patient', p_override, v_patient.id) IS NULL THEN
        RAISE EXCEPTION 'patient_override_not_found' USING DETAIL = 'No unrevoked override with this id for this patient.';
    END IF;
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'change', 'override_revoked', 'override_id', p_override
    ));
END;
$$;
COMMENT ON FUNCTION people.revoke_patient_override(uuid, uuid) IS 'Revoke a live override of a patient before its expiry (patients.manage).';

CREATE OR REPLACE FUNCTION people.require_patient_reader(p_patient uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- A member of the patient's organization holding patients.read (never a platform role), or
-- the person (or an active caregiver of them).
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM people.patients AS pt
        WHERE pt.id = p_patient AND pt.deleted_at IS NULL
          AND (
              (pt.organization_id = iam.current_member_org_id() AND people.member_holds('patients.read'))
              OR pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
          )
    ) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient.';
    END IF;
END;
$$;
COMMENT ON FUNCTION people.require_patient_reader(uuid) IS 'Internal: raises patient_not_found unless the caller may read this patient (its clinic''s readers, the person, their caregivers).';

CREATE OR REPLACE FUNCTION people.patient_subscription(p_patient uuid)
RETURNS TABLE (
    id uuid,
    patient_id uuid,
    patient_tier_id uuid,
    tier_code text,
    tier_name text,
    version integer,
    status text,
    started_at timestamptz,
    current_period_start timestamptz,
    current_period_end timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Security definer: the person reads which tier they are on, though not the clinic's tier
-- catalog (billing.patient_tiers is for members).
BEGIN
    PERFORM people.require_patient_reader(p_patient);
    RETURN QUERY
    SELECT s.id, s.patient_id, t.id, t.code, t.name, v.version, s.status, s.started_at,
           s.current_period_start, s.current_period_end
    FROM people.patient_subscriptions AS s
    INNER JOIN billing.patient_tier_versions AS v ON v.id = s.patient_tier_version_id
    INNER JOIN billing.patient_tiers AS t ON t.id = v.patient_tier_id
    WHERE s.patient_id = p_patient AND s.status = 'active';
END;
$$;
COMMENT ON FUNCTION people.patient_subscription(uuid) IS 'A patient''s active subscription with its tier, for its clinic''s readers and the person.';

CREATE OR REPLACE FUNCTION people.patient_effective_values(p_patient uuid)
RETURNS TABLE (kind text, code text, enabled boolean, value bigint, source text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Every patient perk (kind 'entitlement'), and the limits the tier or an override sets (kind
-- 'limit', NULL value: unlimited). A limit the patient tier does not name does not limit the
-- patient (the organization's own limits still apply), so it is left out, not read as 0.
BEGIN
    PERFORM people.require_patient_reader(p_patient);
    RETURN QUERY
    SELECT 'entitlement'::text, v.code, v.enabled, NULL::bigint, v.source
    FROM billing.entitlement_values('patient', p_patient) AS v
    UNION ALL
    SELECT 'limit'::text, d.code, NULL::boolean, l.value, l.source
    FROM billing.limit_definitions AS d
    CROSS JOIN LATERAL billing.limit_value('patient', p_patient, d.code) AS l
    WHERE l.source <> 'none'
    ORDER BY 1, 2;
END;
$$;
COMMENT ON FUNCTION people.patient_effective_values(uuid) IS 'A patient''s effective perks and limits: the snapshot corrected by live overrides, with the source of each.';

REVOKE EXECUTE ON FUNCTION people.subscribe_patient(uuid, uuid, uuid, text), people.subscribe_new_patient(),
people.end_active_subscription(uuid), people.require_patient_reader(uuid) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.change_patient_tier(uuid, text), people.end_patient_subscription(uuid),
people.grant_patient_override(uuid, text, text, boolean, bigint, text, timestamptz),
people.revoke_patient_override(uuid, uuid), people.patient_subscription(uuid),
people.patient_effective_values(uuid)
TO restartix_app;
