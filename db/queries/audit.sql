-- name: org_audit_log
-- The organization's audit log, newest first, for the org viewer (`audit.read`): actor,
-- entity type, entity id, action, break-glass grant and a [since, until) window filter it
-- when given.
-- sort: -created_at timestamptz
-- key: id uuid
SELECT
    a.id,
    a.created_at,
    a.organization_id,
    a.actor_id,
    a.actor_type,
    a.action,
    a.entity_type,
    a.entity_id,
    a.changed_columns,
    a.old_values,
    a.new_values,
    a.request_id,
    a.action_context,
    a.break_glass_id
FROM audit.audit_log AS a
WHERE
    a.organization_id = %(org)s::uuid
    AND (%(actor_id)s::uuid IS NULL OR a.actor_id = %(actor_id)s::uuid)
    AND (%(entity_type)s::text IS NULL OR a.entity_type = %(entity_type)s::text)
    AND (%(entity_id)s::text IS NULL OR a.entity_id = %(entity_id)s::text)
    AND (%(action)s::text IS NULL OR a.action = %(action)s::text)
    AND (%(break_glass_id)s::uuid IS NULL OR a.break_glass_id = %(break_glass_id)s::uuid)
    AND (%(since)s::timestamptz IS NULL OR a.created_at >= %(since)s::timestamptz)
    AND (%(until)s::timestamptz IS NULL OR a.created_at < %(until)s::timestamptz);

-- name: console_audit_log
-- Every organization's audit log, newest first, for the platform console: organization,
-- actor, entity type, entity id, action, break-glass grant and a [since, until) window
-- filter it when given.
-- sort: -created_at timestamptz
-- key: id uuid
SELECT
    a.id,
    a.created_at,
    a.organization_id,
    a.actor_id,
    a.actor_type,
    a.action,
    a.entity_type,
    a.entity_id,
    a.changed_columns,
    a.old_values,
    a.new_values,
    a.request_id,
    a.action_context,
    a.break_glass_id
FROM audit.audit_log AS a
WHERE
    (%(organization_id)s::uuid IS NULL OR a.organization_id = %(organization_id)s::uuid)
    AND (%(actor_id)s::uuid IS NULL OR a.actor_id = %(actor_id)s::uuid)
    AND (%(entity_type)s::text IS NULL OR a.entity_type = %(entity_type)s::text)
    AND (%(entity_id)s::text IS NULL OR a.entity_id = %(entity_id)s::text)
    AND (%(action)s::text IS NULL OR a.action = %(action)s::text)
    AND (%(break_glass_id)s::uuid IS NULL OR a.break_glass_id = %(break_glass_id)s::uuid)
    AND (%(since)s::timestamptz IS NULL OR a.created_at >= %(since)s::timestamptz)
    AND (%(until)s::timestamptz IS NULL OR a.created_at < %(until)s::timestamptz);

-- name: ensure_partitions
-- Creates the missing monthly partitions of both audit tables up to `ahead` months; returns
-- the names of those it created (owner role; idempotent).
SELECT p.created
FROM audit.ensure_partitions(%(ahead)s::integer) AS p (created);
