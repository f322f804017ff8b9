-- The soft-delete template of docs/conventions.md, applied to a scratch table: deleted rows
-- are hidden, kept, audited, restorable by permission only, and invisible to other orgs.
BEGIN;
SELECT plan(27);

-- The migration part of the template, as the owner (migrations run as restartix_owner).
SET LOCAL ROLE restartix_owner;
CREATE SCHEMA scratch;
GRANT USAGE ON SCHEMA scratch TO restartix_app;
CREATE TABLE scratch.templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz
);
CREATE INDEX templates_org_idx ON scratch.templates (organization_id, id);
CREATE UNIQUE INDEX templates_name_key ON scratch.templates (organization_id, name)
WHERE deleted_at IS NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON scratch.templates TO restartix_app;
INSERT INTO iam.permissions (code, description) VALUES
('templates.manage', 'Create, edit and delete templates.'),
('templates.restore', 'See and restore deleted templates.');

-- The functions part.
CREATE TRIGGER templates_touch BEFORE UPDATE ON scratch.templates
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE TRIGGER templates_soft_delete BEFORE DELETE ON scratch.templates
FOR EACH ROW EXECUTE FUNCTION util.soft_delete_row();

-- The policy part.
SELECT util.reset_policies('scratch.templates');
CREATE POLICY "members read their organization's live templates" ON scratch.templates
FOR SELECT TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()) AND deleted_at IS NULL);
CREATE POLICY "restorers read their organization's deleted templates" ON scratch.templates
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NOT NULL
    AND (SELECT iam.has_permission('templates.restore'))
);
CREATE POLICY "editors add templates to their organization" ON scratch.templates
FOR INSERT TO restartix_app
WITH CHECK (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT iam.has_permission('templates.manage'))
);
CREATE POLICY "editors change their organization's live templates" ON scratch.templates
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT iam.has_permission('templates.manage'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND deleted_at IS NULL);
CREATE POLICY "editors delete their organization's live templates" ON scratch.templates
FOR DELETE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT iam.has_permission('templates.manage'))
);
CREATE POLICY "restorers restore their organization's deleted templates" ON scratch.templates
FOR UPDATE TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NOT NULL
    AND (SELECT iam.has_permission('templates.restore'))
)
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()) AND deleted_at IS NULL);
SELECT audit.track('scratch.templates');
RESET ROLE;

-- Two clinics; in A an editor (manage) and a curator (manage and restore); in B a curator.
SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_org('clinic-c') AS org_c \gset
INSERT INTO iam.roles (organization_id, code, name)
SELECT o.id AS organization_id, r.code, initcap(r.code) AS name
FROM unnest(ARRAY[:'org_a', :'org_b']::uuid []) AS o (id)
CROSS JOIN unnest(ARRAY['editor', 'curator']) AS r (code);
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT id AS role_id, 'templates.manage' AS permission_code FROM iam.roles WHERE code IN ('editor', 'curator')
UNION ALL
SELECT id AS role_id, 'templates.restore' AS permission_code FROM iam.roles WHERE code = 'curator';
SELECT tests.create_human('editor-a@a.test') AS editor_a \gset
SELECT tests.create_human('curator-a@a.test') AS curator_a \gset
SELECT tests.create_human('curator-b@b.test') AS curator_b \gset
SELECT tests.add_member(:'org_a', :'editor_a', 'editor') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'curator_a', 'curator') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'curator_b', 'curator') IS NOT NULL AS added \gset

SELECT tests.authenticate_as(:'editor_a', :'org_a');
INSERT INTO scratch.templates (organization_id, name) VALUES (:'org_a', 'Knee rehab') RETURNING id AS knee
\gset
INSERT INTO scratch.templates (organization_id, name) VALUES (:'org_a', 'Shoulder') RETURNING id AS shoulder
\gset

-- Deleting hides the row from normal reads and keeps it.
SELECT ok(util.soft_delete('scratch.templates', :'knee'), 'the editor soft-deletes a template');
SELECT results_eq(
    'SELECT name FROM scratch.templates', $$VALUES ('Shoulder')$$,
    'the editor no longer sees the deleted template'
);
SELECT ok(
    NOT util.soft_delete('scratch.templates', :'knee'),
    'deleting it again reports nothing deleted'
);
SELECT is_empty(
    format('UPDATE scratch.templates SET name = $n$Renamed$n$ WHERE id = %L RETURNING id', :'knee'),
    'the editor cannot edit a deleted template (0 rows)'
);
SELECT throws_ok(
    format('UPDATE scratch.templates SET deleted_at = util.now() WHERE id = %L', :'shoulder'),
    '42501', NULL, 'soft delete goes through DELETE only: setting deleted_at directly is refused'
);
SELECT ok(NOT util.restore('scratch.templates', :'knee'), 'the editor cannot restore (no permission)');
SELECT is_empty(
    format('UPDATE scratch.templates SET deleted_at = NULL WHERE id = %L RETURNING id', :'knee'),
    'the editor cannot clear deleted_at either (0 rows)'
);

