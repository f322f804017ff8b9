-- name: current_logo
-- The organization's logo in use: its ready, live file (RLS keeps it to the org in scope).
SELECT
    f.id,
    f.detected_mime,
    f.size_bytes,
    f.sha256,
    f.object_key,
    f.uploaded_by,
    f.verified_at
FROM storage.files AS f
WHERE
    f.organization_id = %(org)s::uuid
    AND f.purpose = 'logo'
    AND f.status = 'ready'
    AND f.deleted_at IS NULL;

-- name: begin_upload
-- Records an upload grant as a pending file of the organization in scope and returns its id
-- (storage.begin_upload checks the caller may upload files of the purpose).
SELECT storage.begin_upload(
    %(purpose)s::text, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: lock_pending_upload
-- Locks a pending file of the organization in scope for its confirmation and returns what the
-- check of its bytes needs (file_not_found, file_not_pending, or the uploader's permission).
SELECT
    u.object_key,
    u.purpose,
    u.declared_mime,
    u.upload_expires_at
FROM storage.lock_pending_upload(%(id)s::uuid) AS u;

-- name: complete_upload
-- Marks a pending file ready with what its bytes were checked to be, within the
-- storage.bytes limit (limit_exceeded otherwise); a new logo retires the previous one.
SELECT storage.complete_upload(
    %(id)s::uuid,
    %(object_key)s::text,
    %(detected_mime)s::text,
    %(size_bytes)s::bigint,
    %(sha256)s::text
);

-- name: reject_upload
-- Marks a pending file rejected with the reason its bytes were refused and what was found.
SELECT storage.reject_upload(
    %(id)s::uuid, %(reason)s::text, %(detected_mime)s::text, %(size_bytes)s::bigint
);

-- name: remove_file
-- Removes a ready file of the organization in scope (soft delete; the sweep removes its bytes).
SELECT storage.remove_file(%(id)s::uuid);

-- name: expire_abandoned_uploads
-- The sweep: rejects pending uploads past their deadline plus a grace (oldest first, at most
-- a batch) and returns their keys, for their objects to be deleted unchecked.
SELECT
    e.id,
    e.object_key,
    e.declared_mime
FROM storage.expire_abandoned_uploads(%(grace)s::interval, %(batch)s::integer) AS e;

-- name: retired_objects
-- The sweep: deleted files whose bytes are still in the bucket (oldest first, at most a
-- batch), locked until the transaction records their removal.
SELECT
    r.id,
    r.object_key
FROM storage.retired_objects(%(batch)s::integer) AS r;

-- name: mark_bytes_removed
-- The sweep: records that these files' objects were deleted from the bucket.
SELECT storage.mark_bytes_removed(%(ids)s::uuid []) AS removed;
