-- Field encryption keys (docs/encryption.md): each organization's data keys, stored only
-- wrapped by a key-encryption key. Only the system pool reaches them, and only for the
-- organization its transaction names; the guard trigger lives in db/functions/crypto.

CREATE SCHEMA crypto;
COMMENT ON SCHEMA crypto IS 'Wrapped per-organization data keys for application-level field encryption.';
GRANT USAGE ON SCHEMA crypto TO restartix_system;

CREATE TABLE crypto.organization_data_keys (
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    version integer NOT NULL,
    kek_id text NOT NULL,
    data_key_encrypted bytea,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    retired_at timestamptz,
    destroyed_at timestamptz,
    PRIMARY KEY (organization_id, version),
    CONSTRAINT organization_data_keys_version_positive CHECK (version > 0),
    CONSTRAINT organization_data_keys_kek_id_present CHECK (length(kek_id) BETWEEN 1 AND 2048),
    CONSTRAINT organization_data_keys_destroyed_has_no_key CHECK (
        (destroyed_at IS null) = (data_key_encrypted IS NOT null)
    )
);
COMMENT ON TABLE crypto.organization_data_keys IS 'Data key versions of each organization, wrapped by a KEK; destroyed versions stay as tombstones.';

-- No DELETE for anyone: a tombstone keeps its version number from ever being reused.
REVOKE ALL ON crypto.organization_data_keys FROM public;
GRANT SELECT, INSERT ON crypto.organization_data_keys TO restartix_system;
GRANT UPDATE (kek_id, data_key_encrypted, retired_at, destroyed_at)
ON crypto.organization_data_keys TO restartix_system;
