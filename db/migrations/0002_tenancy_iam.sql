-- Layer 0: principals as the root identity, humans, organizations with their domains and
-- memberships, and the RBAC catalog. Policies live in db/policies, helpers in db/functions.

CREATE TABLE iam.principals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    parent_principal_id uuid REFERENCES iam.principals (id) ON DELETE RESTRICT,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT principals_kind_valid CHECK (kind IN ('human', 'agent', 'service_account', 'system')),
    CONSTRAINT principals_not_own_parent CHECK (parent_principal_id <> id),
    CONSTRAINT principals_id_kind_key UNIQUE (id, kind)
);
COMMENT ON TABLE iam.principals IS 'Root identity of every actor: humans, agents, service accounts and the system.';
CREATE UNIQUE INDEX principals_one_system ON iam.principals ((true)) WHERE kind = 'system';
CREATE INDEX principals_parent_idx ON iam.principals (parent_principal_id)
WHERE parent_principal_id IS NOT null;

INSERT INTO iam.principals (id, kind)
VALUES ('00000000-0000-0000-0000-000000000001', 'system');

CREATE TABLE iam.humans (
    principal_id uuid PRIMARY KEY,
    kind text NOT NULL DEFAULT 'human',
    idp_subject text NOT NULL,
    email citext NOT NULL,
    display_name text NOT NULL DEFAULT '',
    locale text NOT NULL DEFAULT 'en',
    blocked_at timestamptz,
    last_activity_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT humans_principal_is_human FOREIGN KEY (principal_id, kind)
    REFERENCES iam.principals (id, kind) ON DELETE CASCADE,
    CONSTRAINT humans_kind_human CHECK (kind = 'human'),
    CONSTRAINT humans_idp_subject_key UNIQUE (idp_subject),
    CONSTRAINT humans_email_key UNIQUE (email),
    CONSTRAINT humans_idp_subject_valid CHECK (length(idp_subject) BETWEEN 1 AND 255),
    CONSTRAINT humans_email_valid CHECK (
        length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
    ),
    CONSTRAINT humans_display_name_length CHECK (length(display_name) <= 200),
    CONSTRAINT humans_locale_valid CHECK (locale IN ('en', 'ro'))
);
COMMENT ON TABLE iam.humans IS 'A human principal bound to the identity provider subject.';

CREATE TABLE tenancy.organizations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT organizations_slug_format CHECK (
        slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' AND slug !~ '--'
    ),
    CONSTRAINT organizations_slug_not_reserved CHECK (
        slug NOT IN (
            'www', 'api', 'app', 'console', 'admin', 'portal', 'auth', 'login', 'mail',
            'static', 'assets', 'cdn', 'docs', 'status', 'help', 'support', 'billing',
            'restartix', 'system', 'public', 'internal', 'dev', 'staging', 'test'
        )
    ),
    CONSTRAINT organizations_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT organizations_status_valid CHECK (status IN ('active', 'suspended'))
);
COMMENT ON TABLE tenancy.organizations IS 'A clinic: the tenant every org-scoped row belongs to.';
CREATE UNIQUE INDEX organizations_slug_key ON tenancy.organizations (slug) WHERE deleted_at IS null;

CREATE TABLE tenancy.organization_domains (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    domain text NOT NULL,
    verification_token text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
    verified_at timestamptz,
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_domains_domain_key UNIQUE (domain),
    CONSTRAINT organization_domains_domain_format CHECK (
        length(domain) <= 253
        AND domain = lower(domain)
        AND domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'
    ),
    CONSTRAINT organization_domains_primary_is_verified CHECK (NOT is_primary OR verified_at IS NOT null)
);
COMMENT ON TABLE tenancy.organization_domains IS 'Custom domains of an organization; at most one primary, only verified ones.';
CREATE INDEX organization_domains_org_idx ON tenancy.organization_domains (organization_id);
CREATE UNIQUE INDEX organization_domains_one_primary ON tenancy.organization_domains (organization_id)
WHERE is_primary;

CREATE TABLE iam.permissions (
    code text PRIMARY KEY,
    description text NOT NULL,
    CONSTRAINT permissions_code_format CHECK (code ~ '^[a-z_]+\.[a-z_]+$')
);
COMMENT ON TABLE iam.permissions IS 'The catalog of permission codes a role can grant.';

CREATE TABLE iam.roles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    code text NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT roles_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT roles_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT roles_description_length CHECK (length(description) <= 1000)
);
COMMENT ON TABLE iam.roles IS 'System role templates (no organization) and custom roles of one organization.';
CREATE UNIQUE INDEX roles_system_code_key ON iam.roles (code) WHERE organization_id IS null;
CREATE UNIQUE INDEX roles_org_code_key ON iam.roles (organization_id, code)
WHERE organization_id IS NOT null;

