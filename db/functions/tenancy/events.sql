-- Tenancy and IAM changes published as events, from AFTER triggers, in the changing
-- transaction. Payloads carry ids and public facts only (slugs, names, domains, role codes);
-- the envelope carries the organization, actor and request. Schemas: app/events/catalog.py.
-- Invitations live in tenancy.invitations (invitation.created, .accepted, .revoked); the
-- membership an accepted invitation creates publishes membership.added as well.

CREATE OR REPLACE FUNCTION events.on_organization_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_changed text [];
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.id, 'organization.created', pg_catalog.jsonb_build_object(
            'organization_id', NEW.id, 'slug', NEW.slug, 'name', NEW.name, 'status', NEW.status
        ));
        RETURN NULL;
    END IF;
    v_changed := array_remove(ARRAY[
        CASE WHEN NEW.slug IS DISTINCT FROM OLD.slug THEN 'slug' END,
        CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'name' END,
        CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status' END,
        CASE WHEN NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN 'deleted_at' END
    ], NULL);
    IF pg_catalog.cardinality(v_changed) > 0 THEN
        PERFORM events.publish_for(NEW.id, 'organization.updated', pg_catalog.jsonb_build_object(
            'organization_id', NEW.id, 'slug', NEW.slug, 'name', NEW.name, 'status', NEW.status,
            'deleted_at', NEW.deleted_at, 'changed', pg_catalog.to_jsonb(v_changed)
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_organization_change() IS 'AFTER trigger on tenancy.organizations: organization.created and organization.updated.';

CREATE OR REPLACE TRIGGER organizations_publish AFTER INSERT OR UPDATE ON tenancy.organizations
FOR EACH ROW EXECUTE FUNCTION events.on_organization_change();

CREATE OR REPLACE FUNCTION events.on_membership_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'invited' THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.invited', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id, 'role_id', NEW.role_id,
                'invited_by', NEW.invited_by
            ));
        ELSE
            PERFORM events.publish_for(NEW.organization_id, 'membership.added', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id, 'role_id', NEW.role_id,
                'status', NEW.status
            ));
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.role_id IS DISTINCT FROM OLD.role_id THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.role_changed', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id,
                'from_role_id', OLD.role_id, 'to_role_id', NEW.role_id
            ));
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.status_changed', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id,
                'from_status', OLD.status, 'to_status', NEW.status
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'membership.removed', pg_catalog.jsonb_build_object(
            'membership_id', OLD.id, 'principal_id', OLD.principal_id, 'role_id', OLD.role_id,
            'status', OLD.status
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_membership_change() IS 'AFTER trigger on tenancy.organization_memberships: invited, added, role_changed, status_changed, removed.';

CREATE OR REPLACE TRIGGER organization_memberships_publish
AFTER INSERT OR UPDATE OF role_id, status OR DELETE ON tenancy.organization_memberships
FOR EACH ROW EXECUTE FUNCTION events.on_membership_change();

CREATE OR REPLACE FUNCTION events.on_domain_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'domain.added', pg_catalog.jsonb_build_object(
            'domain_id', NEW.id, 'domain', NEW.domain
        ));
        -- Inserted verified (an import, a migration): say so as well.
        IF NEW.verified_at IS NOT NULL THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.verified', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'verified_at', NEW.verified_at
            ));
        END IF;
        IF NEW.is_primary THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.primary_changed', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'is_primary', true
            ));
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.verified_at IS NOT NULL AND OLD.verified_at IS NULL THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.verified', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'verified_at', NEW.verified_at
            ));
        END IF;
        IF NEW.is_primary IS DISTINCT FROM OLD.is_primary THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.primary_changed', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'is_primary', NEW.is_primary
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'domain.removed', pg_catalog.jsonb_build_object(
            'domain_id', OLD.id, 'domain', OLD.domain
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_domain_change() IS 'AFTER trigger on tenancy.organization_domains: added, verified, primary_changed, removed.';

CREATE OR REPLACE TRIGGER organization_domains_publish
AFTER INSERT OR UPDATE OF verified_at, is_primary OR DELETE ON tenancy.organization_domains
FOR EACH ROW EXECUTE FUNCTION events.on_domain_change();

CREATE OR REPLACE FUNCTION events.on_role_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_changed text [];
BEGIN
    -- System templates have no organization: their events are platform events.
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'role.created', pg_catalog.jsonb_build_object(
            'role_id', NEW.id, 'code', NEW.code, 'name', NEW.name
        ));
    ELSIF TG_OP = 'UPDATE' THEN
        v_changed := array_remove(ARRAY[
            CASE WHEN NEW.code IS DISTINCT FROM OLD.code THEN 'code' END,
            CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'name' END,
            CASE WHEN NEW.description IS DISTINCT FROM OLD.description THEN 'description' END
        ], NULL);
        IF pg_catalog.cardinality(v_changed) > 0 THEN
            PERFORM events.publish_for(NEW.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', NEW.id, 'code', NEW.code, 'name', NEW.name,
                'changed', pg_catalog.to_jsonb(v_changed),
                'permissions_added', '[]'::jsonb, 'permissions_removed', '[]'::jsonb
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'role.deleted', pg_catalog.jsonb_build_object(
            'role_id', OLD.id, 'code', OLD.code
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_role_change() IS 'AFTER trigger on iam.roles: role.created, role.updated, role.deleted.';

CREATE OR REPLACE TRIGGER roles_publish AFTER INSERT OR UPDATE OR DELETE ON iam.roles
FOR EACH ROW EXECUTE FUNCTION events.on_role_change();

CREATE OR REPLACE FUNCTION events.on_role_permissions_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_role record;
BEGIN
    -- One role.updated per role per statement, listing the permissions granted or revoked.
    -- Rows removed because their role was deleted are covered by role.deleted (no role left).
    -- Each branch names only the transition table its trigger has.
    IF TG_OP = 'INSERT' THEN
        FOR v_role IN
            SELECT r.id, r.organization_id, r.code, r.name, c.codes
            FROM (
                SELECT n.role_id, pg_catalog.jsonb_agg(n.permission_code ORDER BY n.permission_code) AS codes
                FROM role_permissions_added AS n GROUP BY n.role_id
            ) AS c
            INNER JOIN iam.roles AS r ON r.id = c.role_id
            ORDER BY r.id
        LOOP
            PERFORM events.publish_for(v_role.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', v_role.id, 'code', v_role.code, 'name', v_role.name,
                'changed', '["permissions"]'::jsonb,
                'permissions_added', v_role.codes, 'permissions_removed', '[]'::jsonb
            ));
        END LOOP;
    ELSE
        FOR v_role IN
            SELECT r.id, r.organization_id, r.code, r.name, c.codes
            FROM (
                SELECT o.role_id, pg_catalog.jsonb_agg(o.permission_code ORDER BY o.permission_code) AS codes
                FROM role_permissions_removed AS o GROUP BY o.role_id
            ) AS c
            INNER JOIN iam.roles AS r ON r.id = c.role_id
            ORDER BY r.id
        LOOP
            PERFORM events.publish_for(v_role.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', v_role.id, 'code', v_role.code, 'name', v_role.name,
                'changed', '["permissions"]'::jsonb,
                'permissions_added', '[]'::jsonb, 'permissions_removed', v_role.codes
            ));
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_role_permissions_change() IS 'AFTER STATEMENT trigger on iam.role_permissions: one role.updated per role with the permissions granted or revoked.';

