-- name: members_list
-- The organization's members with their role and human; status, role code and a
-- contains-pattern on email or name filter it when given.
-- sort: created_at timestamptz, email text?, display_name text?
-- key: id uuid
SELECT
    m.id,
    m.principal_id,
    h.email::text AS email,
    h.display_name,
    m.role_id,
    r.code AS role,
    m.status,
    m.invited_at,
    m.invited_by,
    m.accepted_at,
    m.last_used_at,
    m.created_at
FROM tenancy.organization_memberships AS m
INNER JOIN iam.roles AS r ON m.role_id = r.id
LEFT JOIN iam.humans AS h ON m.principal_id = h.principal_id
WHERE
    m.organization_id = %(org)s::uuid
    AND (%(status)s::text IS NULL OR m.status = %(status)s::text)
    AND (%(role)s::text IS NULL OR r.code = %(role)s::text)
    AND (
        %(pattern)s::text IS NULL
        OR h.email::text ILIKE %(pattern)s::text
        OR h.display_name ILIKE %(pattern)s::text
    );

-- name: member_by_id
-- One membership of the organization, shaped like a list row.
SELECT
    m.id,
    m.principal_id,
    h.email::text AS email,
    h.display_name,
    m.role_id,
    r.code AS role,
    m.status,
    m.invited_at,
    m.invited_by,
    m.accepted_at,
    m.last_used_at,
    m.created_at
FROM tenancy.organization_memberships AS m
INNER JOIN iam.roles AS r ON m.role_id = r.id
LEFT JOIN iam.humans AS h ON m.principal_id = h.principal_id
WHERE m.organization_id = %(org)s::uuid AND m.id = %(id)s::uuid;

-- name: member_change_role
-- Gives a member another role (tenancy.change_member_role checks who may).
SELECT tenancy.change_member_role(%(id)s::uuid, %(role)s::uuid);

-- name: member_set_status
-- Suspends or reactivates a member (tenancy.set_member_status checks who may).
SELECT tenancy.set_member_status(%(id)s::uuid, %(status)s::text);

-- name: member_remove
-- Removes a member, never the last active owner (tenancy.remove_member).
SELECT tenancy.remove_member(%(id)s::uuid);

-- name: console_organizations
-- Every live organization with its active member count, for the console: slug or name
-- contains a pattern, by status (each filter only when given); 500 at most, by name.
SELECT
    o.id,
    o.slug,
    o.name,
    o.status,
    (
        SELECT count(*) FROM tenancy.organization_memberships AS m
        WHERE m.organization_id = o.id AND m.status = 'active'
    )::int AS members,
    o.created_at
FROM tenancy.organizations AS o
WHERE
    o.deleted_at IS NULL
    AND (
        %(pattern)s::text IS NULL
        OR o.slug ILIKE %(pattern)s::text
        OR o.name ILIKE %(pattern)s::text
    )
    AND (%(status)s::text IS NULL OR o.status = %(status)s::text)
ORDER BY o.name
LIMIT 500;

-- name: resolve_by_host
-- The live organization a verified custom domain (or platform subdomain) routes to.
SELECT r.id::text AS id, r.slug, r.name, r.primary_domain
FROM tenancy.resolve_org(%(value)s::text) AS r;

-- name: resolve_by_slug
-- The live organization with this slug.
SELECT r.id::text AS id, r.slug, r.name, r.primary_domain
FROM tenancy.resolve_org_by_slug(%(value)s::text) AS r;

-- name: organization_by_id
-- One live organization.
SELECT o.id, o.slug, o.name, o.status, o.created_at, o.updated_at
FROM tenancy.organizations AS o
WHERE o.id = %(id)s::uuid AND o.deleted_at IS NULL;

-- name: organization_create
-- Provisions an organization, optionally with its first owner (platform admins).
SELECT tenancy.create_organization(%(slug)s::text, %(name)s::text, %(owner)s::uuid);

-- name: organization_update
-- Renames the current organization (organizations.update); status is for platform admins.
SELECT tenancy.update_organization(%(name)s::text, %(status)s::text);

-- name: invitations_list
-- The organization's invitations, newest first (500 at most).
SELECT
    i.id,
    i.email::text AS email,
    i.role_id,
    i.invited_by,
    i.expires_at,
    i.accepted_at,
    i.revoked_at,
    i.created_at
FROM tenancy.invitations AS i
WHERE i.organization_id = %(org)s::uuid
ORDER BY i.created_at DESC, i.id ASC
LIMIT 500;

-- name: invitation_by_id
-- One invitation of the organization, shaped like a list row.
SELECT
    i.id,
    i.email::text AS email,
    i.role_id,
    i.invited_by,
    i.expires_at,
    i.accepted_at,
    i.revoked_at,
    i.created_at
FROM tenancy.invitations AS i
WHERE i.organization_id = %(org)s::uuid AND i.id = %(id)s::uuid;

-- name: invitation_create
-- Invites an email to a role (members.invite); the single-use token is returned once.
SELECT c.id, c.token
FROM tenancy.create_invitation(
    %(email)s::text, %(role)s::uuid, make_interval(hours => %(hours)s::integer)
) AS c;

-- name: invitation_revoke
-- Revokes a pending invitation (members.manage).
SELECT tenancy.revoke_invitation(%(id)s::uuid);

-- name: invitation_accept
-- The signed-in invitee joins the organization (single use, unexpired, same email).
SELECT tenancy.accept_invitation(%(token)s::text) AS organization_id;

-- name: domains_list
-- The organization's custom domains, by name, with their verification token.
SELECT d.id, d.domain, d.verified_at, d.is_primary, d.verification_token, d.created_at
FROM tenancy.organization_domains AS d
WHERE d.organization_id = %(org)s::uuid
ORDER BY d.domain;

-- name: domain_by_id
-- One custom domain of the organization.
SELECT d.id, d.domain, d.verified_at, d.is_primary, d.verification_token, d.created_at
FROM tenancy.organization_domains AS d
WHERE d.organization_id = %(org)s::uuid AND d.id = %(id)s::uuid;

-- name: domain_add
-- Adds a custom domain (domains.manage); it routes only once verified.
SELECT tenancy.add_domain(%(domain)s::text);

-- name: domain_mark_verified
-- Records that the domain's TXT record was found (domains.manage).
SELECT tenancy.mark_domain_verified(%(id)s::uuid);

-- name: domain_set_primary
-- Makes a verified domain the primary one (domains.manage).
SELECT tenancy.set_primary_domain(%(id)s::uuid);

-- name: domain_remove
-- Removes a custom domain (domains.manage).
SELECT tenancy.remove_domain(%(id)s::uuid);
