-- Custom roles of an organization and the platform console's actions on humans.
-- Every function here is SECURITY DEFINER with its own checks: the request pool has no
-- write grant on these tables (db/tests/test_app_privileges.sql). Nobody hands out what
-- they do not hold: a role's permissions must be a subset of the actor's own, unless the
-- actor is an owner of the organization or a platform admin (docs/security.md).

CREATE OR REPLACE FUNCTION iam.acts_as_owner() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN iam.is_platform_admin() OR EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND m.status = 'active' AND r.code = 'owner' AND r.organization_id IS NULL
    );
END;
$$;
COMMENT ON FUNCTION iam.acts_as_owner() IS 'True when the acting principal is an active owner of the current organization or a platform admin.';

CREATE OR REPLACE FUNCTION iam.require_grantable(p_permissions text [], p_what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_missing text [];
BEGIN
    IF iam.acts_as_owner() THEN
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(DISTINCT p ORDER BY p) INTO v_missing
    FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS p
    WHERE NOT iam.has_permission(p);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = p_what || ' needs permissions you do not hold: ' || pg_catalog.array_to_string(v_missing, ', '),
                  ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION iam.require_grantable(text [], text) IS 'Raises permission_denied unless the actor holds every one of these permissions (owners and platform admins excepted).';

CREATE OR REPLACE FUNCTION iam.role_permission_codes(p_role uuid) RETURNS text []
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT coalesce(pg_catalog.array_agg(rp.permission_code ORDER BY rp.permission_code), '{}')
    FROM iam.role_permissions AS rp WHERE rp.role_id = p_role
$$;
COMMENT ON FUNCTION iam.role_permission_codes(uuid) IS 'The permission codes a role grants (internal: for the subset checks).';

CREATE OR REPLACE FUNCTION iam.save_role(
    p_role uuid, p_code text, p_name text, p_description text, p_permissions text []
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_role NULL creates a custom role in the current organization; otherwise edits it.
DECLARE
    v_id uuid := p_role;
    v_unknown text [];
BEGIN
    PERFORM iam.require_permission('roles.manage');
    SELECT pg_catalog.array_agg(p ORDER BY p) INTO v_unknown
    FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS p
    WHERE NOT EXISTS (SELECT 1 FROM iam.permissions AS c WHERE c.code = p);
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_permission' USING DETAIL = 'Unknown permissions: ' || pg_catalog.array_to_string(v_unknown, ', ');
    END IF;
    PERFORM iam.require_grantable(p_permissions, 'This role');
    IF v_id IS NULL THEN
        INSERT INTO iam.roles (organization_id, code, name, description)
        VALUES (iam.current_org_id(), p_code, pg_catalog.btrim(p_name), coalesce(p_description, ''))
        RETURNING id INTO v_id;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM iam.roles WHERE id = v_id AND organization_id = iam.current_org_id()) THEN
            RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such custom role in this organization (system templates are read-only).';
        END IF;
        -- Editing a role is handing out what it grants now, too.
        PERFORM iam.require_grantable(iam.role_permission_codes(v_id), 'Editing this role');
        UPDATE iam.roles SET name = coalesce(pg_catalog.btrim(p_name), name),
                             description = coalesce(p_description, description)
        WHERE id = v_id;
    END IF;
    IF p_permissions IS NOT NULL THEN
        DELETE FROM iam.role_permissions WHERE role_id = v_id AND permission_code <> ALL (p_permissions);
        INSERT INTO iam.role_permissions (role_id, permission_code)
        SELECT v_id, p FROM pg_catalog.unnest(p_permissions) AS p
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION iam.save_role(uuid, text, text, text, text []) IS 'Create or edit a custom role of the current organization and set its permissions.';

CREATE OR REPLACE FUNCTION iam.delete_role(p_role uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_permission('roles.manage');
    IF NOT EXISTS (SELECT 1 FROM iam.roles WHERE id = p_role AND organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such custom role in this organization (system templates are read-only).';
    END IF;
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'Deleting this role');
    IF EXISTS (SELECT 1 FROM tenancy.organization_memberships WHERE role_id = p_role) THEN
        RAISE EXCEPTION 'role_in_use' USING DETAIL = 'Members still hold this role; give them another first.';
    END IF;
    DELETE FROM iam.roles WHERE id = p_role;
END;
$$;
COMMENT ON FUNCTION iam.delete_role(uuid) IS 'Delete a custom role no member holds.';

CREATE OR REPLACE FUNCTION iam.set_human_blocked(p_principal uuid, p_blocked boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_platform_admin();
    IF p_principal = iam.current_principal_id() THEN
        RAISE EXCEPTION 'cannot_block_self' USING DETAIL = 'You cannot block yourself.';
    END IF;
    UPDATE iam.humans SET blocked_at = CASE WHEN p_blocked THEN coalesce(blocked_at, util.now()) END
    WHERE principal_id = p_principal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such human.';
    END IF;
END;
$$;
COMMENT ON FUNCTION iam.set_human_blocked(uuid, boolean) IS 'Platform admins block or unblock a human everywhere.';

CREATE OR REPLACE FUNCTION iam.set_platform_role(p_principal uuid, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_role NULL revokes.
BEGIN
    PERFORM iam.require_platform_admin();
    IF NOT EXISTS (SELECT 1 FROM iam.humans WHERE principal_id = p_principal) THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such human.';
    END IF;
    IF p_role IS NULL THEN
        IF p_principal = iam.current_principal_id() THEN
            RAISE EXCEPTION 'cannot_revoke_self' USING DETAIL = 'You cannot revoke your own platform role.';
        END IF;
        DELETE FROM iam.platform_memberships WHERE principal_id = p_principal;
    ELSE
        INSERT INTO iam.platform_memberships (principal_id, role, granted_by)
        VALUES (p_principal, p_role, iam.current_principal_id())
        ON CONFLICT (principal_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by;
    END IF;
END;
$$;
COMMENT ON FUNCTION iam.set_platform_role(uuid, text) IS 'Platform admins grant (superadmin, support) or revoke (NULL) a platform role.';

-- Internal helpers of the definer functions: nobody calls them directly.
REVOKE EXECUTE ON FUNCTION
iam.acts_as_owner(), iam.require_grantable(text [], text), iam.role_permission_codes(uuid)
FROM public;

GRANT EXECUTE ON FUNCTION
iam.save_role(uuid, text, text, text, text []), iam.delete_role(uuid),
iam.set_human_blocked(uuid, boolean), iam.set_platform_role(uuid, text)
TO restartix_app;
