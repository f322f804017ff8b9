-- Tiers and subscriptions with snapshot-on-subscribe: an organization's entitlements and
-- limits come from copies taken when it subscribed, so editing the catalog never changes a
-- live subscription until it is migrated to the new version on purpose.
-- Writes are security-definer functions gated by platform-admin checks; reads go through RLS.

CREATE OR REPLACE FUNCTION billing.require_platform_admin() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
    -- The runtime roles need a platform admin; migrations and operators (other roles) do not.
    IF NOT iam.is_platform_admin() AND (
        session_user IN ('restartix_app', 'restartix_system', 'restartix_analyst')
        OR pg_catalog.current_setting('role') IN ('restartix_app', 'restartix_system', 'restartix_analyst')
    ) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only platform administrators manage tiers and subscriptions.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION billing.require_platform_admin() IS 'Raises 42501 when a runtime role acts without a platform admin (migrations and operators pass).';

CREATE OR REPLACE FUNCTION billing.latest_version(p_tier_code text) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    SELECT v.id INTO v_id FROM billing.tier_versions AS v
    INNER JOIN billing.tiers AS t ON t.id = v.tier_id
    WHERE t.code = p_tier_code AND t.status = 'active'
    ORDER BY v.version DESC LIMIT 1;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'tier_not_found' USING DETAIL = 'No active tier with code ' || coalesce(p_tier_code, 'NULL') || '.';
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION billing.latest_version(text) IS 'The newest version of an active tier.';

