-- Connected accounts (Cat B) and service providers (Cat A). The request pool has no SELECT
-- grant on credentials_encrypted: no query of the request path reads it, and only the
-- system-side queries at the end of this file select it.

-- name: integrations_list
-- The request organization's connected accounts, never their credentials.
SELECT
    i.id,
    i.kind,
    i.account_label,
    i.scopes,
    i.status,
    i.last_error,
    i.last_error_at,
    i.has_credentials,
    i.connected_by,
    i.connected_at,
    i.updated_at
FROM integrations.organization_integrations AS i
WHERE i.organization_id = %(org)s::uuid
ORDER BY i.kind ASC, i.account_label ASC, i.id ASC;

-- name: integration_connect
-- Connects an account of the request organization with its sealed credentials, connected
-- by the acting human.
INSERT INTO integrations.organization_integrations (
    id, organization_id, kind, account_label, scopes, credentials_encrypted, connected_by
)
VALUES (
    %(id)s::uuid,
    %(org)s::uuid,
    %(kind)s::text,
    %(account_label)s::text,
    %(scopes)s::text [],
    %(credentials)s::bytea,
    iam.current_principal_id()
)
RETURNING
    id,
    kind,
    account_label,
    scopes,
    status,
    last_error,
    last_error_at,
    has_credentials,
    connected_by,
    connected_at,
    updated_at;

-- name: integration_update
-- Renames an account, changes its scopes or status (NULL: unchanged); back to connected
-- clears the last error. The credentials stay as they are.
UPDATE integrations.organization_integrations AS i
SET
    account_label = coalesce(%(account_label)s::text, i.account_label),
    scopes = coalesce(%(scopes)s::text [], i.scopes),
    status = coalesce(%(status)s::text, i.status),
    last_error = CASE WHEN %(status)s::text = 'connected' THEN NULL ELSE i.last_error END,
    last_error_at = CASE
        WHEN %(status)s::text = 'connected' THEN NULL ELSE i.last_error_at
    END
WHERE i.id = %(id)s::uuid AND i.organization_id = %(org)s::uuid
RETURNING
    i.id,
    i.kind,
    i.account_label,
    i.scopes,
    i.status,
    i.last_error,
    i.last_error_at,
    i.has_credentials,
    i.connected_by,
    i.connected_at,
    i.updated_at;

-- name: integration_update_with_credentials
-- integration_update that also replaces the sealed credentials (write-only: the old value
-- is never read).
UPDATE integrations.organization_integrations AS i
SET
    account_label = coalesce(%(account_label)s::text, i.account_label),
    scopes = coalesce(%(scopes)s::text [], i.scopes),
    status = coalesce(%(status)s::text, i.status),
    last_error = CASE WHEN %(status)s::text = 'connected' THEN NULL ELSE i.last_error END,
    last_error_at = CASE
        WHEN %(status)s::text = 'connected' THEN NULL ELSE i.last_error_at
    END,
    credentials_encrypted = %(credentials)s::bytea
WHERE i.id = %(id)s::uuid AND i.organization_id = %(org)s::uuid
RETURNING
    i.id,
    i.kind,
    i.account_label,
    i.scopes,
    i.status,
    i.last_error,
    i.last_error_at,
    i.has_credentials,
    i.connected_by,
    i.connected_at,
    i.updated_at;

-- name: integration_remove
-- Disconnects and forgets an account of the request organization; its id, or no row.
DELETE FROM integrations.organization_integrations AS i
WHERE i.id = %(id)s::uuid AND i.organization_id = %(org)s::uuid
RETURNING i.id;

-- name: service_providers_list
-- Platform provider accounts and organizations' override rows, never their credentials;
-- category and organization filter them when given.
SELECT
    p.id,
    p.organization_id,
    p.category,
    p.provider,
    p.config,
    p.has_credentials,
    p.enabled,
    p.is_default,
    p.created_at,
    p.updated_at
FROM integrations.platform_service_providers AS p
WHERE
    (%(category)s::text IS NULL OR p.category = %(category)s::text)
    AND (
        %(organization_id)s::uuid IS NULL
        OR p.organization_id = %(organization_id)s::uuid
    )
ORDER BY p.category ASC, p.organization_id ASC NULLS FIRST, p.provider ASC;

-- name: service_provider_scope
-- The organization (NULL: platform) and category of one provider row.
SELECT
    p.organization_id,
    p.category
FROM integrations.platform_service_providers AS p
WHERE p.id = %(id)s::uuid;

-- name: service_provider_unset_default
-- Makes every other platform account of a category not its default (one default each).
UPDATE integrations.platform_service_providers AS p
SET is_default = FALSE
WHERE
    p.organization_id IS NULL
    AND p.category = %(category)s::text
    AND p.is_default
    AND p.id <> %(id)s::uuid;

