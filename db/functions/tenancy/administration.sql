-- What an organization's administrators (and platform staff) do through the API. The
-- request pool has no write grant on these tables (db/tests/test_app_privileges.sql): each
-- function is SECURITY DEFINER and carries the whole rule itself (permission, organization,
-- owner-only, last owner, subset of one's own permissions). The helpers (active_owner_count,
-- guard_member_change) are not executable by the request pool.
-- Errors: RAISE EXCEPTION '<code>' USING DETAIL = '<human text>' (codes are the contract).

CREATE OR REPLACE FUNCTION tenancy.create_organization(p_slug text, p_name text, p_owner uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM iam.require_platform_admin();
    INSERT INTO tenancy.organizations (slug, name) VALUES (p_slug, pg_catalog.btrim(p_name)) RETURNING id INTO v_id;
    IF p_owner IS NOT NULL THEN
        INSERT INTO tenancy.organization_memberships
            (organization_id, principal_id, role_id, status, invited_at, invited_by, accepted_at)
        SELECT v_id, p_owner, r.id, 'active', util.now(), iam.current_principal_id(), util.now()
        FROM iam.roles AS r WHERE r.organization_id IS NULL AND r.code = 'owner';
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION tenancy.create_organization(text, text, uuid) IS 'Platform admins provision an organization, optionally with its first owner.';

CREATE OR REPLACE FUNCTION tenancy.update_organization(p_name text, p_status text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF p_status IS NOT NULL AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only platform administrators suspend or reactivate organizations.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT iam.is_platform_admin() THEN
        PERFORM iam.require_permission('organizations.update');
    END IF;
    UPDATE tenancy.organizations
    SET name = coalesce(pg_catalog.btrim(p_name), name), status = coalesce(p_status, status)
    WHERE id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
    END IF;
END;
$$;
COMMENT ON FUNCTION tenancy.update_organization(text, text) IS 'Rename the current organization; platform admins may also change its status.';

CREATE OR REPLACE FUNCTION tenancy.active_owner_count(p_org uuid) RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    RETURN (
        SELECT pg_catalog.count(*)
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = p_org AND m.status = 'active' AND r.code = 'owner' AND r.organization_id IS NULL
    );
END;
$$;
COMMENT ON FUNCTION tenancy.active_owner_count(uuid) IS 'How many active owners an organization has (guards against removing the last).';

CREATE OR REPLACE FUNCTION tenancy.guard_member_change(p_membership uuid, p_new_role uuid, p_new_status text)
RETURNS tenancy.organization_memberships
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_member tenancy.organization_memberships;
    v_is_owner boolean;
    v_becomes_owner boolean;
    v_actor_is_owner boolean;
BEGIN
    PERFORM iam.require_permission('members.manage');
    SELECT * INTO v_member FROM tenancy.organization_memberships
    WHERE id = p_membership AND organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'member_not_found' USING DETAIL = 'No such member in this organization.';
    END IF;
    SELECT r.code = 'owner' AND r.organization_id IS NULL INTO v_is_owner FROM iam.roles AS r WHERE r.id = v_member.role_id;
    SELECT coalesce(r.code = 'owner' AND r.organization_id IS NULL, false) INTO v_becomes_owner
    FROM iam.roles AS r WHERE r.id = p_new_role;
    v_actor_is_owner := iam.acts_as_owner();
    -- Only owners make, change or remove owners.
    IF (v_is_owner OR coalesce(v_becomes_owner, false)) AND NOT v_actor_is_owner THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only an owner can change owners.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_is_owner AND v_member.status = 'active'
       AND (p_new_status IS DISTINCT FROM 'active' OR NOT coalesce(v_becomes_owner, true))
       AND tenancy.active_owner_count(v_member.organization_id) <= 1 THEN
        RAISE EXCEPTION 'last_owner' USING DETAIL = 'An organization keeps at least one active owner.';
    END IF;
    RETURN v_member;
END;
$$;
COMMENT ON FUNCTION tenancy.guard_member_change(uuid, uuid, text) IS 'Checks a member change: permission, owner-only owner changes, never zero active owners.';

CREATE OR REPLACE FUNCTION tenancy.change_member_role(p_membership uuid, p_role uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_member tenancy.organization_memberships;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM iam.roles AS r
        WHERE r.id = p_role AND (r.organization_id IS NULL OR r.organization_id = iam.current_org_id())
    ) THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such role in this organization.';
    END IF;
    PERFORM iam.require_permission('members.manage');
    IF EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        WHERE m.id = p_membership AND m.organization_id = iam.current_org_id()
          AND m.principal_id = iam.current_principal_id()
    ) THEN
        RAISE EXCEPTION 'cannot_change_own_role' USING DETAIL = 'Nobody changes the role of their own membership.';
    END IF;
    SELECT * INTO v_member FROM tenancy.guard_member_change(p_membership, p_role, 'active');
    -- Handing out a role, and taking one away, both need every permission involved.
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'This role');
    PERFORM iam.require_grantable(iam.role_permission_codes(v_member.role_id), 'Changing this member''s current role');
    UPDATE tenancy.organization_memberships SET role_id = p_role WHERE id = v_member.id;
