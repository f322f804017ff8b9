-- Session helpers: who is acting, in which organization, with what rights.
-- The API sets app.* with set_config(..., true) at the start of each request transaction.
-- Policies call these wrapped as (select iam.fn()) so they run once per statement.
-- The plain readers have no SET clause so the planner can inline them; the ones that read
-- protected tables are plpgsql (plans cached per session) and security definer.

CREATE OR REPLACE FUNCTION iam.current_principal_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid $$;
COMMENT ON FUNCTION iam.current_principal_id() IS 'The acting principal of this transaction, or NULL.';

CREATE OR REPLACE FUNCTION iam.current_org_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('app.current_org_id', true), '')::uuid $$;
COMMENT ON FUNCTION iam.current_org_id() IS 'The organization this transaction acts in, or NULL.';

CREATE OR REPLACE FUNCTION iam.current_request_id() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('app.request_id', true), '') $$;
COMMENT ON FUNCTION iam.current_request_id() IS 'The request id carried from the HTTP request into the audit log.';

CREATE OR REPLACE FUNCTION iam.current_action_context() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('app.action_context', true), '') $$;
COMMENT ON FUNCTION iam.current_action_context() IS 'Why this transaction acts (e.g. org_entitlement_change), for the audit log.';

CREATE OR REPLACE FUNCTION iam.principal_is_blocked(p_principal_id uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- An agent acting for a blocked human is blocked too.
    RETURN EXISTS (
    WITH RECURSIVE chain AS (
        SELECT p.id, p.parent_principal_id, 1 AS depth
        FROM iam.principals AS p WHERE p.id = p_principal_id
        UNION ALL
        SELECT p.id, p.parent_principal_id, c.depth + 1
        FROM iam.principals AS p
        INNER JOIN chain AS c ON p.id = c.parent_principal_id
        WHERE c.depth < 8
    )
        SELECT 1 FROM chain AS c
        INNER JOIN iam.humans AS h ON h.principal_id = c.id
        WHERE h.blocked_at IS NOT NULL
    );
END;
$$;
COMMENT ON FUNCTION iam.principal_is_blocked(uuid) IS 'True when the principal, or a principal it acts for, is a blocked human.';

CREATE OR REPLACE FUNCTION iam.scope_answer(p_part integer) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- iam.begin_request records what it found as app.scope = principal/org/member org/platform
-- role. Policies ask for the member organization and the platform role several times per
-- statement; while the scope is still the one it was recorded for, the answer is read back
-- instead of queried again. NULL means "not recorded": the caller computes it.
DECLARE
    v_parts text [] := pg_catalog.string_to_array(pg_catalog.current_setting('app.scope', true), '/');
BEGIN
    IF pg_catalog.array_length(v_parts, 1) = 4
       AND v_parts[1] = coalesce(pg_catalog.current_setting('app.current_principal_id', true), '')
       AND v_parts[2] = coalesce(pg_catalog.current_setting('app.current_org_id', true), '') THEN
        RETURN v_parts[p_part];
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION iam.scope_answer(integer) IS 'An answer iam.begin_request recorded for the current principal and organization (empty for none), or NULL when none was recorded.';

CREATE OR REPLACE FUNCTION iam.current_platform_role() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_recorded text := iam.scope_answer(4);
BEGIN
    IF v_recorded IS NOT NULL THEN
        RETURN nullif(v_recorded, '');
    END IF;
    RETURN (
        SELECT pm.role
        FROM iam.platform_memberships AS pm
        WHERE pm.principal_id = iam.current_principal_id()
          AND NOT iam.principal_is_blocked(pm.principal_id)
    );
END;
$$;
COMMENT ON FUNCTION iam.current_platform_role() IS 'superadmin, support or NULL for the acting principal; NULL when blocked.';

CREATE OR REPLACE FUNCTION iam.is_platform_admin() RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT coalesce(iam.current_platform_role() = 'superadmin', false) $$;
COMMENT ON FUNCTION iam.is_platform_admin() IS 'True when the acting principal is an unblocked platform superadmin.';

CREATE OR REPLACE FUNCTION iam.is_platform_staff() RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT iam.current_platform_role() IS NOT NULL $$;
COMMENT ON FUNCTION iam.is_platform_staff() IS 'True for unblocked superadmins and support staff: they may read across organizations.';

CREATE OR REPLACE FUNCTION iam.current_member_org_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_recorded text := iam.scope_answer(3);
    v_org uuid;
BEGIN
    IF v_recorded IS NOT NULL THEN
        RETURN nullif(v_recorded, '')::uuid;
    END IF;
    SELECT m.organization_id INTO v_org
    FROM tenancy.organization_memberships AS m
    INNER JOIN tenancy.organizations AS o ON o.id = m.organization_id
    WHERE m.organization_id = iam.current_org_id()
      AND m.principal_id = iam.current_principal_id()
      AND m.status = 'active'
      AND o.status = 'active'
      AND o.deleted_at IS NULL
      AND NOT iam.principal_is_blocked(m.principal_id);
    IF v_org IS NOT NULL THEN
        RETURN v_org;
    END IF;
    -- Break-glass: platform staff with an open grant on this organization count as a
    -- read-only member of it for the grant's life (iam.has_permission gives them *.read only
    -- there), so every policy and gate written for members lets them read, and nothing more.
    IF iam.current_break_glass_id() IS NOT NULL THEN
        RETURN (SELECT o.id FROM tenancy.organizations AS o WHERE o.id = iam.current_org_id() AND o.deleted_at IS NULL);
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION iam.current_member_org_id() IS 'The current organization when the acting principal is an active, unblocked member of it, or platform staff under an open break-glass grant on it (read-only); else NULL.';

CREATE OR REPLACE FUNCTION iam.has_permission(p_code text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_role text := iam.current_platform_role();
BEGIN
    IF v_role IS NOT NULL THEN
        -- In an organization where they hold an open break-glass grant, platform staff read
        -- (patient data included) and change nothing, superadmins too.
        IF iam.current_break_glass_id() IS NOT NULL THEN
            RETURN p_code LIKE '%.read';
        END IF;
        -- Elsewhere superadmins hold every permission and support staff every *.read, except
        -- those guarding patient data: those only a membership role grants.
        IF NOT iam.guards_patient_data(p_code) THEN
            RETURN v_role = 'superadmin' OR p_code LIKE '%.read';
        END IF;
    END IF;
    RETURN EXISTS (
        SELECT 1
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND rp.permission_code = p_code
    );
END;
$$;
COMMENT ON FUNCTION iam.has_permission(text) IS 'Whether the acting principal holds a permission in the current organization (platform roles honoured except for patient data, read-only under break-glass; blocked humans hold none).';

GRANT EXECUTE ON FUNCTION
iam.scope_answer(integer),
iam.current_principal_id(), iam.current_org_id(), iam.current_request_id(),
iam.current_action_context(), iam.principal_is_blocked(uuid), iam.current_platform_role(),
iam.is_platform_admin(), iam.is_platform_staff(), iam.current_member_org_id(),
iam.has_permission(text)
TO restartix_app, restartix_system;
