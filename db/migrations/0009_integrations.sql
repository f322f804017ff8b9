-- Provider accounts the platform curates (Cat A, seed Foundation 1C.2) and accounts a clinic
-- connects (Cat B, 1C.5). Credentials are auth_secret: sealed by the application, written
-- by the request pool, never readable by it. Functions live in db/functions/integrations.

CREATE SCHEMA integrations;
COMMENT ON SCHEMA integrations IS 'Platform service providers (Cat A) and clinic-connected integrations (Cat B).';
GRANT USAGE ON SCHEMA integrations TO restartix_app, restartix_system;

-- Platform-owned secrets are sealed under the platform key scope: data keys stored with the
-- nil organization id (docs/encryption.md, "Platform-owned secrets"). The reference to the
-- organization moves to a generated column that is NULL for that scope, so every other key
-- still points at a real organization.
ALTER TABLE crypto.organization_data_keys DROP CONSTRAINT organization_data_keys_organization_id_fkey;
ALTER TABLE crypto.organization_data_keys
ADD COLUMN tenant_organization_id uuid GENERATED ALWAYS AS (
    nullif(organization_id, '00000000-0000-0000-0000-000000000000'::uuid)
) STORED
CONSTRAINT organization_data_keys_organization_fkey REFERENCES tenancy.organizations (id);

CREATE TABLE integrations.platform_service_providers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    category text NOT NULL,
    provider text NOT NULL,
    config jsonb NOT NULL DEFAULT '{}',
    credentials_encrypted bytea,
    has_credentials boolean NOT NULL GENERATED ALWAYS AS (credentials_encrypted IS NOT null) STORED,
    enabled boolean NOT NULL DEFAULT true,
    is_default boolean NOT NULL DEFAULT false,
    created_by uuid REFERENCES iam.principals (id),
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT platform_service_providers_category_valid CHECK (category IN ('video', 'email', 'sms', 'push', 'pdf')),
    CONSTRAINT platform_service_providers_provider_format CHECK (provider ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT platform_service_providers_config_object CHECK (
        jsonb_typeof(config) = 'object' AND octet_length(config::text) <= 16384
    ),
    CONSTRAINT platform_service_providers_credentials_size CHECK (octet_length(credentials_encrypted) <= 16384),
    -- An override is the organization's provider for its category; "default" is a platform notion.
    CONSTRAINT platform_service_providers_override_not_default CHECK (organization_id IS null OR NOT is_default),
    CONSTRAINT platform_service_providers_default_enabled CHECK (NOT is_default OR enabled)
);
COMMENT ON TABLE integrations.platform_service_providers IS 'Platform-owned provider accounts by category (Cat A), with optional per-organization override rows.';
CREATE UNIQUE INDEX platform_service_providers_one_default ON integrations.platform_service_providers (category)
WHERE organization_id IS null AND is_default;
CREATE UNIQUE INDEX platform_service_providers_platform_provider_key
ON integrations.platform_service_providers (category, provider)
WHERE organization_id IS null;
CREATE UNIQUE INDEX platform_service_providers_one_override
ON integrations.platform_service_providers (organization_id, category)
WHERE organization_id IS NOT null;

CREATE TABLE integrations.organization_integrations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    kind text NOT NULL,
    account_label text NOT NULL,
    scopes text [] NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'connected',
    last_error text,
    last_error_at timestamptz,
    credentials_encrypted bytea,
    has_credentials boolean NOT NULL GENERATED ALWAYS AS (credentials_encrypted IS NOT null) STORED,
    connected_by uuid REFERENCES iam.principals (id),
    connected_at timestamptz NOT NULL DEFAULT util.now(),
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_integrations_kind_valid CHECK (kind IN ('google_calendar', 'microsoft_calendar')),
    CONSTRAINT organization_integrations_account_label_length CHECK (length(btrim(account_label)) BETWEEN 1 AND 254),
    CONSTRAINT organization_integrations_scopes_valid CHECK (
        cardinality(scopes) <= 50
        AND array_position(scopes, null) IS null
        AND (cardinality(scopes) = 0 OR array_to_string(scopes, ',') ~ '^[A-Za-z0-9._:/-]{1,200}(,[A-Za-z0-9._:/-]{1,200})*$')
    ),
    CONSTRAINT organization_integrations_status_valid CHECK (status IN ('connected', 'error', 'disconnected')),
    CONSTRAINT organization_integrations_last_error_length CHECK (length(last_error) <= 1000),
    CONSTRAINT organization_integrations_credentials_size CHECK (octet_length(credentials_encrypted) <= 16384)
);
COMMENT ON TABLE integrations.organization_integrations IS 'Accounts a clinic connects (Cat B, e.g. a calendar), with its encrypted credentials, scopes and status.';
CREATE INDEX organization_integrations_org_idx ON integrations.organization_integrations (organization_id, id);
CREATE UNIQUE INDEX organization_integrations_account_key
ON integrations.organization_integrations (organization_id, kind, account_label);

-- Credentials are write-only for the request pool: it may set them, never select them (a
-- `SELECT *` fails). The system pool reads them to call providers and refreshes tokens.
REVOKE ALL ON integrations.platform_service_providers, integrations.organization_integrations FROM public;
GRANT SELECT (
    id, organization_id, category, provider, config, has_credentials, enabled, is_default, created_by,
    created_at, updated_at
) ON integrations.platform_service_providers TO restartix_app;
GRANT INSERT (
    id, organization_id, category, provider, config, credentials_encrypted, enabled, is_default, created_by
) ON integrations.platform_service_providers TO restartix_app;
GRANT UPDATE (provider, config, credentials_encrypted, enabled, is_default)
ON integrations.platform_service_providers TO restartix_app;
GRANT DELETE ON integrations.platform_service_providers TO restartix_app;
GRANT SELECT ON integrations.platform_service_providers TO restartix_system;

GRANT SELECT (
    id, organization_id, kind, account_label, scopes, status, last_error, last_error_at, has_credentials,
    connected_by, connected_at, created_at, updated_at
) ON integrations.organization_integrations TO restartix_app;
GRANT INSERT (id, organization_id, kind, account_label, scopes, status, credentials_encrypted, connected_by)
ON integrations.organization_integrations TO restartix_app;
GRANT UPDATE (account_label, scopes, status, last_error, last_error_at, credentials_encrypted)
ON integrations.organization_integrations TO restartix_app;
GRANT DELETE ON integrations.organization_integrations TO restartix_app;
GRANT SELECT ON integrations.organization_integrations TO restartix_system;
GRANT UPDATE (status, last_error, last_error_at, credentials_encrypted)
ON integrations.organization_integrations TO restartix_system;