END;
$$;
COMMENT ON FUNCTION tenancy.change_member_role(uuid, uuid) IS 'Give a member another role of this organization.';

CREATE OR REPLACE FUNCTION tenancy.set_member_status(p_membership uuid, p_status text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_member tenancy.organization_memberships;
BEGIN
    IF p_status NOT IN ('active', 'suspended') THEN
        RAISE EXCEPTION 'invalid_status' USING DETAIL = 'A member is active or suspended.';
    END IF;
    SELECT * INTO v_member FROM tenancy.organization_memberships WHERE id = p_membership;
    PERFORM tenancy.guard_member_change(p_membership, v_member.role_id, p_status);
    UPDATE tenancy.organization_memberships SET status = p_status WHERE id = p_membership;
END;
$$;
COMMENT ON FUNCTION tenancy.set_member_status(uuid, text) IS 'Suspend or reactivate a member.';

CREATE OR REPLACE FUNCTION tenancy.remove_member(p_membership uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM tenancy.guard_member_change(p_membership, NULL, NULL);
    DELETE FROM tenancy.organization_memberships WHERE id = p_membership;
END;
$$;
COMMENT ON FUNCTION tenancy.remove_member(uuid) IS 'Remove a member from the organization.';

CREATE OR REPLACE FUNCTION tenancy.create_invitation(p_email text, p_role uuid, p_ttl interval DEFAULT interval '7 days')
RETURNS TABLE (id uuid, token text, expires_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_token text := pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '');
    v_id uuid;
    v_expires timestamptz;
    v_becomes_owner boolean;
BEGIN
    PERFORM iam.require_permission('members.invite');
    IF p_ttl < INTERVAL '5 minutes' OR p_ttl > INTERVAL '30 days' THEN
        RAISE EXCEPTION 'invalid_expiry' USING DETAIL = 'An invitation expires between 5 minutes and 30 days.';
    END IF;
    SELECT r.code = 'owner' AND r.organization_id IS NULL INTO v_becomes_owner
    FROM iam.roles AS r WHERE r.id = p_role AND (r.organization_id IS NULL OR r.organization_id = iam.current_org_id());
    IF v_becomes_owner IS NULL THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such role in this organization.';
    END IF;
    IF v_becomes_owner AND NOT iam.is_platform_admin() AND NOT EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = iam.current_org_id() AND m.principal_id = iam.current_principal_id()
          AND r.code = 'owner' AND r.organization_id IS NULL
    ) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only an owner can invite an owner.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'This role');
    IF EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m INNER JOIN iam.humans AS h ON h.principal_id = m.principal_id
        WHERE m.organization_id = iam.current_org_id() AND h.email OPERATOR(public.=) p_email::public.citext
    ) THEN
        RAISE EXCEPTION 'already_member' USING DETAIL = 'This person is already a member.';
    END IF;
    PERFORM billing.enforce_limit('members.max', 1);
    INSERT INTO tenancy.invitations (organization_id, email, role_id, token_hash, invited_by, expires_at)
    VALUES (iam.current_org_id(), p_email, p_role, pg_catalog.sha256(pg_catalog.convert_to(v_token, 'UTF8')),
            iam.current_principal_id(), util.now() + p_ttl)
    RETURNING invitations.id, invitations.expires_at INTO v_id, v_expires;
    RETURN QUERY SELECT v_id, v_token, v_expires;
