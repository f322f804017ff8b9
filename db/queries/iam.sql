-- name: begin_request
-- Opens a request transaction: the scope, and whether the human is blocked, the organization
-- visible and the route's requirement met (iam.begin_request; the route is audited when
-- platform staff act under a break-glass grant).
SELECT r.blocked, r.org_visible, r.allowed
FROM iam.begin_request(
    %(principal)s::uuid, %(org)s::uuid, %(request_id)s, %(ip)s, %(agent)s, %(requires)s, %(route)s
) AS r;

-- name: set_action_context
-- Why this request acts, for the audit log (e.g. org_entitlement_change).
SELECT pg_catalog.set_config('app.action_context', %(context)s, TRUE) AS action_context;

-- name: human_by_subject
-- The human an identity-provider subject signs in as.
SELECT h.principal_id::text AS principal_id, h.email::text AS email
FROM iam.humans AS h
WHERE h.idp_subject = %(sub)s;

-- name: provision_human
-- A subject's first sign-in: its principal and human, audited as identity provisioning.
WITH scope AS (
    SELECT
        pg_catalog.set_config('app.request_id', %(request_id)s, TRUE) AS request_id,
        pg_catalog.set_config('app.action_context', 'identity_provisioning', TRUE) AS action_context
),

principal AS (
    INSERT INTO iam.principals (kind)
    SELECT 'human' FROM scope
    RETURNING id
)

INSERT INTO iam.humans (principal_id, idp_subject, email, display_name, locale)
SELECT principal.id, %(sub)s, %(email)s, %(name)s, %(locale)s FROM principal
RETURNING principal_id::text;

-- name: touch_activity
-- Stamps a human's last activity and, when an organization is given, the membership's last
-- use (system pool; both columns are quiet in the audit log).
WITH human AS (
    UPDATE iam.humans SET last_activity_at = util.now()
    WHERE principal_id = %(principal)s::uuid AND %(human)s::boolean
)

UPDATE tenancy.organization_memberships SET last_used_at = util.now()
WHERE organization_id = %(org)s::uuid AND principal_id = %(principal)s::uuid;

-- name: humans_list
-- Every human with their platform role, for the console: email or name contains a pattern,
-- blocked or not, inactive for at least N days (each filter only when given).
-- sort: email text
-- key: principal_id uuid
SELECT
    h.principal_id,
    h.email::text AS email,
    h.display_name,
    h.locale,
    pm.role AS platform_role,
    h.blocked_at,
    h.last_activity_at,
    h.created_at
FROM iam.humans AS h
LEFT JOIN iam.platform_memberships AS pm ON h.principal_id = pm.principal_id
WHERE
    (
        %(pattern)s::text IS NULL
        OR h.email::text ILIKE %(pattern)s::text
        OR h.display_name ILIKE %(pattern)s::text
    )
    AND (%(blocked)s::boolean IS NULL OR (h.blocked_at IS NOT NULL) = %(blocked)s::boolean)
    AND (
        %(inactive_days)s::integer IS NULL
        OR coalesce(h.last_activity_at, h.created_at)
        < now() - make_interval(days => %(inactive_days)s::integer)
    );

-- name: human_by_id
-- One human with their platform role, shaped like a console list row.
SELECT
    h.principal_id,
    h.email::text AS email,
    h.display_name,
    h.locale,
    pm.role AS platform_role,
    h.blocked_at,
    h.last_activity_at,
    h.created_at
FROM iam.humans AS h
LEFT JOIN iam.platform_memberships AS pm ON h.principal_id = pm.principal_id
WHERE h.principal_id = %(id)s::uuid;

-- name: human_set_blocked
-- Blocks or unblocks a human everywhere (iam.set_human_blocked: platform admins, never oneself).
SELECT iam.set_human_blocked(%(id)s::uuid, %(blocked)s::boolean);

-- name: human_set_platform_role
-- Grants (superadmin, support) or revokes (NULL) a platform role (iam.set_platform_role).
SELECT iam.set_platform_role(%(id)s::uuid, %(role)s::text);

-- name: me
-- The signed-in human and their platform role.
SELECT
    h.principal_id,
    h.email::text AS email,
    h.display_name,
    h.locale,
    iam.current_platform_role() AS platform_role,
    h.last_activity_at
FROM iam.humans AS h
WHERE h.principal_id = iam.current_principal_id();

-- name: my_memberships
-- Every organization the signed-in human belongs to, with the permissions each active
-- membership grants.
SELECT
    o.id AS organization_id,
    o.slug AS organization_slug,
    o.name AS organization_name,
    r.code AS role,
    m.status,
    coalesce(
        array_agg(rp.permission_code ORDER BY rp.permission_code)
            FILTER (WHERE rp.permission_code IS NOT NULL AND m.status = 'active'),
        '{}'
    ) AS permissions
