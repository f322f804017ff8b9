-- Stored files (seed Foundation 1.8): one row per object an organization uploads, from the
-- upload grant (pending) to the checked object (ready) or its refusal (rejected). The bytes
-- live in S3 under orgs/{organization_id}/; app/storage keeps them there. Rows change only
-- through the functions of db/functions/storage, which check who may upload what.

CREATE SCHEMA storage;
COMMENT ON SCHEMA storage IS 'Files organizations store in S3: keys, types, sizes, checksums and upload state.';
GRANT USAGE ON SCHEMA storage TO restartix_app, restartix_system;

CREATE TABLE storage.files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    object_key text NOT NULL,
    declared_mime text NOT NULL,
    detected_mime text,
    size_bytes bigint,
    sha256 text,
    status text NOT NULL DEFAULT 'pending',
    rejection_reason text,
    uploaded_by uuid REFERENCES iam.principals (id),
    upload_expires_at timestamptz NOT NULL,
    verified_at timestamptz,
    object_removed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT files_purpose_valid CHECK (purpose IN ('logo')),
    -- The same shape app/storage/keys.py builds and validates: nothing can point elsewhere.
    CONSTRAINT files_object_key_in_org CHECK (
        object_key ~ (
            '^orgs/' || organization_id::text || '/' || purpose
            || '/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,8})?$'
        )
    ),
    CONSTRAINT files_declared_mime_format CHECK (declared_mime ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'),
    CONSTRAINT files_detected_mime_format CHECK (detected_mime ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'),
    CONSTRAINT files_size_not_negative CHECK (size_bytes >= 0),
    CONSTRAINT files_sha256_hex CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT files_status_valid CHECK (status IN ('pending', 'ready', 'rejected')),
    CONSTRAINT files_rejection_reason_valid CHECK (
        rejection_reason IN ('missing', 'too_large', 'type_not_allowed', 'mime_mismatch', 'expired', 'quota_exceeded')
    ),
    CONSTRAINT files_rejected_has_reason CHECK ((status = 'rejected') = (rejection_reason IS NOT null)),
    -- A ready file is one whose bytes were read back and checked.
    CONSTRAINT files_ready_is_verified CHECK (
        status <> 'ready' OR (
            detected_mime IS NOT null AND size_bytes IS NOT null AND sha256 IS NOT null AND verified_at IS NOT null
        )
    )
);
COMMENT ON TABLE storage.files IS 'An object an organization uploaded to S3: its key, purpose, declared and detected type, size, checksum and state.';
CREATE UNIQUE INDEX files_object_key_key ON storage.files (object_key);
CREATE INDEX files_organization_idx ON storage.files (organization_id, purpose, created_at DESC);
CREATE INDEX files_uploaded_by_idx ON storage.files (uploaded_by) WHERE uploaded_by IS NOT null;
-- The sweep of abandoned uploads reads pending rows by deadline.
CREATE INDEX files_pending_deadline_idx ON storage.files (upload_expires_at) WHERE status = 'pending';
-- ... and retired files whose bytes are still in the bucket.
CREATE INDEX files_bytes_to_remove_idx ON storage.files (deleted_at)
WHERE deleted_at IS NOT null AND object_removed_at IS null;
-- An organization shows one logo: completing a new one retires the previous one.
CREATE UNIQUE INDEX files_one_logo ON storage.files (organization_id)
WHERE purpose = 'logo' AND status = 'ready' AND deleted_at IS null;

REVOKE ALL ON storage.files FROM public;
GRANT SELECT ON storage.files TO restartix_app, restartix_system;