END;
$$;
COMMENT ON FUNCTION tenancy.create_invitation(text, uuid, interval) IS 'Invite an email to a role; returns the single-use token once (only its hash is stored).';

CREATE OR REPLACE FUNCTION tenancy.revoke_invitation(p_invitation uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_permission('members.manage');
    UPDATE tenancy.invitations SET revoked_at = util.now()
    WHERE id = p_invitation AND organization_id = iam.current_org_id()
      AND accepted_at IS NULL AND revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invitation_invalid' USING DETAIL = 'No pending invitation with this id.';
    END IF;
END;
$$;
COMMENT ON FUNCTION tenancy.revoke_invitation(uuid) IS 'Revoke a pending invitation.';

CREATE OR REPLACE FUNCTION tenancy.accept_invitation(p_token text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Security definer: the invitee is not a member yet, so RLS would hide the invitation.
-- The token (its hash), the expiry and the invitee's email are what authorize it.
DECLARE
    v_inv tenancy.invitations;
    v_principal uuid := iam.current_principal_id();
    v_email public.citext;
    v_membership uuid;
BEGIN
    IF v_principal IS NULL OR iam.principal_is_blocked(v_principal) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Sign in to accept an invitation.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT h.email INTO v_email FROM iam.humans AS h WHERE h.principal_id = v_principal;
    SELECT * INTO v_inv FROM tenancy.invitations AS i
    WHERE i.token_hash = pg_catalog.sha256(pg_catalog.convert_to(coalesce(p_token, ''), 'UTF8'))
    FOR UPDATE;
    IF NOT FOUND OR v_inv.accepted_at IS NOT NULL OR v_inv.revoked_at IS NOT NULL
       OR v_inv.expires_at <= util.now() OR v_inv.email OPERATOR(public.<>) v_email THEN
        RAISE EXCEPTION 'invitation_invalid' USING DETAIL = 'This invitation is not valid any more.';
    END IF;
    IF EXISTS (SELECT 1 FROM tenancy.organization_memberships AS m
               WHERE m.organization_id = v_inv.organization_id AND m.principal_id = v_principal) THEN
        RAISE EXCEPTION 'already_member' USING DETAIL = 'You are already a member of this organization.';
    END IF;
    PERFORM pg_catalog.set_config('app.current_org_id', v_inv.organization_id::text, true);
    INSERT INTO tenancy.organization_memberships
        (organization_id, principal_id, role_id, status, invited_at, invited_by, accepted_at)
    VALUES (v_inv.organization_id, v_principal, v_inv.role_id, 'active', v_inv.created_at, v_inv.invited_by, util.now())
    RETURNING id INTO v_membership;
    UPDATE tenancy.invitations SET accepted_at = util.now(), accepted_by = v_principal WHERE id = v_inv.id;
    RETURN v_inv.organization_id;
END;
$$;
COMMENT ON FUNCTION tenancy.accept_invitation(text) IS 'The signed-in invitee accepts with the token: single use, unexpired, matching email.';

CREATE OR REPLACE FUNCTION tenancy.add_domain(p_domain text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Several organizations may hold pending claims on one name; only verified domains are
-- unique (organization_domains_verified_key). Another organization's pending claim is never
-- revealed; a verified one is public already (it routes to its organization).
DECLARE
    v_domain text := pg_catalog.lower(pg_catalog.btrim(p_domain));
    v_id uuid;
BEGIN
    PERFORM iam.require_permission('domains.manage');
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenancy.domain/' || coalesce(v_domain, ''), 0));
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_domain AND d.organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'domain_already_added' USING DETAIL = 'This organization has already added this domain.';
    END IF;
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_domain AND d.verified_at IS NOT NULL) THEN
        RAISE EXCEPTION 'domain_unavailable' USING DETAIL = 'This domain is verified by another organization.';
    END IF;
    INSERT INTO tenancy.organization_domains (organization_id, domain)
    VALUES (iam.current_org_id(), v_domain)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION tenancy.add_domain(text) IS 'Add an unverified custom domain (a pending claim) to the current organization.';

CREATE OR REPLACE FUNCTION tenancy.mark_domain_verified(p_domain uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The first verified claim wins the name and releases every other organization's pending claim.
DECLARE
    v_row tenancy.organization_domains;
BEGIN
    PERFORM iam.require_permission('domains.manage');
    SELECT * INTO v_row FROM tenancy.organization_domains AS d
    WHERE d.id = p_domain AND d.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenancy.domain/' || v_row.domain, 0));
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_row.domain AND d.verified_at IS NOT NULL AND d.id <> v_row.id) THEN
        RAISE EXCEPTION 'domain_unavailable' USING DETAIL = 'This domain is verified by another organization.';
    END IF;
    UPDATE tenancy.organization_domains SET verified_at = coalesce(verified_at, util.now()) WHERE id = v_row.id;
    DELETE FROM tenancy.organization_domains AS d
    WHERE d.domain = v_row.domain AND d.id <> v_row.id AND d.verified_at IS NULL;
END;
$$;
COMMENT ON FUNCTION tenancy.mark_domain_verified(uuid) IS 'Record that the domain''s DNS verification record was found; releases other organizations'' pending claims.';

CREATE OR REPLACE FUNCTION tenancy.set_primary_domain(p_domain uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_permission('domains.manage');
    IF NOT EXISTS (SELECT 1 FROM tenancy.organization_domains
                   WHERE id = p_domain AND organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tenancy.organization_domains WHERE id = p_domain AND verified_at IS NOT NULL) THEN
        RAISE EXCEPTION 'domain_not_verified' USING DETAIL = 'Verify the domain before making it primary.';
    END IF;
    UPDATE tenancy.organization_domains SET is_primary = false
    WHERE organization_id = iam.current_org_id() AND is_primary AND id <> p_domain;
    UPDATE tenancy.organization_domains SET is_primary = true WHERE id = p_domain;
END;
$$;
COMMENT ON FUNCTION tenancy.set_primary_domain(uuid) IS 'Make a verified domain the organization''s primary one.';

CREATE OR REPLACE FUNCTION tenancy.remove_domain(p_domain uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM iam.require_permission('domains.manage');
    DELETE FROM tenancy.organization_domains WHERE id = p_domain AND organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION tenancy.remove_domain(uuid) IS 'Remove a custom domain.';

GRANT EXECUTE ON FUNCTION
tenancy.create_organization(text, text, uuid),
tenancy.update_organization(text, text), tenancy.change_member_role(uuid, uuid),
tenancy.set_member_status(uuid, text), tenancy.remove_member(uuid),
tenancy.create_invitation(text, uuid, interval), tenancy.revoke_invitation(uuid),
tenancy.accept_invitation(text), tenancy.add_domain(text), tenancy.mark_domain_verified(uuid),
tenancy.set_primary_domain(uuid), tenancy.remove_domain(uuid)
TO restartix_app;

-- Internal: the request pool cannot ask about any organization's owners or run the guard alone.
REVOKE EXECUTE ON FUNCTION tenancy.active_owner_count(uuid), tenancy.guard_member_change(uuid, uuid, text)
FROM public, restartix_app;