CREATE OR REPLACE TRIGGER role_permissions_publish_added AFTER INSERT ON iam.role_permissions
REFERENCING NEW TABLE AS role_permissions_added
FOR EACH STATEMENT EXECUTE FUNCTION events.on_role_permissions_change();
CREATE OR REPLACE TRIGGER role_permissions_publish_removed AFTER DELETE ON iam.role_permissions
REFERENCING OLD TABLE AS role_permissions_removed
FOR EACH STATEMENT EXECUTE FUNCTION events.on_role_permissions_change();

CREATE OR REPLACE FUNCTION events.on_invitation_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The invitee's email stays out of the payload: consumers read it under RLS if they must.
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.created', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id, 'role_id', NEW.role_id, 'expires_at', NEW.expires_at
        ));
    ELSIF NEW.accepted_at IS NOT NULL AND OLD.accepted_at IS NULL THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.accepted', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id, 'role_id', NEW.role_id, 'accepted_by', NEW.accepted_by
        ));
    ELSIF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.revoked', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id
        ));
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_invitation_change() IS 'AFTER trigger on tenancy.invitations: invitation.created, invitation.accepted, invitation.revoked.';

CREATE OR REPLACE TRIGGER invitations_publish AFTER INSERT OR UPDATE ON tenancy.invitations
FOR EACH ROW EXECUTE FUNCTION events.on_invitation_change();
