-- A clinic's webhook subscriptions: create, change, enable/disable, delete, rotate the signing
-- secret, send a test event, replay. Called by the request pool as members holding
-- webhooks.manage (never a platform role: webhooks carry a clinic's events to its own systems).
-- Secrets arrive sealed by the application (auth_secret, the organization's key); SQL never
-- sees them in clear. Errors: RAISE EXCEPTION '<code>' USING DETAIL.

CREATE OR REPLACE FUNCTION webhooks.require_manager() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_member_org_id();
BEGIN
    PERFORM iam.require_permission('webhooks.manage');
    IF v_org IS NULL OR NOT EXISTS (
        SELECT 1
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
        WHERE m.organization_id = v_org AND m.principal_id = iam.current_principal_id()
          AND rp.permission_code = 'webhooks.manage'
    ) THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Webhooks are managed by members of the organization holding webhooks.manage.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_org;
END;
$$;
COMMENT ON FUNCTION webhooks.require_manager() IS 'The current organization when a member holding webhooks.manage acts in it; else raises permission_denied.';

CREATE OR REPLACE FUNCTION webhooks.is_manager() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT EXISTS (
        SELECT 1
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND rp.permission_code = 'webhooks.manage'
    );
$$;
COMMENT ON FUNCTION webhooks.is_manager() IS 'Whether the acting principal''s membership role in the current organization grants webhooks.manage (the policies'' test).';

CREATE OR REPLACE FUNCTION webhooks.require_entitlement() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT billing.has_tier_entitlement('webhooks') THEN
        RAISE EXCEPTION 'tier_entitlement_unavailable'
            USING DETAIL = 'The organization''s plan does not include webhooks.',
                  HINT = '{"kind": "tier_entitlement", "entitlement": "webhooks"}';
    END IF;
END;
$$;
COMMENT ON FUNCTION webhooks.require_entitlement() IS 'Raises tier_entitlement_unavailable unless the organization''s plan includes webhooks.';

CREATE OR REPLACE FUNCTION webhooks.enforce_max(p_org uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- webhooks.max counts the organization's subscriptions (active and disabled), serialized per
-- organization with billing's limit lock so two creations cannot both pass the last place.
DECLARE
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    PERFORM billing.lock_limit(p_org, 'webhooks.max');
    SELECT l.value, l.source INTO v_limit, v_source FROM billing.effective_limit(p_org, 'webhooks.max') AS l;
    IF v_limit IS NULL AND v_source <> 'none' THEN
        RETURN;
    END IF;
    SELECT pg_catalog.count(*) INTO v_usage FROM webhooks.webhook_subscriptions AS s WHERE s.organization_id = p_org;
    IF v_usage + 1 > coalesce(v_limit, 0) THEN
        RAISE EXCEPTION 'limit_exceeded'
            USING DETAIL = pg_catalog.format('The webhooks.max limit of %s is reached (in use: %s).', coalesce(v_limit, 0), v_usage),
                  HINT = pg_catalog.jsonb_build_object('kind', 'limit', 'limit_code', 'webhooks.max', 'limit', coalesce(v_limit, 0),
                                                       'usage', v_usage, 'requested', 1, 'source', v_source)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION webhooks.enforce_max(uuid) IS 'Raises limit_exceeded when one more subscription would pass the organization''s webhooks.max.';

CREATE OR REPLACE FUNCTION webhooks.lock_subscription(p_id uuid) RETURNS webhooks.webhook_subscriptions
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_sub webhooks.webhook_subscriptions;
BEGIN
    SELECT * INTO v_sub FROM webhooks.webhook_subscriptions AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_member_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'webhook_not_found' USING DETAIL = 'No such webhook in this organization.';
    END IF;
    RETURN v_sub;
END;
$$;
COMMENT ON FUNCTION webhooks.lock_subscription(uuid) IS 'Internal: locks a subscription of the current organization, or raises webhook_not_found.';

CREATE OR REPLACE FUNCTION webhooks.create_subscription(
    p_id uuid, p_url text, p_event_types text [], p_description text, p_secret_id uuid, p_secret bytea
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The application chose both ids before sealing the secret (its encryption context names the
-- secret's row), so they come in rather than being drawn here.
DECLARE
    v_org uuid := webhooks.require_manager();
BEGIN
    PERFORM webhooks.require_entitlement();
    PERFORM webhooks.enforce_max(v_org);
    INSERT INTO webhooks.webhook_subscriptions (id, organization_id, url, event_types, description, created_by)
    VALUES (p_id, v_org, p_url, p_event_types, nullif(pg_catalog.btrim(p_description), ''), iam.current_principal_id());
    INSERT INTO webhooks.webhook_secrets (id, organization_id, subscription_id, secret_encrypted, created_by)
    VALUES (p_secret_id, v_org, p_id, p_secret, iam.current_principal_id());
    PERFORM events.publish('webhook.created', pg_catalog.jsonb_build_object(
        'subscription_id', p_id, 'event_types', pg_catalog.to_jsonb(p_event_types)
    ));
    RETURN p_id;
END;
$$;
COMMENT ON FUNCTION webhooks.create_subscription(uuid, text, text [], text, uuid, bytea) IS 'Create a webhook subscription with its sealed signing secret (webhooks.manage; plan entitlement webhooks; webhooks.max).';

CREATE OR REPLACE FUNCTION webhooks.update_subscription(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Keys: url, event_types, description (null clears it), status ('active' or 'disabled': a
-- manager disabling records the reason 'manual'; enabling clears any reason and the failing
-- streak).
DECLARE
    v_sub webhooks.webhook_subscriptions;
    v_keys text [];
    v_bad text [];
BEGIN
    PERFORM webhooks.require_manager();
    PERFORM webhooks.require_entitlement();
    v_sub := webhooks.lock_subscription(p_id);
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    v_bad := ARRAY(SELECT k FROM pg_catalog.unnest(v_keys) AS k WHERE k <> ALL (ARRAY['url', 'event_types', 'description', 'status']));
    IF pg_catalog.cardinality(v_bad) > 0 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Unknown field: ' || pg_catalog.array_to_string(v_bad, ', ');
    END IF;
    IF p_changes ? 'status' AND p_changes ->> 'status' NOT IN ('active', 'disabled') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'status is active or disabled.';
    END IF;
    UPDATE webhooks.webhook_subscriptions AS s SET
        url = CASE WHEN p_changes ? 'url' THEN p_changes ->> 'url' ELSE s.url END,
        event_types = CASE WHEN p_changes ? 'event_types'
            THEN ARRAY(SELECT pg_catalog.jsonb_array_elements_text(p_changes -> 'event_types'))
            ELSE s.event_types END,
        description = CASE WHEN p_changes ? 'description'
            THEN nullif(pg_catalog.btrim(p_changes ->> 'description'), '') ELSE s.description END,
        status = coalesce(p_changes ->> 'status', s.status),
        disabled_reason = CASE
            WHEN p_changes ->> 'status' = 'active' THEN NULL
            WHEN p_changes ->> 'status' = 'disabled' AND s.status = 'active' THEN 'manual'
            ELSE s.disabled_reason END,
        disabled_at = CASE
            WHEN p_changes ->> 'status' = 'active' THEN NULL
            WHEN p_changes ->> 'status' = 'disabled' AND s.status = 'active' THEN util.now()
            ELSE s.disabled_at END,
        failing_since = CASE WHEN p_changes ->> 'status' = 'active' THEN NULL ELSE s.failing_since END
    WHERE s.id = v_sub.id;
    IF pg_catalog.cardinality(v_keys) > 0 THEN
        PERFORM events.publish('webhook.updated', pg_catalog.jsonb_build_object(
            'subscription_id', v_sub.id, 'changed', pg_catalog.to_jsonb(v_keys)
        ));
    END IF;
    IF p_changes ->> 'status' = 'disabled' AND v_sub.status = 'active' THEN
        PERFORM events.publish('webhook.disabled', pg_catalog.jsonb_build_object(
            'subscription_id', v_sub.id, 'reason', 'manual'
        ));
    END IF;
END;
$$;
COMMENT ON FUNCTION webhooks.update_subscription(uuid, jsonb) IS 'Change a subscription''s url, event types, description or status (webhooks.manage).';

CREATE OR REPLACE FUNCTION webhooks.delete_subscription(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Its secrets and owed messages go with it; the delivery log stays for its 90 days.
DECLARE
    v_sub webhooks.webhook_subscriptions;
BEGIN
    PERFORM webhooks.require_manager();
    v_sub := webhooks.lock_subscription(p_id);
    DELETE FROM webhooks.webhook_subscriptions AS s WHERE s.id = v_sub.id;
    PERFORM events.publish('webhook.deleted', pg_catalog.jsonb_build_object('subscription_id', v_sub.id));
END;
$$;
COMMENT ON FUNCTION webhooks.delete_subscription(uuid) IS 'Delete a subscription with its secrets and owed messages (webhooks.manage).';

CREATE OR REPLACE FUNCTION webhooks.rotate_secret(p_id uuid, p_secret_id uuid, p_secret bytea) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The current secret stays valid 24 hours more (both signatures are sent meanwhile); secrets
-- already past their time are forgotten now. Returns when the previous secret expires.
DECLARE
    v_sub webhooks.webhook_subscriptions;
    v_expires timestamptz := util.now() + INTERVAL '24 hours';
BEGIN
    PERFORM webhooks.require_manager();
    PERFORM webhooks.require_entitlement();
    v_sub := webhooks.lock_subscription(p_id);
    DELETE FROM webhooks.webhook_secrets AS k WHERE k.subscription_id = v_sub.id AND k.expires_at <= util.now();
    UPDATE webhooks.webhook_secrets AS k SET expires_at = v_expires
    WHERE k.subscription_id = v_sub.id AND k.expires_at IS NULL;
    INSERT INTO webhooks.webhook_secrets (id, organization_id, subscription_id, secret_encrypted, created_by)
    VALUES (p_secret_id, v_sub.organization_id, v_sub.id, p_secret, iam.current_principal_id());
    PERFORM events.publish('webhook.secret_rotated', pg_catalog.jsonb_build_object(
        'subscription_id', v_sub.id, 'previous_expires_at', v_expires
    ));
    RETURN v_expires;
END;
$$;
COMMENT ON FUNCTION webhooks.rotate_secret(uuid, uuid, bytea) IS 'Replace a subscription''s signing secret; the previous one stays valid 24 hours (webhooks.manage).';

CREATE OR REPLACE FUNCTION webhooks.send_test(p_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A webhook.test event naming the subscription; the fan-out sends it to that subscription
-- only, whatever its type patterns and status. Returns the event id.
DECLARE
    v_sub webhooks.webhook_subscriptions;
BEGIN
    PERFORM webhooks.require_manager();
    PERFORM webhooks.require_entitlement();
    v_sub := webhooks.lock_subscription(p_id);
    RETURN events.publish('webhook.test', pg_catalog.jsonb_build_object('subscription_id', v_sub.id));
END;
$$;
COMMENT ON FUNCTION webhooks.send_test(uuid) IS 'Publish a webhook.test event delivered to this subscription only (webhooks.manage).';

CREATE OR REPLACE FUNCTION webhooks.replay_message(p_id uuid, p_message uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Owed again from the first attempt, with the same webhook-id (receivers deduplicate on it).
DECLARE
    v_sub webhooks.webhook_subscriptions;
BEGIN
    PERFORM webhooks.require_manager();
    PERFORM webhooks.require_entitlement();
    v_sub := webhooks.lock_subscription(p_id);
    UPDATE webhooks.webhook_messages AS m SET
        state = 'pending', attempts = 0, next_attempt_at = util.now(), dead_at = NULL,
        lease_expires_at = NULL, leased_by = NULL
    WHERE m.id = p_message AND m.subscription_id = v_sub.id AND m.state <> 'leased';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message_not_found' USING DETAIL = 'No such message of this webhook (or it is being sent right now).';
    END IF;
    PERFORM pg_catalog.pg_notify('restartix_events', '');
END;
$$;
COMMENT ON FUNCTION webhooks.replay_message(uuid, uuid) IS 'Send one message of a subscription again from its first attempt (webhooks.manage).';

CREATE OR REPLACE FUNCTION webhooks.replay_failed_since(p_org uuid, p_subscription uuid, p_since timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE webhooks.webhook_messages AS m SET
        state = 'pending', attempts = 0, next_attempt_at = util.now(), dead_at = NULL
    WHERE m.organization_id = p_org AND m.state = 'dead' AND m.created_at >= p_since
      AND (p_subscription IS NULL OR m.subscription_id = p_subscription);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 THEN
        PERFORM pg_catalog.pg_notify('restartix_events', '');
    END IF;
    RETURN v_count;
END;
$$;
COMMENT ON FUNCTION webhooks.replay_failed_since(uuid, uuid, timestamptz) IS 'Internal and operators (system pool): every dead message of an organization (or one subscription) created since a time is owed again.';

CREATE OR REPLACE FUNCTION webhooks.replay_failed_for_org(p_org_ref text, p_since timestamptz)
RETURNS TABLE (organization_id uuid, slug text, replayed integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The operators' command (restartix webhooks replay): the organization by id or live slug.
DECLARE
    v_org tenancy.organizations;
BEGIN
    SELECT * INTO v_org FROM tenancy.organizations AS o
    WHERE o.id::text = p_org_ref OR (o.slug = p_org_ref AND o.deleted_at IS NULL)
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = pg_catalog.format('no organization %L', p_org_ref);
    END IF;
    IF p_since IS NULL OR p_since > util.now() THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'since is a past time.';
    END IF;
    RETURN QUERY SELECT v_org.id, v_org.slug, webhooks.replay_failed_since(v_org.id, NULL, p_since);
END;
$$;
COMMENT ON FUNCTION webhooks.replay_failed_for_org(text, timestamptz) IS 'Operators (system pool): every dead message of an organization (by id or slug) created since a time is owed again.';

CREATE OR REPLACE FUNCTION webhooks.replay_since(p_id uuid, p_since timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_sub webhooks.webhook_subscriptions;
BEGIN
    PERFORM webhooks.require_manager();
    PERFORM webhooks.require_entitlement();
    IF p_since IS NULL OR p_since > util.now() THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'since is a past time.';
    END IF;
    v_sub := webhooks.lock_subscription(p_id);
    RETURN webhooks.replay_failed_since(v_sub.organization_id, v_sub.id, p_since);
END;
$$;
COMMENT ON FUNCTION webhooks.replay_since(uuid, timestamptz) IS 'Send again every failed (dead) message of a subscription created since a time; returns how many (webhooks.manage).';

REVOKE EXECUTE ON FUNCTION
webhooks.require_manager(), webhooks.is_manager(), webhooks.require_entitlement(), webhooks.enforce_max(uuid),
webhooks.lock_subscription(uuid), webhooks.create_subscription(uuid, text, text [], text, uuid, bytea),
webhooks.update_subscription(uuid, jsonb), webhooks.delete_subscription(uuid),
webhooks.rotate_secret(uuid, uuid, bytea), webhooks.send_test(uuid), webhooks.replay_message(uuid, uuid),
webhooks.replay_failed_since(uuid, uuid, timestamptz), webhooks.replay_since(uuid, timestamptz),
webhooks.replay_failed_for_org(text, timestamptz)
FROM public;
GRANT EXECUTE ON FUNCTION
webhooks.is_manager(), webhooks.create_subscription(uuid, text, text [], text, uuid, bytea),
webhooks.update_subscription(uuid, jsonb), webhooks.delete_subscription(uuid),
webhooks.rotate_secret(uuid, uuid, bytea), webhooks.send_test(uuid), webhooks.replay_message(uuid, uuid),
webhooks.replay_since(uuid, timestamptz)
TO restartix_app;
GRANT EXECUTE ON FUNCTION
webhooks.replay_failed_since(uuid, uuid, timestamptz), webhooks.replay_failed_for_org(text, timestamptz)
TO restartix_system;
