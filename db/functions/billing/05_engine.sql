-- The subscription engine, written once for both sides that subscribe to a tier:
--   'organization': an organization on a platform tier (billing.organization_subscription*),
--                   its owner is the organization;
--   'patient':      a patient on one of its clinic's patient tiers (people.patient_subscription*),
--                   its owner is the patient.
-- Snapshot on subscribe, the newest live override per entitlement or limit (expiry and
-- revocation honoured), and the effective value of each, are the same rules on both sides;
-- the side only picks the tables. These are internal: the callers check who may ask, and the
-- request pool cannot call them.

CREATE OR REPLACE FUNCTION billing.require_side(p_side text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
BEGIN
    IF p_side IS NULL OR p_side NOT IN ('organization', 'patient') THEN
        RAISE EXCEPTION 'unknown subscription side %', p_side USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.require_side(text) IS 'Internal: raises unless the side is organization or patient.';

CREATE OR REPLACE FUNCTION billing.snapshot_version(p_side text, p_subscription uuid, p_org uuid, p_version uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Copies a tier version's entitlements and limits into the subscription's snapshot tables.
-- The table names are constants chosen by side, never input.
DECLARE
    v_catalog text := CASE p_side WHEN 'organization' THEN 'billing.tier' ELSE 'billing.patient_tier' END;
    v_snapshot text := CASE p_side WHEN 'organization' THEN 'billing.organization_subscription' ELSE 'people.patient_subscription' END;
    v_version_column text := CASE p_side WHEN 'organization' THEN 'tier_version_id' ELSE 'patient_tier_version_id' END;
    v_kind text;
BEGIN
    PERFORM billing.require_side(p_side);
    FOREACH v_kind IN ARRAY ARRAY['entitlements', 'limits'] LOOP
        EXECUTE pg_catalog.format(
            'INSERT INTO %1$s_%2$s (subscription_id, organization_id, %3$s) '
            'SELECT $1, $2, %3$s FROM %4$s_%2$s WHERE %5$I = $3',
            v_snapshot, v_kind,
            CASE v_kind WHEN 'entitlements' THEN 'entitlement_code, enabled' ELSE 'limit_code, value' END,
            v_catalog, v_version_column
        ) USING p_subscription, p_org, p_version;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION billing.snapshot_version(text, uuid, uuid, uuid) IS 'Internal: copies a tier version''s entitlements and limits into a subscription''s snapshot (either side).';

CREATE OR REPLACE FUNCTION billing.live_overrides(p_side text, p_owner uuid)
RETURNS TABLE (id uuid, entitlement_code text, limit_code text, enabled boolean, value bigint, expires_at timestamptz)
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- The newest unrevoked, unexpired override of each entitlement and limit of an owner.
BEGIN
    PERFORM billing.require_side(p_side);
    RETURN QUERY
    SELECT DISTINCT ON (o.entitlement_code, o.limit_code)
        o.id, o.entitlement_code, o.limit_code, o.enabled, o.value, o.expires_at
    FROM (
        SELECT oo.id, oo.entitlement_code, oo.limit_code, oo.enabled, oo.value, oo.expires_at, oo.revoked_at, oo.created_at
        FROM billing.organization_subscription_overrides AS oo
        WHERE p_side = 'organization' AND oo.organization_id = p_owner
        UNION ALL
        SELECT po.id, po.entitlement_code, po.limit_code, po.enabled, po.value, po.expires_at, po.revoked_at, po.created_at
        FROM people.patient_subscription_overrides AS po
        WHERE p_side = 'patient' AND po.patient_id = p_owner
    ) AS o
    WHERE o.revoked_at IS NULL AND (o.expires_at IS NULL OR o.expires_at > util.now())
    ORDER BY o.entitlement_code, o.limit_code, o.created_at DESC;
END;
$$;
COMMENT ON FUNCTION billing.live_overrides(text, uuid) IS 'Internal: the newest live override of each entitlement and limit of an organization or a patient.';

CREATE OR REPLACE FUNCTION billing.snapshot_entitlements(p_side text, p_owner uuid)
RETURNS TABLE (entitlement_code text, enabled boolean, kind text)
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_side(p_side);
    RETURN QUERY
    SELECT se.entitlement_code, se.enabled, s.kind
    FROM billing.organization_subscription_entitlements AS se
    INNER JOIN billing.organization_subscriptions AS s ON s.id = se.subscription_id
    WHERE p_side = 'organization' AND se.organization_id = p_owner AND s.status = 'active'
    UNION ALL
    SELECT pe.entitlement_code, pe.enabled, 'base'::text
    FROM people.patient_subscription_entitlements AS pe
    INNER JOIN people.patient_subscriptions AS ps ON ps.id = pe.subscription_id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active';
END;
$$;
COMMENT ON FUNCTION billing.snapshot_entitlements(text, uuid) IS 'Internal: the snapshotted entitlements of an owner''s active subscriptions, with their kind (base or addon).';

CREATE OR REPLACE FUNCTION billing.snapshot_limits(p_side text, p_owner uuid)
RETURNS TABLE (limit_code text, value bigint, kind text)
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_side(p_side);
    RETURN QUERY
    SELECT sl.limit_code, sl.value, s.kind
    FROM billing.organization_subscription_limits AS sl
    INNER JOIN billing.organization_subscriptions AS s ON s.id = sl.subscription_id
    WHERE p_side = 'organization' AND sl.organization_id = p_owner AND s.status = 'active'
    UNION ALL
    SELECT pl.limit_code, pl.value, 'base'::text
    FROM people.patient_subscription_limits AS pl
    INNER JOIN people.patient_subscriptions AS ps ON ps.id = pl.subscription_id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active';
END;
$$;
COMMENT ON FUNCTION billing.snapshot_limits(text, uuid) IS 'Internal: the snapshotted limits of an owner''s active subscriptions, with their kind (base or addon).';

CREATE OR REPLACE FUNCTION billing.entitlement_values(p_side text, p_owner uuid)
RETURNS TABLE (code text, enabled boolean, source text)
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- Every entitlement a tier of this side can grant (tier-scoped for organizations,
-- patient-scoped for patients): a live override wins, else the snapshot, else off.
BEGIN
    RETURN QUERY
    WITH snapshot AS (
        SELECT se.entitlement_code AS code, pg_catalog.bool_or(se.enabled) AS enabled,
               CASE WHEN pg_catalog.bool_or(se.enabled AND se.kind = 'addon') AND NOT pg_catalog.bool_or(se.enabled AND se.kind = 'base')
                    THEN 'addon' ELSE 'subscription' END AS source
        FROM billing.snapshot_entitlements(p_side, p_owner) AS se
        GROUP BY se.entitlement_code
    ),
    override AS (
        SELECT o.entitlement_code AS code, o.enabled
        FROM billing.live_overrides(p_side, p_owner) AS o
        WHERE o.entitlement_code IS NOT NULL
    )
    SELECT e.code,
           coalesce(ov.enabled, sn.enabled, false),
           CASE WHEN ov.code IS NOT NULL THEN 'override' WHEN sn.code IS NOT NULL THEN sn.source ELSE 'none' END
    FROM billing.entitlements AS e
    LEFT JOIN snapshot AS sn ON sn.code = e.code
    LEFT JOIN override AS ov ON ov.code = e.code
    WHERE e.scope = CASE p_side WHEN 'organization' THEN 'tier' ELSE 'patient' END;
END;
$$;
COMMENT ON FUNCTION billing.entitlement_values(text, uuid) IS 'Internal: each tier (or patient) entitlement of an owner with its value and source: override, subscription, addon or none.';

CREATE OR REPLACE FUNCTION billing.entitlement_on(p_side text, p_owner uuid, p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- One entitlement, whatever its scope: a live override wins, else an enabled snapshot row.
DECLARE
    v_override boolean;
BEGIN
    SELECT o.enabled INTO v_override FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.entitlement_code = p_code;
    IF v_override IS NOT NULL THEN
        RETURN v_override;
    END IF;
    RETURN EXISTS (
        SELECT 1 FROM billing.snapshot_entitlements(p_side, p_owner) AS se
        WHERE se.entitlement_code = p_code AND se.enabled
    );
END;
$$;
COMMENT ON FUNCTION billing.entitlement_on(text, uuid, text) IS 'Internal: whether an owner''s subscriptions (or a live override) include an entitlement.';

CREATE OR REPLACE FUNCTION billing.limit_value(p_side text, p_owner uuid, p_code text)
RETURNS TABLE (value bigint, source text)
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base;
-- a limit no subscription sets reads (0, 'none') and each caller says what none means.
DECLARE
    v_override bigint;
    v_has_override boolean := false;
BEGIN
    SELECT o.value, true INTO v_override, v_has_override
    FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.limit_code = p_code;
    IF v_has_override THEN
        RETURN QUERY SELECT v_override, 'override'::text;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT CASE WHEN pg_catalog.bool_or(sl.value IS NULL AND sl.kind = 'base') THEN NULL
                ELSE coalesce(pg_catalog.sum(sl.value), 0)::bigint END,
           CASE WHEN pg_catalog.bool_or(sl.kind = 'addon') THEN 'subscription+addon' ELSE 'subscription' END
    FROM billing.snapshot_limits(p_side, p_owner) AS sl
    WHERE sl.limit_code = p_code
    HAVING pg_catalog.count(*) > 0;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0::bigint, 'none'::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.limit_value(text, uuid, text) IS 'Internal: an owner''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

REVOKE EXECUTE ON FUNCTION billing.require_side(text), billing.snapshot_version(text, uuid, uuid, uuid),
billing.live_overrides(text, uuid), billing.snapshot_entitlements(text, uuid), billing.snapshot_limits(text, uuid),
billing.entitlement_values(text, uuid), billing.entitlement_on(text, uuid, text), billing.limit_value(text, uuid, text)
FROM public;
