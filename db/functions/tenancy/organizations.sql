-- Organization invariants that a CHECK cannot express, and the public resolve path.

CREATE OR REPLACE FUNCTION tenancy.check_membership_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_role_org uuid;
BEGIN
    SELECT r.organization_id INTO v_role_org FROM iam.roles AS r WHERE r.id = NEW.role_id;
    IF v_role_org IS NOT NULL AND v_role_org <> NEW.organization_id THEN
        RAISE EXCEPTION 'role % belongs to another organization', NEW.role_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'organization_memberships_role_in_org',
                  TABLE = 'organization_memberships', SCHEMA = 'tenancy';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION tenancy.check_membership_role() IS 'A membership''s role is a system template or a custom role of the same organization.';

CREATE OR REPLACE TRIGGER organization_memberships_role_in_org
BEFORE INSERT OR UPDATE OF role_id, organization_id ON tenancy.organization_memberships
FOR EACH ROW EXECUTE FUNCTION tenancy.check_membership_role();

CREATE OR REPLACE FUNCTION iam.guard_human_block() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    IF NEW.blocked_at IS DISTINCT FROM OLD.blocked_at
       AND current_user = 'restartix_app'
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'only a platform administrator may block or unblock a human'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION iam.guard_human_block() IS 'Only platform admins change humans.blocked_at through the request pool.';

CREATE OR REPLACE TRIGGER humans_guard_block
BEFORE UPDATE OF blocked_at ON iam.humans
FOR EACH ROW EXECUTE FUNCTION iam.guard_human_block();

CREATE OR REPLACE FUNCTION iam.guard_system_roles() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    v_role_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.role_id ELSE NEW.role_id END;
    v_org uuid;
BEGIN
    SELECT r.organization_id INTO v_org FROM iam.roles AS r WHERE r.id = v_role_id;
    IF v_org IS NULL AND current_user = 'restartix_app' AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'system role templates are read-only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
COMMENT ON FUNCTION iam.guard_system_roles() IS 'Permissions of system role templates change only by a platform admin or a migration.';

CREATE OR REPLACE TRIGGER role_permissions_guard_system
BEFORE INSERT OR UPDATE OR DELETE ON iam.role_permissions
FOR EACH ROW EXECUTE FUNCTION iam.guard_system_roles();

CREATE OR REPLACE TRIGGER organizations_touch BEFORE UPDATE ON tenancy.organizations
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER organization_domains_touch BEFORE UPDATE ON tenancy.organization_domains
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER organization_memberships_touch
BEFORE UPDATE ON tenancy.organization_memberships
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER humans_touch BEFORE UPDATE ON iam.humans
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER roles_touch BEFORE UPDATE ON iam.roles
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION tenancy.resolve_org(p_host text)
RETURNS TABLE (id uuid, slug text, name text, primary_domain text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- A verified custom domain, or <slug>.<platform domain> (the first label of the host).
    WITH host AS (
        SELECT pg_catalog.lower(pg_catalog.rtrim(pg_catalog.split_part(p_host, ':', 1), '.')) AS h
        WHERE p_host IS NOT NULL AND pg_catalog.length(p_host) <= 260
    ),
    match AS (
        SELECT d.organization_id AS org_id, 1 AS rank
        FROM tenancy.organization_domains AS d, host
        WHERE d.domain = host.h AND d.verified_at IS NOT NULL
        UNION ALL
        SELECT o.id, 2
        FROM tenancy.organizations AS o, host
        WHERE o.slug = pg_catalog.split_part(host.h, '.', 1) AND o.deleted_at IS NULL
    )
    SELECT o.id, o.slug, o.name, pd.domain
    FROM match
    INNER JOIN tenancy.organizations AS o ON o.id = match.org_id
    LEFT JOIN tenancy.organization_domains AS pd ON pd.organization_id = o.id AND pd.is_primary
    WHERE o.status = 'active' AND o.deleted_at IS NULL
    ORDER BY match.rank
    LIMIT 1
$$;
COMMENT ON FUNCTION tenancy.resolve_org(text) IS 'Public fields of the active organization a host name routes to (custom domain first, then slug subdomain).';

CREATE OR REPLACE FUNCTION tenancy.resolve_org_by_slug(p_slug text)
RETURNS TABLE (id uuid, slug text, name text, primary_domain text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT o.id, o.slug, o.name, pd.domain
    FROM tenancy.organizations AS o
    LEFT JOIN tenancy.organization_domains AS pd ON pd.organization_id = o.id AND pd.is_primary
    WHERE o.slug = pg_catalog.lower(p_slug)
      AND o.status = 'active'
      AND o.deleted_at IS NULL
$$;
COMMENT ON FUNCTION tenancy.resolve_org_by_slug(text) IS 'Public fields of the active organization with this slug.';

GRANT EXECUTE ON FUNCTION tenancy.resolve_org(text), tenancy.resolve_org_by_slug(text)
TO restartix_app, restartix_system;