FROM tenancy.organization_memberships AS m
INNER JOIN tenancy.organizations AS o ON m.organization_id = o.id
INNER JOIN iam.roles AS r ON m.role_id = r.id
LEFT JOIN iam.role_permissions AS rp ON m.role_id = rp.role_id
WHERE m.principal_id = iam.current_principal_id() AND o.deleted_at IS NULL
GROUP BY o.id, o.slug, o.name, r.code, m.status
ORDER BY o.name;

-- name: permissions_list
-- The permission catalog.
SELECT p.code, p.description FROM iam.permissions AS p ORDER BY p.code;

-- name: roles_list
-- System role templates and the organization's custom roles, with their permissions.
SELECT
    r.id,
    r.code,
    r.name,
    r.description,
    r.organization_id IS NULL AS system,
    coalesce(
        array_agg(rp.permission_code ORDER BY rp.permission_code)
            FILTER (WHERE rp.permission_code IS NOT NULL),
        '{}'
    ) AS permissions
FROM iam.roles AS r
LEFT JOIN iam.role_permissions AS rp ON r.id = rp.role_id
WHERE r.organization_id IS NULL OR r.organization_id = %(org)s::uuid
GROUP BY r.id
ORDER BY r.organization_id NULLS FIRST, r.code;

-- name: role_by_id
-- One role visible in the organization (a system template or its own), with permissions.
SELECT
    r.id,
    r.code,
    r.name,
    r.description,
    r.organization_id IS NULL AS system,
    coalesce(
        array_agg(rp.permission_code ORDER BY rp.permission_code)
            FILTER (WHERE rp.permission_code IS NOT NULL),
        '{}'
    ) AS permissions
FROM iam.roles AS r
LEFT JOIN iam.role_permissions AS rp ON r.id = rp.role_id
WHERE (r.organization_id IS NULL OR r.organization_id = %(org)s::uuid) AND r.id = %(id)s::uuid
GROUP BY r.id;

-- name: role_save
-- Creates (id NULL) or edits a custom role and sets its permissions (iam.save_role).
SELECT iam.save_role(
    %(id)s::uuid, %(code)s::text, %(name)s::text, %(description)s::text, %(permissions)s::text []
);

-- name: role_delete
-- Deletes a custom role no member holds (iam.delete_role).
SELECT iam.delete_role(%(id)s::uuid);

-- name: break_glass_open
-- Opens a read-only break-glass grant on an organization for the acting staff member (or,
-- for a superadmin, another staff member) (iam.open_break_glass).
SELECT iam.open_break_glass(
    %(organization_id)s::uuid,
    %(reason)s::text,
    make_interval(mins => %(minutes)s::integer),
    %(principal_id)s::uuid
) AS id;

-- name: break_glass_close
-- Closes an open grant early: the grantee or a superadmin (iam.close_break_glass).
SELECT iam.close_break_glass(%(id)s::uuid);

-- name: break_glass_by_id
-- One grant as the caller's policies show it, with whether it is open now.
SELECT
    g.id,
    g.principal_id,
    g.organization_id,
    g.reason,
    g.opened_by,
    g.opened_at,
    g.expires_at,
    g.closed_at,
    g.closed_by,
    g.closed_at IS NULL AND g.expires_at > util.now() AS active
FROM iam.break_glass_grants AS g
WHERE g.id = %(id)s::uuid;

-- name: break_glass_list
-- Break-glass grants for the console, newest first: the caller's own (support staff) or all
-- (superadmins); organization, grantee and open-now filter it when given.
-- sort: -opened_at timestamptz
-- key: id uuid
SELECT
    g.id,
    g.principal_id,
    g.organization_id,
    g.reason,
    g.opened_by,
    g.opened_at,
    g.expires_at,
    g.closed_at,
    g.closed_by,
    g.closed_at IS NULL AND g.expires_at > util.now() AS active
FROM iam.break_glass_grants AS g
WHERE
    (%(organization_id)s::uuid IS NULL OR g.organization_id = %(organization_id)s::uuid)
    AND (%(principal_id)s::uuid IS NULL OR g.principal_id = %(principal_id)s::uuid)
    AND (
        %(active)s::boolean IS NULL
        OR (g.closed_at IS NULL AND g.expires_at > util.now()) = %(active)s::boolean
    );

-- name: org_break_glass_list
-- The break-glass grants on the organization, newest first, for its auditors (audit.read).
-- sort: -opened_at timestamptz
-- key: id uuid
SELECT
    g.id,
    g.principal_id,
    g.organization_id,
    g.reason,
    g.opened_by,
    g.opened_at,
    g.expires_at,
    g.closed_at,
    g.closed_by,
    g.closed_at IS NULL AND g.expires_at > util.now() AS active
FROM iam.break_glass_grants AS g
WHERE g.organization_id = %(org)s::uuid;
