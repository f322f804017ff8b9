-- Break-glass: platform staff read an organization's patient data only under a recorded,
-- time-boxed grant (docs/security.md, "Break-glass"). A staff member opens one for
-- themselves with a reason; there is no second approver, because break-glass exists for the
-- hour when nobody else is awake: instead the grant is short, visible to the organization's
-- auditors and published as an event the moment it opens, and every request made under it
-- is in the audit log. Under a grant the staff member counts as a member of the organization
-- (iam.current_member_org_id) holding *.read permissions only (iam.has_permission,
-- people.member_holds): every member read policy and gate serves them, nothing writes.

CREATE OR REPLACE FUNCTION iam.current_break_glass_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Read from the table on every call, never from app.break_glass_id: a grant closed or
-- expired stops counting at the next statement, and a session variable cannot open one.
-- Policies call it as (select ...) once per statement; members never reach it.
DECLARE
    v_principal uuid := iam.current_principal_id();
    v_org uuid := iam.current_org_id();
BEGIN
    IF v_principal IS NULL OR v_org IS NULL OR iam.current_platform_role() IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (
        SELECT g.id
        FROM iam.break_glass_grants AS g
        WHERE g.principal_id = v_principal
          AND g.organization_id = v_org
          AND g.closed_at IS NULL
          AND g.expires_at > util.now()
          AND g.opened_at <= util.now()
        ORDER BY g.opened_at DESC
        LIMIT 1
    );
END;
$$;
COMMENT ON FUNCTION iam.current_break_glass_id() IS 'The open break-glass grant of the acting platform staff member for the current organization, or NULL.';

CREATE OR REPLACE FUNCTION iam.guards_patient_data(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN coalesce((SELECT p.patient_data FROM iam.permissions AS p WHERE p.code = p_code), false);
END;
$$;
COMMENT ON FUNCTION iam.guards_patient_data(text) IS 'Whether a permission guards patient data (platform roles hold it only as a read under break-glass).';

CREATE OR REPLACE FUNCTION iam.open_break_glass(
    p_organization uuid, p_reason text, p_duration interval, p_principal uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A staff member opens a grant for themselves; a superadmin may open one for a support staff
-- member (the grant records both). One open grant per staff member and organization.
DECLARE
    v_actor uuid := iam.current_principal_id();
    v_principal uuid := coalesce(p_principal, iam.current_principal_id());
    v_role text;
    v_id uuid;
    v_at timestamptz := util.now();
BEGIN
    IF iam.current_platform_role() IS NULL THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Break-glass is for platform staff.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_principal IS DISTINCT FROM v_actor AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Support staff open break-glass grants for themselves only.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    -- Locks the grantee's platform role: concurrent opens for them queue here.
    SELECT pm.role INTO v_role FROM iam.platform_memberships AS pm
    WHERE pm.principal_id = v_principal FOR UPDATE;
    IF v_role IS NULL OR iam.principal_is_blocked(v_principal) THEN
        RAISE EXCEPTION 'break_glass_not_staff' USING DETAIL = 'Break-glass grants are for unblocked platform staff.';
    END IF;
    IF p_reason IS NULL OR pg_catalog.length(pg_catalog.btrim(p_reason)) NOT BETWEEN 10 AND 1000 THEN
        RAISE EXCEPTION 'break_glass_reason_invalid' USING DETAIL = 'Say why, in 10 to 1000 characters.';
    END IF;
    IF p_duration IS NULL OR p_duration < interval '1 minute' OR p_duration > interval '4 hours' THEN
        RAISE EXCEPTION 'break_glass_duration_invalid' USING DETAIL = 'A grant lasts from 1 minute to 4 hours.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM tenancy.organizations AS o WHERE o.id = p_organization AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No such organization.';
    END IF;
    IF EXISTS (
        SELECT 1 FROM iam.break_glass_grants AS g
        WHERE g.principal_id = v_principal AND g.organization_id = p_organization
          AND g.closed_at IS NULL AND g.expires_at > v_at
    ) THEN
        RAISE EXCEPTION 'break_glass_already_open' USING DETAIL = 'A grant for this organization is already open; close it first.';
    END IF;
    INSERT INTO iam.break_glass_grants (principal_id, organization_id, reason, opened_by, opened_at, expires_at)
    VALUES (v_principal, p_organization, pg_catalog.btrim(p_reason), v_actor, v_at, v_at + p_duration)
    RETURNING id INTO v_id;
    PERFORM events.publish_for(p_organization, 'break_glass.opened', pg_catalog.jsonb_build_object(
        'grant_id', v_id, 'principal_id', v_principal, 'opened_by', v_actor,
        'expires_at', v_at + p_duration
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION iam.open_break_glass(uuid, text, interval, uuid) IS 'Platform staff open a read-only break-glass grant on one organization (reason, at most 4 hours); superadmins may open one for another staff member.';

CREATE OR REPLACE FUNCTION iam.close_break_glass(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The grantee or a superadmin closes a grant before it expires. Closing an expired or closed
-- grant is a no-op refusal (break_glass_not_open), not a rewrite of its history.
DECLARE
    v_grant iam.break_glass_grants;
    v_at timestamptz := util.now();
BEGIN
    IF iam.current_platform_role() IS NULL THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Break-glass is for platform staff.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO v_grant FROM iam.break_glass_grants AS g
    WHERE g.id = p_id AND (g.principal_id = iam.current_principal_id() OR iam.is_platform_admin())
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'break_glass_not_found' USING DETAIL = 'No such break-glass grant.';
    END IF;
    IF v_grant.closed_at IS NOT NULL OR v_grant.expires_at <= v_at THEN
        RAISE EXCEPTION 'break_glass_not_open' USING DETAIL = 'This grant is already closed or expired.';
    END IF;
    UPDATE iam.break_glass_grants SET closed_at = v_at, closed_by = iam.current_principal_id()
    WHERE id = v_grant.id;
    PERFORM events.publish_for(v_grant.organization_id, 'break_glass.closed', pg_catalog.jsonb_build_object(
        'grant_id', v_grant.id, 'principal_id', v_grant.principal_id,
        'closed_by', iam.current_principal_id()
    ));
END;
$$;
COMMENT ON FUNCTION iam.close_break_glass(uuid) IS 'The grantee or a superadmin closes an open break-glass grant early.';

CREATE OR REPLACE FUNCTION iam.audit_break_glass_request(p_grant uuid, p_route text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
-- One audit row per request made under a grant, whatever the request reads: the audit
-- trigger sees only writes, and break-glass requests are reads.
BEGIN
    INSERT INTO audit.audit_log (
        created_at, organization_id, actor_id, actor_type, action, entity_type, entity_id,
        new_values, request_id, action_context, break_glass_id, ip, user_agent
    )
    SELECT
        util.now(), g.organization_id, g.principal_id, 'human', 'break_glass.read',
        'iam.break_glass_grants', g.id::text,
        pg_catalog.jsonb_build_object('route', pg_catalog.left(p_route, 512)),
        nullif(pg_catalog.current_setting('app.request_id', true), ''),
        'break_glass', g.id,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512)
    FROM iam.break_glass_grants AS g
    WHERE g.id = p_grant;
END;
$$;
COMMENT ON FUNCTION iam.audit_break_glass_request(uuid, text) IS 'Internal (iam.begin_request): writes the audit row of one request made under a break-glass grant.';

REVOKE EXECUTE ON FUNCTION iam.audit_break_glass_request(uuid, text), iam.guards_patient_data(text)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION
iam.current_break_glass_id(), iam.open_break_glass(uuid, text, interval, uuid), iam.close_break_glass(uuid)
TO restartix_app;
