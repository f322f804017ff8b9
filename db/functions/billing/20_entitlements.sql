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
    SELECT v.code, v.enabled, v.source FROM billing.entitlement_values('organization', p_org) AS v
    UNION ALL
    SELECT e.code, coalesce(oe.enabled, e.default_enabled),
           CASE WHEN oe.organization_id IS NULL THEN 'default' ELSE 'organization' END
    FROM billing.entitlements AS e
    LEFT JOIN billing.organization_entitlements AS oe
        ON oe.organization_id = p_org AND oe.entitlement_code = e.code
    WHERE e.scope = 'org'
    ORDER BY 1;
END;
$$;
COMMENT ON FUNCTION billing.effective_entitlements(uuid) IS 'Every tier and org entitlement of an organization with its value and where it came from.';

CREATE OR REPLACE FUNCTION billing.has_tier_entitlement(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN billing.entitlement_on('organization', iam.current_org_id(), p_code);
END;
$$;
COMMENT ON FUNCTION billing.has_tier_entitlement(text) IS 'Whether the current organization''s subscriptions (or a live override) include a tier entitlement.';

CREATE OR REPLACE FUNCTION billing.org_entitlement_on(p_org uuid, p_code text) RETURNS boolean
LANGUAGE sql STABLE
AS $$
    -- No SET clause, so that it inlines; every name is schema-qualified.
    SELECT coalesce((
        SELECT coalesce(oe.enabled, e.default_enabled)
        FROM billing.entitlements AS e
        LEFT JOIN billing.organization_entitlements AS oe
            ON oe.organization_id = p_org AND oe.entitlement_code = e.code
        WHERE e.code = p_code AND e.scope = 'org'
    ), false)
$$;
COMMENT ON FUNCTION billing.org_entitlement_on(uuid, text) IS 'Internal: whether an org-scoped entitlement is on for an organization (the caller checks who asks).';

CREATE OR REPLACE FUNCTION billing.has_org_entitlement(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN billing.org_entitlement_on(iam.current_org_id(), p_code);
END;
$$;
COMMENT ON FUNCTION billing.has_org_entitlement(text) IS 'Whether an org-scoped entitlement is on for the current organization (current_app_has_org_entitlement in the seed).';

CREATE OR REPLACE FUNCTION billing.effective_limit(p_org uuid, p_code text)
RETURNS TABLE (value bigint, source text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base.
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN QUERY SELECT l.value, l.source FROM billing.limit_value('organization', p_org, p_code) AS l;
END;
$$;
COMMENT ON FUNCTION billing.effective_limit(uuid, text) IS 'An organization''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

CREATE OR REPLACE FUNCTION billing.usage_of(p_org uuid, p_code text) RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- Usage is computed from the data the limit governs, inside the caller's transaction.
DECLARE
    v_usage bigint;
BEGIN
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
COMMENT ON FUNCTION billing.usage_of(uuid, text) IS 'Internal: current usage of an organization''s limit (the callers check who asks).';

CREATE OR REPLACE FUNCTION billing.limit_usage(p_org uuid, p_code text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN billing.usage_of(p_org, p_code);
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

CREATE OR REPLACE FUNCTION billing.enforce_limit_for(p_org uuid, p_code text, p_delta bigint) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Serialized per organization and limit with a transaction lock, so two concurrent writes
-- cannot both pass a limit of one: the second counts after the first has committed.
DECLARE
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    PERFORM billing.lock_limit(p_org, p_code);
    SELECT l.value, l.source INTO v_limit, v_source FROM billing.limit_value('organization', p_org, p_code) AS l;
    IF v_limit IS NULL AND v_source <> 'none' THEN
        RETURN;
    END IF;
    v_usage := billing.usage_of(p_org, p_code);
    IF v_usage + p_delta > coalesce(v_limit, 0) THEN
        RAISE EXCEPTION 'limit_exceeded'
            USING DETAIL = pg_catalog.format('The %s limit of %s is reached (in use: %s).', p_code, coalesce(v_limit, 0), v_usage),
                  HINT = pg_catalog.jsonb_build_object('kind', 'limit', 'limit_code', p_code, 'limit', coalesce(v_limit, 0),
                                                       'usage', v_usage, 'requested', p_delta, 'source', v_source)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.enforce_limit_for(uuid, text, bigint) IS 'Internal: raises limit_exceeded unless usage + delta fits an organization''s limit (the callers check who acts).';

CREATE OR REPLACE FUNCTION billing.enforce_limit(p_code text, p_delta bigint DEFAULT 1) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    -- Only those who may read the organization's limits learn them from a refusal.
    PERFORM billing.require_org_reader(v_org);
    PERFORM billing.enforce_limit_for(v_org, p_code, p_delta);
END;
$$;
COMMENT ON FUNCTION billing.enforce_limit(text, bigint) IS 'Raises limit_exceeded (details in HINT as JSON) unless usage + delta fits the current organization''s limit.';

REVOKE EXECUTE ON FUNCTION billing.org_entitlement_on(uuid, text), billing.usage_of(uuid, text),
billing.enforce_limit_for(uuid, text, bigint) FROM public;

GRANT EXECUTE ON FUNCTION
billing.effective_entitlements(uuid), billing.has_tier_entitlement(text), billing.has_org_entitlement(text),
billing.effective_limit(uuid, text), billing.limit_usage(uuid, text), billing.enforce_limit(text, bigint),
billing.change_tier(uuid, text), billing.attach_addon(uuid, text), billing.migrate_subscription(uuid),
billing.publish_tier_version(text, jsonb, jsonb, integer), billing.grant_override(uuid, text, text, boolean, bigint, text, timestamptz),
billing.revoke_override(uuid), billing.set_org_entitlement(uuid, text, boolean, text), billing.end_subscription(uuid)
TO restartix_app;