-- name: service_provider_create
-- Adds a platform provider account or an organization's override, created by the acting
-- human; credentials sealed or NULL.
INSERT INTO integrations.platform_service_providers (
    id, organization_id, category, provider, config, credentials_encrypted, enabled,
    is_default, created_by
)
VALUES (
    %(id)s::uuid,
    %(organization_id)s::uuid,
    %(category)s::text,
    %(provider)s::text,
    %(config)s::jsonb,
    %(credentials)s::bytea,
    %(enabled)s::boolean,
    %(is_default)s::boolean,
    iam.current_principal_id()
)
RETURNING
    id,
    organization_id,
    category,
    provider,
    config,
    has_credentials,
    enabled,
    is_default,
    created_at,
    updated_at;

-- name: service_provider_update
-- Changes a provider row's provider, config, enabled or default (NULL: unchanged); the
-- credentials stay as they are.
UPDATE integrations.platform_service_providers AS p
SET
    provider = coalesce(%(provider)s::text, p.provider),
    config = coalesce(%(config)s::jsonb, p.config),
    enabled = coalesce(%(enabled)s::boolean, p.enabled),
    is_default = coalesce(%(is_default)s::boolean, p.is_default)
WHERE p.id = %(id)s::uuid
RETURNING
    p.id,
    p.organization_id,
    p.category,
    p.provider,
    p.config,
    p.has_credentials,
    p.enabled,
    p.is_default,
    p.created_at,
    p.updated_at;

-- name: service_provider_update_with_credentials
-- service_provider_update that also replaces the sealed credentials (write-only: the old
-- value is never read).
UPDATE integrations.platform_service_providers AS p
SET
    provider = coalesce(%(provider)s::text, p.provider),
    config = coalesce(%(config)s::jsonb, p.config),
    enabled = coalesce(%(enabled)s::boolean, p.enabled),
    is_default = coalesce(%(is_default)s::boolean, p.is_default),
    credentials_encrypted = %(credentials)s::bytea
WHERE p.id = %(id)s::uuid
RETURNING
    p.id,
    p.organization_id,
    p.category,
    p.provider,
    p.config,
    p.has_credentials,
    p.enabled,
    p.is_default,
    p.created_at,
    p.updated_at;

-- name: service_provider_remove
-- Removes a provider account or override row; its id, or no row.
DELETE FROM integrations.platform_service_providers AS p
WHERE p.id = %(id)s::uuid
RETURNING p.id;

-- name: organization_exists
-- Whether an organization exists (the console's 404 before resolving its providers).
SELECT exists(
    SELECT 1 FROM tenancy.organizations AS o WHERE o.id = %(organization_id)s::uuid
);

-- name: resolved_providers
-- What each category resolves to for an organization, in the order the categories are
-- given: its enabled override, else the enabled platform default, else NULLs.
SELECT
    c.category,
    r.id AS provider_id,
    r.provider,
    r.source,
    r.config
FROM unnest(%(categories)s::text []) WITH ORDINALITY AS c (category, ord)
LEFT JOIN LATERAL integrations.resolve_provider(
    c.category, %(organization_id)s::uuid
) AS r ON TRUE
ORDER BY c.ord ASC;

-- name: provider_sealed_credentials
-- System side: a provider row's organization (NULL: platform) and sealed credentials.
SELECT
    p.organization_id,
    p.credentials_encrypted
FROM integrations.platform_service_providers AS p
WHERE p.id = %(id)s::uuid;

-- name: system_act_for_organization
-- System side: the organization this transaction acts for (the system pool's policies
-- show only its integrations).
SELECT pg_catalog.set_config('app.current_org_id', %(organization_id)s::text, TRUE);

-- name: integration_sealed_credentials
-- System side: an integration's sealed credentials, within the organization the
-- transaction acts for.
SELECT i.credentials_encrypted
FROM integrations.organization_integrations AS i
WHERE i.id = %(id)s::uuid AND i.organization_id = %(organization_id)s::uuid;

-- name: platform_rotation_context
-- Platform key rotation: marks the transaction's audit rows as a crypto rotation.
SELECT pg_catalog.set_config('app.action_context', 'crypto_rotation', TRUE);

-- name: platform_credentials_to_rotate
-- Platform key rotation: platform-owned sealed credentials not yet under the target key
-- version (their header differs from the prefix), locked until the transaction ends.
SELECT
    p.id,
    p.credentials_encrypted
FROM integrations.platform_service_providers AS p
WHERE
    p.organization_id IS NULL
    AND p.credentials_encrypted IS NOT NULL
    AND substring(p.credentials_encrypted FROM 1 FOR %(length)s::integer)
    <> %(prefix)s::bytea
ORDER BY p.id ASC
FOR NO KEY UPDATE;

-- name: platform_credentials_using
-- Platform key rotation: how many platform-owned credentials are still sealed under a
-- key version (their header starts with its prefix).
SELECT count(*)
FROM integrations.platform_service_providers AS p
WHERE
    p.organization_id IS NULL
    AND substring(p.credentials_encrypted FROM 1 FOR %(length)s::integer)
    = %(prefix)s::bytea;

-- name: platform_credentials_reseal
-- Platform key rotation: stores a platform-owned credential re-sealed under the new key.
UPDATE integrations.platform_service_providers AS p
SET credentials_encrypted = %(credentials)s::bytea
WHERE p.id = %(id)s::uuid AND p.organization_id IS NULL;