CREATE TABLE iam.role_permissions (
    role_id uuid NOT NULL REFERENCES iam.roles (id) ON DELETE CASCADE,
    permission_code text NOT NULL REFERENCES iam.permissions (code) ON DELETE CASCADE,
    PRIMARY KEY (role_id, permission_code)
);
COMMENT ON TABLE iam.role_permissions IS 'Which permissions a role grants.';
CREATE INDEX role_permissions_permission_idx ON iam.role_permissions (permission_code);

CREATE TABLE tenancy.organization_memberships (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    principal_id uuid NOT NULL REFERENCES iam.principals (id) ON DELETE CASCADE,
    role_id uuid NOT NULL REFERENCES iam.roles (id) ON DELETE RESTRICT,
    status text NOT NULL DEFAULT 'invited',
    invited_at timestamptz,
    invited_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    accepted_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_memberships_one_hat UNIQUE (organization_id, principal_id),
    CONSTRAINT organization_memberships_status_valid CHECK (status IN ('invited', 'active', 'suspended'))
);
COMMENT ON TABLE tenancy.organization_memberships IS 'A principal''s one role in one organization (one hat per org).';
CREATE INDEX organization_memberships_principal_idx ON tenancy.organization_memberships (principal_id);
CREATE INDEX organization_memberships_role_idx ON tenancy.organization_memberships (role_id);

CREATE TABLE iam.platform_memberships (
    principal_id uuid PRIMARY KEY REFERENCES iam.principals (id) ON DELETE CASCADE,
    role text NOT NULL,
    granted_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT platform_memberships_role_valid CHECK (role IN ('superadmin', 'support'))
);
COMMENT ON TABLE iam.platform_memberships IS 'Platform staff: superadmins act everywhere, support reads everywhere.';

INSERT INTO iam.permissions (code, description) VALUES
('organizations.update', 'Edit the organization profile (name, status of its own record).'),
('organizations.update_settings', 'Change organization settings.'),
('organizations.manage_billing', 'Manage the billing profile and subscription of the organization.'),
('billing.read', 'Read the billing profile, subscription and entitlements.'),
('members.read', 'List members and invitations.'),
('members.invite', 'Invite people to join the organization.'),
('members.manage', 'Change member roles, suspend and remove members, revoke invitations.'),
('domains.manage', 'Add, verify, set primary and remove custom domains.'),
('roles.manage', 'Create, edit and delete the organization''s custom roles.'),
('audit.read', 'Read the organization''s audit log.'),
('files.read', 'Read files stored for the organization.'),
('files.upload', 'Upload files for the organization.'),
('patient_tiers.manage', 'Define the patient tiers of the organization.'),
('integrations.manage', 'Connect and disconnect the organization''s integrations.'),
('consents.read', 'See who consented to what in the organization.'),
('consents.manage_documents', 'Publish the organization''s terms and privacy notices.'),
('usage.read', 'Read metered usage and quotas.');

INSERT INTO iam.roles (code, name, description) VALUES
('owner', 'Owner', 'Runs the clinic account: every permission.'),
('admin', 'Administrator', 'Administers the clinic: members, domains, roles, settings, audit.'),
('specialist', 'Specialist', 'Treats patients; reads colleagues and files.'),
('receptionist', 'Receptionist', 'Front desk: members list, files, consents.'),
('billing', 'Billing', 'Billing profile, subscription and usage.');

INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
INNER JOIN iam.permissions AS p
    ON
        r.code = 'owner'
        OR (r.code = 'admin' AND p.code <> 'organizations.manage_billing')
        OR (
            r.code = 'specialist'
            AND p.code IN ('members.read', 'files.read', 'files.upload', 'consents.read')
        )
        OR (
            r.code = 'receptionist'
            AND p.code IN ('members.read', 'files.read', 'files.upload', 'consents.read')
        )
        OR (
            r.code = 'billing'
            AND p.code IN (
                'members.read', 'billing.read', 'organizations.manage_billing', 'usage.read'
            )
        )
WHERE r.organization_id IS null;

GRANT SELECT ON iam.principals, iam.humans, iam.permissions, iam.roles, iam.role_permissions,
iam.platform_memberships TO restartix_app;
GRANT UPDATE (display_name, locale, last_activity_at, blocked_at) ON iam.humans TO restartix_app;
GRANT INSERT, UPDATE, DELETE ON iam.roles, iam.role_permissions, iam.platform_memberships
TO restartix_app;
GRANT SELECT, INSERT, UPDATE ON tenancy.organizations TO restartix_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenancy.organization_domains,
tenancy.organization_memberships TO restartix_app;

-- The system pool provisions humans on first sight of a verified identity-provider subject.
GRANT SELECT, INSERT ON iam.principals, iam.humans TO restartix_system;
GRANT UPDATE (last_activity_at) ON iam.humans TO restartix_system;
GRANT UPDATE (last_used_at) ON tenancy.organization_memberships TO restartix_system;
GRANT SELECT ON tenancy.organization_memberships TO restartix_system;
