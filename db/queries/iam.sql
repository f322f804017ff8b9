-- name: begin_request
-- Opens a request transaction: the scope, and whether the human is blocked, the organization
-- visible and the route's requirement met (iam.begin_request).
SELECT r.blocked, r.org_visible, r.allowed
FROM iam.begin_request(
    %(principal)s::uuid, %(org)s::uuid, %(request_id)s, %(ip)s, %(agent)s, %(requires)s
) AS r;

-- name: set_action_context
-- Why this request acts, for the audit log (e.g. org_entitlement_change).
SELECT pg_catalog.set_config('app.action_context', %(context)s, true) AS action_context;

-- name: human_by_subject
-- The human an identity-provider subject signs in as.
SELECT h.principal_id::text AS principal_id, h.email::text AS email
FROM iam.humans AS h
WHERE h.idp_subject = %(sub)s;

-- name: provision_human
-- A subject's first sign-in: its principal and human, audited as identity provisioning.
WITH scope AS (
    SELECT
        pg_catalog.set_config('app.request_id', %(request_id)s, true) AS request_id,
        pg_catalog.set_config('app.action_context', 'identity_provisioning', true) AS action_context
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
