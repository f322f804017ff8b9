-- The subscription engine, written once for both sides that subscribe to a tier:
--   'organization': an organization on a platform tier (billing.organization_subscription*),
--                   its owner is the organization;
--   'patient':      a patient on one of its clinic's patient tiers (people.patient_subscription*),
--                   its owner is the patient.
-- Snapshot on subscribe, the newest live override per entitlement or limit (expiry and
-- revocation honoured), and the effective value of each, are the same rules on both sides;
-- the side only picks the tables. The writes build their statements from
-- billing.side_tables; the reads (every gated request runs them) are plain SQL over
-- billing.snapshot_rows and billing.override_rows, so the planner inlines them and plans stay
-- cached. These are internal: the callers check who may ask, and the request pool cannot call
-- them. The read functions have no SET clause so that they inline; they name every object
-- with its schema (operators resolve in pg_catalog first), so no search_path can redirect them.

CREATE OR REPLACE FUNCTION billing.side_tables(
    p_side text,
    OUT subscriptions text, OUT snapshot text, OUT overrides text, OUT catalog text,
    OUT version_column text, OUT owner_column text, OUT kind_column text
)
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- The only place the two sides differ: which tables and columns. Every statement of the
-- engine is built from these constants, never from input.
BEGIN
    CASE p_side
        WHEN 'organization' THEN
            subscriptions := 'billing.organization_subscriptions';
            snapshot := 'billing.organization_subscription';
            overrides := 'billing.organization_subscription_overrides';
            catalog := 'billing.tier';
            version_column := 'tier_version_id';
            owner_column := 'organization_id';
            kind_column := 's.kind';
        WHEN 'patient' THEN
            subscriptions := 'people.patient_subscriptions';
            snapshot := 'people.patient_subscription';
            overrides := 'people.patient_subscription_overrides';
            catalog := 'billing.patient_tier';
            version_column := 'patient_tier_version_id';
            owner_column := 'patient_id';
            kind_column := '''base''::text';
        ELSE
            RAISE EXCEPTION 'unknown subscription side %', p_side USING ERRCODE = 'invalid_parameter_value';
    END CASE;
END;
$$;
COMMENT ON FUNCTION billing.side_tables(text) IS 'Internal: the tables and columns of a subscription side (organization or patient).';

CREATE OR REPLACE FUNCTION billing.snapshot_version(p_side text, p_subscription uuid, p_org uuid, p_version uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Copies a tier version's entitlements and limits into the subscription's snapshot tables.
DECLARE
    t record := billing.side_tables(p_side);
    v_kind text;
BEGIN
    FOREACH v_kind IN ARRAY ARRAY['entitlements', 'limits'] LOOP
        EXECUTE pg_catalog.format(
            'INSERT INTO %1$s_%2$s (subscription_id, organization_id, %3$s) '
            'SELECT $1, $2, %3$s FROM %4$s_%2$s WHERE %5$I = $3',
            t.snapshot, v_kind,
            CASE v_kind WHEN 'entitlements' THEN 'entitlement_code, enabled' ELSE 'limit_code, value' END,
            t.catalog, t.version_column
        ) USING p_subscription, p_org, p_version;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION billing.snapshot_version(text, uuid, uuid, uuid) IS 'Internal: copies a tier version''s entitlements and limits into a subscription''s snapshot (either side).';

CREATE OR REPLACE FUNCTION billing.snapshot_rows(p_side text, p_owner uuid)
RETURNS TABLE (entitlement_code text, enabled boolean, limit_code text, value bigint, kind text)
LANGUAGE sql STABLE
AS $$
    -- The snapshot rows of an owner's active subscriptions (an entitlement row has a NULL
    -- limit_code and the other way round), with the kind of subscription each came from.
    SELECT x.entitlement_code, x.enabled, NULL::text, NULL::bigint, s.kind
    FROM billing.organization_subscription_entitlements AS x
    INNER JOIN billing.organization_subscriptions AS s ON s.id = x.subscription_id AND s.status = 'active'
    WHERE p_side = 'organization' AND x.organization_id = p_owner
    UNION ALL
    SELECT NULL::text, NULL::boolean, x.limit_code, x.value, s.kind
    FROM billing.organization_subscription_limits AS x
    INNER JOIN billing.organization_subscriptions AS s ON s.id = x.subscription_id AND s.status = 'active'
    WHERE p_side = 'organization' AND x.organization_id = p_owner
    UNION ALL
    SELECT pe.entitlement_code, pe.enabled, NULL::text, NULL::bigint, 'base'::text
    FROM people.patient_subscriptions AS ps
    INNER JOIN people.patient_subscription_entitlements AS pe ON pe.subscription_id = ps.id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active'
    UNION ALL
    SELECT NULL::text, NULL::boolean, pl.limit_code, pl.value, 'base'::text
    FROM people.patient_subscriptions AS ps
    INNER JOIN people.patient_subscription_limits AS pl ON pl.subscription_id = ps.id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active'
$$;
COMMENT ON FUNCTION billing.snapshot_rows(text, uuid) IS 'Internal: the snapshotted entitlements and limits of an owner''s active subscriptions, with their kind.';

CREATE OR REPLACE FUNCTION billing.live_overrides(p_side text, p_owner uuid)
RETURNS TABLE (id uuid, entitlement_code text, limit_code text, enabled boolean, value bigint, expires_at timestamptz)
LANGUAGE sql STABLE
AS $$
    -- The newest unrevoked, unexpired override of each entitlement and limit of an owner.
    SELECT DISTINCT ON (o.entitlement_code, o.limit_code)
        o.id, o.entitlement_code, o.limit_code, o.enabled, o.value, o.expires_at
    FROM (
        SELECT oo.id, oo.entitlement_code, oo.limit_code, oo.enabled, oo.value, oo.expires_at, oo.created_at
        FROM billing.organization_subscription_overrides AS oo
        WHERE p_side = 'organization' AND oo.organization_id = p_owner AND oo.revoked_at IS NULL
        UNION ALL
        SELECT po.id, po.entitlement_code, po.limit_code, po.enabled, po.value, po.expires_at, po.created_at
        FROM people.patient_subscription_overrides AS po
        WHERE p_side = 'patient' AND po.patient_id = p_owner AND po.revoked_at IS NULL
    ) AS o
    WHERE o.expires_at IS NULL OR o.expires_at > util.now()
    ORDER BY o.entitlement_code, o.limit_code, o.created_at DESC
$$;
COMMENT ON FUNCTION billing.live_overrides(text, uuid) IS 'Internal: the newest live override of each entitlement and limit of an organization or a patient.';

CREATE OR REPLACE FUNCTION billing.add_override(
    p_side text, p_org uuid, p_owner uuid, p_entitlement text, p_limit text, p_enabled boolean, p_value bigint,
    p_reason text, p_granted_by uuid, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- An organization's override is owned by the organization itself (its owner column is
-- organization_id, set once).
DECLARE
    t record := billing.side_tables(p_side);
    v_columns text := CASE WHEN t.owner_column = 'organization_id' THEN 'organization_id' ELSE 'organization_id, ' || t.owner_column END;
    v_values text := CASE WHEN t.owner_column = 'organization_id' THEN '$1' ELSE '$1, $2' END;
    v_id uuid;
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %1$s (%2$s, entitlement_code, limit_code, enabled, value, reason, granted_by, expires_at) '
        'VALUES (%3$s, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
        t.overrides, v_columns, v_values
    ) INTO v_id USING p_org, p_owner, p_entitlement, p_limit, p_enabled, p_value, p_reason, p_granted_by, p_expires_at;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION billing.add_override(text, uuid, uuid, text, text, boolean, bigint, text, uuid, timestamptz) IS 'Internal: records an override of one entitlement or limit of an organization or a patient.';

CREATE OR REPLACE FUNCTION billing.end_override(p_side text, p_override uuid, p_owner uuid) RETURNS uuid
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Revokes an unrevoked override (of this owner, when one is named); its organization, or NULL.
DECLARE
    t record := billing.side_tables(p_side);
    v_org uuid;
BEGIN
    EXECUTE pg_catalog.format(
        'UPDATE %1$s SET revoked_at = util.now() WHERE id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR %2$I = $2) '
        'RETURNING organization_id',
        t.overrides, t.owner_column
    ) INTO v_org USING p_override, p_owner;
    RETURN v_org;
END;
$$;
COMMENT ON FUNCTION billing.end_override(text, uuid, uuid) IS 'Internal: revokes an override of an organization or a patient; its organization, or NULL when none was live.';

CREATE OR REPLACE FUNCTION billing.entitlement_values(p_side text, p_owner uuid)
RETURNS TABLE (code text, enabled boolean, source text)
LANGUAGE sql STABLE
AS $$
    -- Every entitlement a tier of this side can grant (tier-scoped for organizations,
    -- patient-scoped for patients): a live override wins, else the snapshot, else off.
    WITH snapshot AS (
        SELECT se.entitlement_code AS code, pg_catalog.bool_or(se.enabled) AS enabled,
               CASE WHEN pg_catalog.bool_or(se.enabled AND se.kind = 'addon') AND NOT pg_catalog.bool_or(se.enabled AND se.kind = 'base')
                    THEN 'addon' ELSE 'subscription' END AS source
        FROM billing.snapshot_rows(p_side, p_owner) AS se
        WHERE se.entitlement_code IS NOT NULL
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
    WHERE e.scope = CASE p_side WHEN 'organization' THEN 'tier' ELSE 'patient' END
$$;
COMMENT ON FUNCTION billing.entitlement_values(text, uuid) IS 'Internal: each tier (or patient) entitlement of an owner with its value and source: override, subscription, addon or none.';

CREATE OR REPLACE FUNCTION billing.entitlement_on(p_side text, p_owner uuid, p_code text) RETURNS boolean
LANGUAGE sql STABLE
AS $$
    -- One entitlement, whatever its scope: a live override wins, else an enabled snapshot row.
    SELECT coalesce(
        (SELECT o.enabled FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.entitlement_code = p_code),
        EXISTS (
            SELECT 1 FROM billing.snapshot_rows(p_side, p_owner) AS se
            WHERE se.entitlement_code = p_code AND se.enabled
        )
    )
$$;
COMMENT ON FUNCTION billing.entitlement_on(text, uuid, text) IS 'Internal: whether an owner''s subscriptions (or a live override) include an entitlement.';

CREATE OR REPLACE FUNCTION billing.limit_value(p_side text, p_owner uuid, p_code text)
RETURNS TABLE (value bigint, source text)
LANGUAGE sql STABLE
AS $$
    -- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base;
    -- a limit no subscription sets reads (0, 'none') and each caller says what none means.
    -- One row always: the override's, else the snapshot's aggregate (never empty).
    WITH ov AS (
        SELECT o.value FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.limit_code = p_code
    ),
    sn AS (
        SELECT pg_catalog.count(*) AS n,
               CASE WHEN pg_catalog.bool_or(sl.value IS NULL AND sl.kind = 'base') THEN NULL
                    ELSE coalesce(pg_catalog.sum(sl.value), 0)::bigint END AS value,
               CASE WHEN pg_catalog.bool_or(sl.kind = 'addon') THEN 'subscription+addon' ELSE 'subscription' END AS source
        FROM billing.snapshot_rows(p_side, p_owner) AS sl
        WHERE sl.limit_code = p_code
    )
    SELECT ov.value, 'override'::text FROM ov
    UNION ALL
    SELECT CASE WHEN sn.n > 0 THEN sn.value ELSE 0 END, CASE WHEN sn.n > 0 THEN sn.source ELSE 'none' END
    FROM sn WHERE NOT EXISTS (SELECT 1 FROM ov)
$$;
COMMENT ON FUNCTION billing.limit_value(text, uuid, text) IS 'Internal: an owner''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

REVOKE EXECUTE ON FUNCTION billing.side_tables(text), billing.snapshot_version(text, uuid, uuid, uuid),
billing.snapshot_rows(text, uuid), billing.live_overrides(text, uuid),
billing.add_override(text, uuid, uuid, text, text, boolean, bigint, text, uuid, timestamptz),
billing.end_override(text, uuid, uuid), billing.entitlement_values(text, uuid), billing.entitlement_on(text, uuid, text),
billing.limit_value(text, uuid, text)
FROM public;
