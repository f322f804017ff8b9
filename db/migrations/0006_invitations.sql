-- Invitations to join an organization: single-use, expiring, only the token's hash is kept.

CREATE TABLE tenancy.invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    email citext NOT NULL,
    role_id uuid NOT NULL REFERENCES iam.roles (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    invited_by uuid NOT NULL REFERENCES iam.principals (id),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES iam.principals (id),
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash),
    CONSTRAINT invitations_email_valid CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT invitations_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT invitations_accepted_or_revoked CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
COMMENT ON TABLE tenancy.invitations IS 'Pending, accepted and revoked invitations; the token itself is never stored.';
CREATE INDEX invitations_org_idx ON tenancy.invitations (organization_id, created_at DESC);
CREATE UNIQUE INDEX invitations_one_pending_per_email ON tenancy.invitations (organization_id, email)
WHERE accepted_at IS NULL AND revoked_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON tenancy.invitations TO restartix_app;
