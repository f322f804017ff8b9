-- Patient tiers: what a clinic offers its patients, versioned like the platform's tiers so
-- that patient subscriptions (later) snapshot one version. SECURITY DEFINER: the request
-- pool has no write grant on the tier tables; the permission check and organization filter
-- are here.

CREATE OR REPLACE FUNCTION billing.save_patient_tier(
    p_tier uuid, p_code text, p_name text, p_description text, p_entitlements jsonb, p_limits jsonb,
    p_is_default boolean DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_tier NULL creates a tier; otherwise edits it. New perks or limits publish a new version.
DECLARE
    v_org uuid := iam.current_org_id();
    v_id uuid := p_tier;
    v_version integer;
    v_version_id uuid;
    v_bad text;
BEGIN
    PERFORM iam.require_permission('patient_tiers.manage');
    SELECT pg_catalog.string_agg(k, ', ') INTO v_bad FROM pg_catalog.jsonb_object_keys(coalesce(p_entitlements, '{}')) AS k
    WHERE NOT EXISTS (SELECT 1 FROM billing.entitlements AS e WHERE e.code = k AND e.scope = 'patient');
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_entitlement' USING DETAIL = 'Not patient entitlements: ' || v_bad;
    END IF;
    SELECT pg_catalog.string_agg(k, ', ') INTO v_bad FROM pg_catalog.jsonb_object_keys(coalesce(p_limits, '{}')) AS k
    WHERE NOT EXISTS (SELECT 1 FROM billing.limit_definitions AS l WHERE l.code = k);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_limit' USING DETAIL = 'Unknown limits: ' || v_bad;
    END IF;
    IF v_id IS NULL THEN
        INSERT INTO billing.patient_tiers (organization_id, code, name, description)
        VALUES (v_org, p_code, pg_catalog.btrim(p_name), coalesce(p_description, ''))
        RETURNING id INTO v_id;
    ELSE
        UPDATE billing.patient_tiers SET name = coalesce(pg_catalog.btrim(p_name), name),
                                         description = coalesce(p_description, description)
        WHERE id = v_id AND organization_id = v_org;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'not_found' USING DETAIL = 'No such patient tier in this organization.';
        END IF;
    END IF;
    IF p_is_default THEN
        UPDATE billing.patient_tiers SET is_default = false WHERE organization_id = v_org AND is_default AND id <> v_id;
        UPDATE billing.patient_tiers SET is_default = true WHERE id = v_id;
    END IF;
    IF p_tier IS NULL OR p_entitlements IS NOT NULL OR p_limits IS NOT NULL THEN
        SELECT coalesce(pg_catalog.max(v.version), 0) + 1 INTO v_version
        FROM billing.patient_tier_versions AS v WHERE v.patient_tier_id = v_id;
        INSERT INTO billing.patient_tier_versions (patient_tier_id, organization_id, version, published_by)
        VALUES (v_id, v_org, v_version, iam.current_principal_id()) RETURNING id INTO v_version_id;
        INSERT INTO billing.patient_tier_entitlements (patient_tier_version_id, organization_id, entitlement_code, enabled)
        SELECT v_version_id, v_org, e.key, (e.value)::text::boolean FROM pg_catalog.jsonb_each(coalesce(p_entitlements, '{}')) AS e;
        INSERT INTO billing.patient_tier_limits (patient_tier_version_id, organization_id, limit_code, value)
        SELECT v_version_id, v_org, l.key, CASE WHEN l.value = 'null'::jsonb THEN NULL ELSE (l.value)::text::bigint END
        FROM pg_catalog.jsonb_each(coalesce(p_limits, '{}')) AS l;
        -- The plans the tier includes (catalog.patient_tier_inclusions) carry over to the new
        -- version unchanged; catalog.set_tier_inclusions is what changes them.
        INSERT INTO catalog.patient_tier_inclusions (patient_tier_version_id, organization_id, service_plan_id, quantity)
        SELECT v_version_id, v_org, i.service_plan_id, i.quantity
        FROM catalog.patient_tier_inclusions AS i
        INNER JOIN billing.patient_tier_versions AS pv ON pv.id = i.patient_tier_version_id
        WHERE pv.patient_tier_id = v_id AND pv.version = v_version - 1;
    END IF;
    PERFORM events.publish('patient_tier.saved', pg_catalog.jsonb_build_object(
        'patient_tier_id', v_id, 'version', v_version));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION billing.save_patient_tier(uuid, text, text, text, jsonb, jsonb, boolean) IS 'Create or edit a patient tier of the current organization; perks and limits publish a new version.';

GRANT EXECUTE ON FUNCTION billing.save_patient_tier(uuid, text, text, text, jsonb, jsonb, boolean) TO restartix_app;
