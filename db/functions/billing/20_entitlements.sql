-- What an organization may do now: the snapshot of its subscriptions, corrected by live
-- overrides (expiry honoured), and its org-scoped toggles. Every gated request calls these.

CREATE OR REPLACE FUNCTION billing.require_org_reader(p_org uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- Plans, limits and usage are the organization's business: its members and platform
    -- staff ask, and the trusted system side.
    IF util.called_from_request_pool()
       AND iam.current_member_org_id() IS DISTINCT FROM p_org
       AND NOT iam.is_platform_staff() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Entitlements, limits and usage are read by the organization''s members and platform staff.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.require_org_reader(uuid) IS 'Raises 42501 unless the caller may read this organization''s entitlements, limits and usage.';

CREATE OR REPLACE FUNCTION billing.effective_entitlements(p_org uuid)
RETURNS TABLE (code text, enabled boolean, source text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN QUERY
    WITH snapshot AS (
        SELECT se.entitlement_code AS code, pg_catalog.bool_or(se.enabled) AS enabled,
               CASE WHEN pg_catalog.bool_or(se.enabled AND s.kind = 'addon') AND NOT pg_catalog.bool_or(se.enabled AND s.kind = 'base')
                    THEN 'addon' ELSE 'subscription' END AS source
        FROM billing.organization_subscription_entitlements AS se
        INNER JOIN billing.organization_subscriptions AS s ON s.id = se.subscription_id
        WHERE se.organization_id = p_org AND s.status = 'active'
        GROUP BY se.entitlement_code
    ),
    override AS (
        SELECT DISTINCT ON (o.entitlement_code) o.entitlement_code AS code, o.enabled
        FROM billing.organization_subscription_overrides AS o
        WHERE o.organization_id = p_org AND o.entitlement_code IS NOT NULL AND o.revoked_at IS NULL
          AND (o.expires_at IS NULL OR o.expires_at > util.now())
        ORDER BY o.entitlement_code, o.created_at DESC
    ),
    toggles AS (
        SELECT e.code, coalesce(oe.enabled, e.default_enabled) AS enabled,
               CASE WHEN oe.organization_id IS NULL THEN 'default' ELSE 'organization' END AS source
        FROM billing.entitlements AS e
        LEFT JOIN billing.organization_entitlements AS oe
            ON oe.organization_id = p_org AND oe.entitlement_code = e.code
        WHERE e.scope = 'org'
    )
    SELECT e.code,
           coalesce(ov.enabled, sn.enabled, false),
           CASE WHEN ov.code IS NOT NULL THEN 'override' WHEN sn.code IS NOT NULL THEN sn.source ELSE 'none' END
    FROM billing.entitlements AS e
    LEFT JOIN snapshot AS sn ON sn.code = e.code
    LEFT JOIN override AS ov ON ov.code = e.code
    WHERE e.scope = 'tier'
    UNION ALL
    SELECT t.code, t.enabled, t.source FROM toggles AS t
    ORDER BY 1;
END;
$$;
COMMENT ON FUNCTION billing.effective_entitlements(uuid) IS 'Every tier and org entitlement of an organization with its value and where it came from.';

CREATE OR REPLACE FUNCTION billing.has_tier_entitlement(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
    v_override boolean;
BEGIN
    SELECT o.enabled INTO v_override
    FROM billing.organization_subscription_overrides AS o
    WHERE o.organization_id = v_org AND o.entitlement_code = p_code AND o.revoked_at IS NULL
      AND (o.expires_at IS NULL OR o.expires_at > util.now())
    ORDER BY o.created_at DESC LIMIT 1;
    IF v_override IS NOT NULL THEN
        RETURN v_override;
    END IF;
    RETURN EXISTS (
        SELECT 1 FROM billing.organization_subscription_entitlements AS se
        INNER JOIN billing.organization_subscriptions AS s ON s.id = se.subscription_id
        WHERE se.organization_id = v_org AND se.entitlement_code = p_code AND se.enabled AND s.status = 'active'
    );
END;
$$;
COMMENT ON FUNCTION billing.has_tier_entitlement(text) IS 'Whether the current organization''s subscriptions (or a live override) include a tier entitlement.';

CREATE OR REPLACE FUNCTION billing.has_org_entitlement(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN coalesce((
        SELECT coalesce(oe.enabled, e.default_enabled)
        FROM billing.entitlements AS e
        LEFT JOIN billing.organization_entitlements AS oe
            ON oe.organization_id = iam.current_org_id() AND oe.entitlement_code = e.code
        WHERE e.code = p_code AND e.scope = 'org'
    ), false);
END;
$$;
COMMENT ON FUNCTION billing.has_org_entitlement(text) IS 'Whether an org-scoped entitlement is on for the current organization (current_app_has_org_entitlement in the seed).';

CREATE OR REPLACE FUNCTION billing.effective_limit(p_org uuid, p_code text)
RETURNS TABLE (value bigint, source text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base.
DECLARE
    v_override bigint;
    v_has_override boolean := false;
BEGIN
    PERFORM billing.require_org_reader(p_org);
    SELECT o.value, true INTO v_override, v_has_override
    FROM billing.organization_subscription_overrides AS o
    WHERE o.organization_id = p_org AND o.limit_code = p_code AND o.revoked_at IS NULL
      AND (o.expires_at IS NULL OR o.expires_at > util.now())
    ORDER BY o.created_at DESC LIMIT 1;
    IF v_has_override THEN
        RETURN QUERY SELECT v_override, 'override'::text;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT CASE WHEN pg_catalog.bool_or(sl.value IS NULL AND s.kind = 'base') THEN NULL
                ELSE coalesce(pg_catalog.sum(sl.value), 0)::bigint END,
           CASE WHEN pg_catalog.bool_or(s.kind = 'addon') THEN 'subscription+addon' ELSE 'subscription' END
    FROM billing.organization_subscription_limits AS sl
    INNER JOIN billing.organization_subscriptions AS s ON s.id = sl.subscription_id
    WHERE sl.organization_id = p_org AND sl.limit_code = p_code AND s.status = 'active'
    HAVING pg_catalog.count(*) > 0;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0::bigint, 'none'::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.effective_limit(uuid, text) IS 'An organization''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

CREATE OR REPLACE FUNCTION billing.limit_usage(p_org uuid, p_code text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Usage is computed from the data the limit governs, inside the caller's transaction.
DECLARE
    v_usage bigint;
BEGIN
    PERFORM billing.require_org_reader(p_org);
    CASE p_code
        WHEN 'members.max' THEN
            RETURN (SELECT pg_catalog.count(*) FROM tenancy.organization_memberships AS m
                    WHERE m.organization_id = p_org AND m.status IN ('active', 'invited'))
                 + (SELECT pg_catalog.count(*) FROM tenancy.invitations AS i
                    WHERE i.organization_id = p_org AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > util.now());
        WHEN 'patients.max' THEN
            -- Live patients of the organization (people.patients; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM people.patients AS pt
                    WHERE pt.organization_id = p_org AND pt.deleted_at IS NULL);
        WHEN 'specialists.max' THEN
            -- Live specialists of the organization (people.specialists; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM people.specialists AS s
                    WHERE s.organization_id = p_org AND s.deleted_at IS NULL);
        WHEN 'services.max' THEN
            -- Live services (catalog.services; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM catalog.services AS s
                    WHERE s.organization_id = p_org AND s.deleted_at IS NULL);
        WHEN 'service_plans.max' THEN
            -- Live service plans, whatever their number of versions.
            RETURN (SELECT pg_catalog.count(*) FROM catalog.service_plans AS sp
                    WHERE sp.organization_id = p_org AND sp.deleted_at IS NULL);
        WHEN 'storage.bytes' THEN
            -- Checked files the organization keeps; retired ones stop counting when deleted.
            RETURN (SELECT coalesce(pg_catalog.sum(f.size_bytes), 0)::bigint FROM storage.files AS f
                    WHERE f.organization_id = p_org AND f.status = 'ready' AND f.deleted_at IS NULL);
        ELSE
            -- Per-month quotas: the current month's rollup of the meter that counts against it
            -- (one primary-key read, db/functions/metering/usage.sql); NULL when none does.
            v_usage := metering.limit_period_usage(p_org, p_code);
            IF v_usage IS NULL THEN
                RAISE EXCEPTION 'limit_not_measured' USING DETAIL = 'No usage is measured for limit ' || p_code || ' yet.';
            END IF;
            RETURN v_usage;
    END CASE;
END;
$$;
COMMENT ON FUNCTION billing.limit_usage(uuid, text) IS 'Current usage of a limit: counted from the data a standing limit governs, or this month''s metered rollup for a quota.';

CREATE OR REPLACE FUNCTION billing.lock_limit(p_org uuid, p_code text) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(p_org::text || '/' || p_code, 0));
END;
$$;
COMMENT ON FUNCTION billing.lock_limit(uuid, text) IS 'Transaction lock serializing the checks and writes of one organization''s limit (enforce_limit, metering.record_usage).';

CREATE OR REPLACE FUNCTION billing.enforce_limit(p_code text, p_delta bigint DEFAULT 1) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Serialized per organization and limit with a transaction lock, so two concurrent writes
-- cannot both pass a limit of one: the second counts after the first has committed.
DECLARE
    v_org uuid := iam.current_org_id();
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    PERFORM billing.lock_limit(v_org, p_code);
    SELECT l.value, l.source INTO v_limit, v_source FROM billing.effective_limit(v_org, p_code) AS l;
    IF v_limit IS NULL AND v_source <> 'none' THEN
        RETURN;
    END IF;
    v_usage := billing.limit_usage(v_org, p_code);
    IF v_usage + p_delta > coalesce(v_limit, 0) THEN
        RAISE EXCEPTION 'limit_exceeded'
            USING DETAIL = pg_catalog.format('The %s limit of %s is reached (in use: %s).', p_code, coalesce(v_limit, 0), v_usage),
                  HINT = pg_catalog.jsonb_build_object('kind', 'limit', 'limit_code', p_code, 'limit', coalesce(v_limit, 0),
                                                       'usage', v_usage, 'requested', p_delta, 'source', v_source)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.enforce_limit(text, bigint) IS 'Raises limit_exceeded (details in HINT as JSON) unless usage + delta fits the current organization''s limit.';

GRANT EXECUTE ON FUNCTION
billing.effective_entitlements(uuid), billing.has_tier_entitlement(text), billing.has_org_entitlement(text),
billing.effective_limit(uuid, text), billing.limit_usage(uuid, text), billing.enforce_limit(text, bigint),
billing.change_tier(uuid, text), billing.attach_addon(uuid, text), billing.migrate_subscription(uuid),
billing.publish_tier_version(text, jsonb, jsonb, integer), billing.grant_override(uuid, text, text, boolean, bigint, text, timestamptz),
billing.revoke_override(uuid), billing.set_org_entitlement(uuid, text, boolean, text), billing.end_subscription(uuid)
TO restartix_app;