-- A plain DELETE statement is a soft delete too.
SELECT lives_ok(
    format('DELETE FROM scratch.templates WHERE id = %L', :'shoulder'),
    'a plain DELETE by the editor succeeds'
);
SELECT is_empty('SELECT 1 FROM scratch.templates', 'the editor sees no live template left');

-- The partial unique index lets a deleted name be used again.
INSERT INTO scratch.templates (organization_id, name) VALUES (:'org_a', 'Knee rehab')
RETURNING id AS knee_new
\gset
SELECT isnt(:'knee_new'::uuid, :'knee'::uuid, 'a new template may take the name of a deleted one');
SELECT throws_ok(
    format($$INSERT INTO scratch.templates (organization_id, name) VALUES (%L, 'Knee rehab')$$, :'org_a'),
    '23505', NULL, 'two live templates of one organization cannot share a name'
);

-- The other clinic's curator sees and changes nothing of A, live or deleted.
SELECT tests.authenticate_as(:'curator_b', :'org_b');
SELECT is_empty('SELECT 1 FROM scratch.templates', 'curator B sees no template of A, live or deleted');
SELECT ok(NOT util.restore('scratch.templates', :'knee'), 'curator B cannot restore a template of A');
SELECT ok(NOT util.soft_delete('scratch.templates', :'knee_new'), 'curator B cannot delete a template of A');
SELECT is_empty(
    format('DELETE FROM scratch.templates WHERE id = %L RETURNING id', :'knee_new'),
    'curator B deletes nothing of A with a plain DELETE (0 rows)'
);
SELECT tests.authenticate_as(:'curator_b', :'org_a');
SELECT is_empty('SELECT 1 FROM scratch.templates', 'curator B claiming A sees nothing');

-- The curator of A sees the deleted rows and restores them.
SELECT tests.authenticate_as(:'curator_a', :'org_a');
SELECT results_eq(
    'SELECT name, deleted_at IS NOT NULL FROM scratch.templates ORDER BY deleted_at NULLS FIRST, name',
    $$VALUES ('Knee rehab', false), ('Knee rehab', true), ('Shoulder', true)$$,
    'the curator sees live and deleted templates'
);
SELECT throws_ok(
    format('SELECT util.restore(%L, %L)', 'scratch.templates', :'knee'),
    '23505', NULL, 'restoring is refused while a live template holds the name'
);
SELECT ok(util.restore('scratch.templates', :'shoulder'), 'the curator restores a template');
SELECT ok(util.soft_delete('scratch.templates', :'knee_new'), 'the curator deletes the new template');
SELECT ok(util.restore('scratch.templates', :'knee'), 'and restores the old one under its name');
SELECT tests.authenticate_as(:'editor_a', :'org_a');
SELECT results_eq(
    'SELECT id FROM scratch.templates ORDER BY name',
    format('VALUES (%L::uuid), (%L::uuid)', :'knee', :'shoulder'),
    'the editor sees the restored templates again'
);

-- The rows never left, and the audit log has each deletion and restore with its actor.
SELECT tests.clear_authentication();
SELECT is(
    (SELECT count(*)::int FROM scratch.templates WHERE organization_id = :'org_a'), 3,
    'no template row was physically removed'
);
SELECT results_eq(
    format(
        $$SELECT a.action, h.email::text, a.changed_columns,
                 a.old_values ->> 'deleted_at' IS NULL AS was_live,
                 a.new_values ->> 'deleted_at' IS NULL AS is_live
          FROM audit.audit_log AS a INNER JOIN iam.humans AS h ON h.principal_id = a.actor_id
          WHERE a.entity_type = 'scratch.templates' AND a.entity_id = %L
          ORDER BY a.action <> 'insert', was_live DESC$$,
        :'knee'
    ),
    $$VALUES
        ('insert', 'editor-a@a.test', ARRAY['created_at', 'deleted_at', 'id', 'name', 'organization_id', 'updated_at'], true, true),
        ('update', 'editor-a@a.test', ARRAY['deleted_at'], true, false),
        ('update', 'curator-a@a.test', ARRAY['deleted_at'], false, true)$$,
    'the audit log keeps the insert, the deletion and the restore, each with its actor'
);
SELECT is_empty(
    $$SELECT 1 FROM audit.audit_log WHERE entity_type = 'scratch.templates' AND action = 'delete'$$,
    'no soft delete is logged as a physical delete'
);

-- A hard delete of the organization (a purge) still cascades for real.
INSERT INTO scratch.templates (organization_id, name) VALUES (:'org_c', 'Ankle');
DELETE FROM tenancy.organizations WHERE id = :'org_c';
SELECT is(
    (SELECT count(*)::int FROM scratch.templates WHERE organization_id = :'org_c'), 0,
    'a purge of the organization removes its templates (no orphan is left behind)'
);
SELECT throws_ok(
    format('SELECT util.soft_delete(%L, %L)', 'tenancy.organization_domains', :'knee'),
    '0A000', NULL, 'util.soft_delete refuses a table without the soft_delete trigger'
);

SELECT * FROM finish();
ROLLBACK;
