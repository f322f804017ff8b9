-- The request scope in one round trip, and the one way SQL refuses an action.
-- The API opens every authenticated request with iam.begin_request: it sets who, where and why
-- transaction-locally and answers whether the human is blocked, whether the organization is
-- visible to them and whether the route's requirement holds. A requirement is a permission
-- code, several joined by '|' (any one suffices), or 'platform:admin' / 'platform:staff'.

DROP FUNCTION IF EXISTS tenancy.require_permission(text);
-- The route joined the arguments with break-glass (migration 0020).
DROP FUNCTION IF EXISTS iam.begin_request(uuid, uuid, text, text, text, text);

CREATE OR REPLACE FUNCTION iam.holds(p_requirement text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN CASE p_requirement
        WHEN 'platform:admin' THEN iam.is_platform_admin()
        WHEN 'platform:staff' THEN iam.is_platform_staff()
        ELSE EXISTS (
            SELECT 1 FROM pg_catalog.string_to_array(p_requirement, '|') AS a (codes)
            CROSS JOIN LATERAL pg_catalog.unnest(a.codes) AS c (code)
            WHERE iam.has_permission(c.code)
        )
    END;
END;
$$;
COMMENT ON FUNCTION iam.holds(text) IS 'Whether the acting principal meets a requirement: a permission code here (or any of a|b), or platform:admin / platform:staff.';

CREATE OR REPLACE FUNCTION iam.require_permission(p_code text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT iam.has_permission(p_code) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'This needs the ' || p_code || ' permission.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION iam.require_permission(text) IS 'Raises permission_denied (42501) unless the acting principal holds the permission here.';

CREATE OR REPLACE FUNCTION iam.require_platform_admin() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'This is for platform administrators.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION iam.require_platform_admin() IS 'Raises permission_denied (42501) unless an unblocked platform superadmin acts.';

CREATE OR REPLACE FUNCTION iam.begin_request(
    p_principal uuid,
    p_org uuid,
    p_request_id text,
    p_client_ip text,
    p_user_agent text,
    p_requires text,
    p_route text,
    OUT blocked boolean,
    OUT org_visible boolean,
    OUT allowed boolean
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_member_org uuid;
    v_role text;
    v_grant uuid;
BEGIN
    -- transaction-local (is_local = true): the settings end with the request's transaction.
    PERFORM pg_catalog.set_config('app.current_principal_id', p_principal::text, true),
            pg_catalog.set_config('app.current_org_id', coalesce(p_org::text, ''), true),
            pg_catalog.set_config('app.request_id', coalesce(p_request_id, ''), true),
            pg_catalog.set_config('app.action_context', '', true),
            pg_catalog.set_config('app.client_ip', coalesce(p_client_ip, ''), true),
            pg_catalog.set_config('app.user_agent', coalesce(p_user_agent, ''), true),
            pg_catalog.set_config('app.break_glass_id', '', true),
            pg_catalog.set_config('app.scope', '', true);
    blocked := iam.principal_is_blocked(p_principal);
    IF blocked THEN
        org_visible := false;
        allowed := false;
        RETURN;
    END IF;
    v_member_org := iam.current_member_org_id();
    v_role := iam.current_platform_role();
    -- What the policies of this request's statements will ask again and again, answered once
    -- (iam.scope_answer): decided at the start of the request, like its permission. Recorded
    -- before the requirement is checked, so that check reads it back too.
    PERFORM pg_catalog.set_config('app.scope', pg_catalog.concat_ws('/',
        p_principal::text, coalesce(p_org::text, ''), coalesce(v_member_org::text, ''), coalesce(v_role, '')
    ), true);
    -- Platform staff see every live organization; anyone else only their own, active ones.
    org_visible := p_org IS NULL
        OR v_member_org IS NOT NULL
        OR (v_role IS NOT NULL AND EXISTS (
            SELECT 1 FROM tenancy.organizations AS o WHERE o.id = p_org
        ));
    -- Platform staff inside an organization: under an open break-glass grant, every audit row
    -- of the request carries the grant, and the request itself is audited (reads included).
    -- Members and requests outside an organization never get this far.
    IF v_role IS NOT NULL AND p_org IS NOT NULL AND org_visible THEN
        v_grant := iam.current_break_glass_id();
        IF v_grant IS NOT NULL THEN
            PERFORM pg_catalog.set_config('app.break_glass_id', v_grant::text, true);
            PERFORM iam.audit_break_glass_request(v_grant, p_route);
        END IF;
    END IF;
    allowed := org_visible AND (p_requires IS NULL OR iam.holds(p_requires));
END;
$$;
COMMENT ON FUNCTION iam.begin_request(uuid, uuid, text, text, text, text, text) IS 'Opens a request: sets the scope transaction-locally; says whether the human is blocked, the organization visible and the requirement met; audits requests made under break-glass.';

GRANT EXECUTE ON FUNCTION
iam.holds(text), iam.require_permission(text), iam.require_platform_admin(),
iam.begin_request(uuid, uuid, text, text, text, text, text)
TO restartix_app, restartix_system;
