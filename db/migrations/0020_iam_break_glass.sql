-- Break-glass grants: the one way platform staff read an organization's patient data. A
-- grant names the staff member, the organization, why, and until when (at most four hours);
-- while it is open and unexpired, every request the staff member makes into that
-- organization is written to the audit log with the grant's id. The request pool has no write
-- grant: the iam functions open and close grants (db/functions/iam/break_glass.sql).

CREATE TABLE iam.break_glass_grants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    principal_id uuid NOT NULL REFERENCES iam.humans (principal_id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    reason text NOT NULL,
    opened_by uuid NOT NULL REFERENCES iam.principals (id),
    opened_at timestamptz NOT NULL DEFAULT util.now(),
    expires_at timestamptz NOT NULL,
    closed_at timestamptz,
    closed_by uuid REFERENCES iam.principals (id),
    CONSTRAINT break_glass_grants_reason_length CHECK (length(btrim(reason)) BETWEEN 10 AND 1000),
    -- Short by construction: an emergency is hours, not days; a longer need opens a new grant
    -- with a new reason.
    CONSTRAINT break_glass_grants_duration_valid CHECK (
        expires_at > opened_at AND expires_at <= opened_at + interval '4 hours'
    ),
    CONSTRAINT break_glass_grants_closed_valid CHECK (
        (closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL OR closed_at >= opened_at)
    )
);
COMMENT ON TABLE iam.break_glass_grants IS
'A platform staff member''s recorded, time-boxed, read-only access to one organization''s patient data.';
-- The lookup every staff request into an organization makes (iam.current_break_glass_id).
CREATE INDEX break_glass_grants_open_idx ON iam.break_glass_grants (principal_id, organization_id, expires_at)
WHERE closed_at IS NULL;
-- The organization's own view of who broke the glass, and the console list.
CREATE INDEX break_glass_grants_org_idx ON iam.break_glass_grants (organization_id, opened_at, id);
CREATE INDEX break_glass_grants_opened_idx ON iam.break_glass_grants (opened_at, id);

GRANT SELECT ON iam.break_glass_grants TO restartix_app;

-- Which permissions guard patient data: platform roles never hold these by their role (a
-- superadmin holds every other permission, support every other *.read); a read one is held
-- under an open break-glass grant only. Clinical domains mark their own codes the same way.
ALTER TABLE iam.permissions ADD COLUMN patient_data boolean NOT NULL DEFAULT FALSE;
COMMENT ON COLUMN iam.permissions.patient_data IS
'Guards patient data: platform staff hold it only when it is a read permission and a break-glass grant is open.';
UPDATE iam.permissions SET patient_data = TRUE WHERE code IN ('patients.read', 'patients.manage');