CREATE OR REPLACE FUNCTION billing.subscribe_snapshot(p_org uuid, p_version uuid, p_kind text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The snapshot: the version's entitlements and limits are copied into the subscription.
DECLARE
    v_sub uuid;
BEGIN
    INSERT INTO billing.organization_subscriptions (organization_id, tier_version_id, kind, created_by)
    VALUES (p_org, p_version, p_kind, iam.current_principal_id())
    RETURNING id INTO v_sub;
    PERFORM billing.snapshot_version('organization', v_sub, p_org, p_version);
    IF p_kind = 'base' THEN
        UPDATE billing.organization_billing
        SET current_tier_id = (SELECT v.tier_id FROM billing.tier_versions AS v WHERE v.id = p_version)
        WHERE organization_id = p_org;
    END IF;
    PERFORM events.publish_for(p_org, 'subscription.started', pg_catalog.jsonb_build_object(
        'subscription_id', v_sub, 'kind', p_kind, 'tier_version_id', p_version,
        'tier', (SELECT t.code FROM billing.tier_versions AS v JOIN billing.tiers AS t ON t.id = v.tier_id WHERE v.id = p_version),
        'version', (SELECT v.version FROM billing.tier_versions AS v WHERE v.id = p_version)
    ));
    RETURN v_sub;
END;
$$;
COMMENT ON FUNCTION billing.subscribe_snapshot(uuid, uuid, text) IS 'Subscribes an organization to a tier version and snapshots its entitlements and limits.';

CREATE OR REPLACE FUNCTION billing.end_subscription(p_subscription uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    UPDATE billing.organization_subscriptions SET status = 'ended', ended_at = util.now()
    WHERE id = p_subscription AND status = 'active'
    RETURNING organization_id INTO v_org;
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'subscription_not_found' USING DETAIL = 'No active subscription with this id.';
    END IF;
    PERFORM events.publish_for(v_org, 'subscription.ended', pg_catalog.jsonb_build_object('subscription_id', p_subscription));
END;
$$;
COMMENT ON FUNCTION billing.end_subscription(uuid) IS 'Ends an active subscription (its snapshot stays for history).';

CREATE OR REPLACE FUNCTION billing.change_tier(p_org uuid, p_tier_code text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_version uuid := billing.latest_version(p_tier_code);
    v_current uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    IF (SELECT t.kind FROM billing.tiers AS t WHERE t.code = p_tier_code) <> 'base' THEN
        RAISE EXCEPTION 'tier_not_base' USING DETAIL = 'An add-on cannot be an organization''s base tier.';
    END IF;
    SELECT s.id INTO v_current FROM billing.organization_subscriptions AS s
    WHERE s.organization_id = p_org AND s.kind = 'base' AND s.status = 'active' FOR UPDATE;
    IF v_current IS NOT NULL THEN
        PERFORM billing.end_subscription(v_current);
    END IF;
    RETURN billing.subscribe_snapshot(p_org, v_version, 'base');
END;
$$;
COMMENT ON FUNCTION billing.change_tier(uuid, text) IS 'Platform admins move an organization to the newest version of another base tier.';

CREATE OR REPLACE FUNCTION billing.attach_addon(p_org uuid, p_tier_code text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_platform_admin();
    IF (SELECT t.kind FROM billing.tiers AS t WHERE t.code = p_tier_code) IS DISTINCT FROM 'addon' THEN
        RAISE EXCEPTION 'tier_not_addon' USING DETAIL = 'Only add-on tiers can be attached.';
    END IF;
    RETURN billing.subscribe_snapshot(p_org, billing.latest_version(p_tier_code), 'addon');
END;
$$;
COMMENT ON FUNCTION billing.attach_addon(uuid, text) IS 'Platform admins attach an add-on (its limits add to the base tier''s).';

CREATE OR REPLACE FUNCTION billing.migrate_subscription(p_subscription uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Deliberately moves one subscription to its tier's newest version (a new snapshot).
DECLARE
    v_sub billing.organization_subscriptions;
    v_tier_code text;
    v_latest uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    SELECT * INTO v_sub FROM billing.organization_subscriptions WHERE id = p_subscription AND status = 'active' FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subscription_not_found' USING DETAIL = 'No active subscription with this id.';
    END IF;
    SELECT t.code INTO v_tier_code FROM billing.tier_versions AS v JOIN billing.tiers AS t ON t.id = v.tier_id
    WHERE v.id = v_sub.tier_version_id;
    v_latest := billing.latest_version(v_tier_code);
    IF v_latest = v_sub.tier_version_id THEN
        RETURN v_sub.id;
    END IF;
    PERFORM billing.end_subscription(v_sub.id);
    RETURN billing.subscribe_snapshot(v_sub.organization_id, v_latest, v_sub.kind);
END;
$$;
COMMENT ON FUNCTION billing.migrate_subscription(uuid) IS 'Platform admins move a subscription to the newest version of its tier (a fresh snapshot).';

CREATE OR REPLACE FUNCTION billing.publish_tier_version(
    p_tier_code text, p_entitlements jsonb, p_limits jsonb, p_monthly_price_cents integer DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A catalog edit is a new version; existing subscriptions keep their snapshots.
DECLARE
    v_tier billing.tiers;
    v_prev billing.tier_versions;
    v_new uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    SELECT * INTO v_tier FROM billing.tiers WHERE code = p_tier_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tier_not_found' USING DETAIL = 'No tier with code ' || coalesce(p_tier_code, 'NULL') || '.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_entitlements) <> 'object' OR pg_catalog.jsonb_typeof(p_limits) <> 'object' THEN
        RAISE EXCEPTION 'invalid_catalog' USING DETAIL = 'Entitlements and limits are JSON objects keyed by code.';
    END IF;
    SELECT * INTO v_prev FROM billing.tier_versions WHERE tier_id = v_tier.id ORDER BY version DESC LIMIT 1 FOR UPDATE;
    INSERT INTO billing.tier_versions (tier_id, version, monthly_price_cents, currency, published_by)
    VALUES (v_tier.id, coalesce(v_prev.version, 0) + 1, coalesce(p_monthly_price_cents, v_prev.monthly_price_cents, 0),
            coalesce(v_prev.currency, 'EUR'), iam.current_principal_id())
    RETURNING id INTO v_new;
    INSERT INTO billing.tier_entitlements (tier_version_id, entitlement_code, enabled)
    SELECT v_new, e.key, (e.value)::text::boolean FROM pg_catalog.jsonb_each(p_entitlements) AS e;
    INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
    SELECT v_new, l.key, CASE WHEN l.value = 'null'::jsonb THEN NULL ELSE (l.value)::text::bigint END
    FROM pg_catalog.jsonb_each(p_limits) AS l;
    RETURN v_new;
END;
$$;
COMMENT ON FUNCTION billing.publish_tier_version(text, jsonb, jsonb, integer) IS 'Platform admins publish a new version of a tier; live snapshots are untouched.';

CREATE OR REPLACE FUNCTION billing.grant_override(
    p_org uuid, p_entitlement text, p_limit text, p_enabled boolean, p_value bigint, p_reason text,
    p_expires_at timestamptz DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    v_id := billing.add_override('organization', p_org, p_org, p_entitlement, p_limit, p_enabled, p_value, p_reason,
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001'), p_expires_at);
    PERFORM events.publish_for(p_org, 'subscription.override_granted', pg_catalog.jsonb_build_object(
        'override_id', v_id, 'entitlement', p_entitlement, 'limit', p_limit, 'enabled', p_enabled,
        'value', p_value, 'expires_at', p_expires_at));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION billing.grant_override(uuid, text, text, boolean, bigint, text, timestamptz) IS 'Platform admins override one entitlement or limit of an organization, with a reason and optional expiry.';

CREATE OR REPLACE FUNCTION billing.revoke_override(p_override uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    v_org := billing.end_override('organization', p_override, NULL);
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'override_not_found' USING DETAIL = 'No active override with this id.';
    END IF;
    PERFORM events.publish_for(v_org, 'subscription.override_revoked', pg_catalog.jsonb_build_object('override_id', p_override));
END;
$$;
COMMENT ON FUNCTION billing.revoke_override(uuid) IS 'Platform admins revoke an override before its expiry.';

CREATE OR REPLACE FUNCTION billing.set_org_entitlement(p_org uuid, p_code text, p_enabled boolean, p_reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM billing.require_platform_admin();
    IF NOT EXISTS (SELECT 1 FROM billing.entitlements WHERE code = p_code AND scope = 'org') THEN
        RAISE EXCEPTION 'entitlement_not_found' USING DETAIL = 'No org-scoped entitlement with code ' || coalesce(p_code, 'NULL') || '.';
    END IF;
    -- Carried into the audit row of this write.
    PERFORM pg_catalog.set_config('app.action_context', 'org_entitlement_change', true);
    INSERT INTO billing.organization_entitlements (organization_id, entitlement_code, enabled, reason, updated_by)
    VALUES (p_org, p_code, p_enabled, coalesce(p_reason, ''), iam.current_principal_id())
    ON CONFLICT (organization_id, entitlement_code) DO UPDATE
    SET enabled = EXCLUDED.enabled, reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = util.now();
    PERFORM events.publish_for(p_org, 'org_entitlement.changed', pg_catalog.jsonb_build_object(
        'entitlement', p_code, 'enabled', p_enabled));
END;
$$;
COMMENT ON FUNCTION billing.set_org_entitlement(uuid, text, boolean, text) IS 'Platform admins switch an org-scoped entitlement on or off (audited as org_entitlement_change).';
