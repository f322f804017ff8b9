"""The confirm step of an upload: check the stored bytes, then keep them or delete them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from botocore.exceptions import ClientError

from app.domains.storage.client import ObjectStore, delete_objects
from app.domains.storage.keys import InvalidKey, purpose_named, stored_key, validate_key
from app.domains.storage.sniff import SNIFF_BYTES, sniff_mime

# Our clock and the store's may differ slightly; an upload is late only beyond this.
CLOCK_SKEW = timedelta(seconds=5)
_CHUNK = 64 * 1024


class Rejection(StrEnum):
    MISSING = "missing"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    MIME_MISMATCH = "mime_mismatch"
    EXPIRED = "expired"


class UploadRejected(Exception):
    """The upload was refused and its objects deleted; `reason` is stable, `detail` is prose."""

    def __init__(
        self,
        reason: Rejection,
        detail: str,
        *,
        key: str,
        size: int | None = None,
        detected_mime: str | None = None,
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.key = key
        self.size = size
        self.detected_mime = detected_mime


@dataclass(frozen=True)
class VerifiedUpload:
    key: str  # where the object is kept from now on: the upload key plus its extension
    size: int
    sha256: str
    detected_mime: str


def _missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in ("404", "NoSuchKey", "NotFound")


def _sha256(store: ObjectStore, key: str) -> tuple[str, int]:
    body = store.client.get_object(Bucket=store.bucket, Key=key)["Body"]
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in body.iter_chunks(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    finally:
        body.close()
    return digest.hexdigest(), size


def _inspect(
    store: ObjectStore, key: str, purpose: str, declared_mime: str, *, upload_key: str
) -> VerifiedUpload:
    """Check the kept copy, which no upload grant can overwrite, so what is checked is kept."""
    spec = purpose_named(purpose)
    size = int(store.client.head_object(Bucket=store.bucket, Key=key)["ContentLength"])

    def reject(reason: Rejection, detail: str, detected: str | None = None) -> UploadRejected:
        return UploadRejected(reason, detail, key=upload_key, size=size, detected_mime=detected)

    if size > spec.max_bytes:
        raise reject(Rejection.TOO_LARGE, f"{size} bytes, {purpose} allows {spec.max_bytes}")
    first = b""
    if size:
        ranged = store.client.get_object(
            Bucket=store.bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}"
        )
        first = ranged["Body"].read()
    detected = sniff_mime(first)
    if detected not in spec.mime_types:
        accepted = ", ".join(sorted(spec.mime_types))
        found = detected or "of no known type"
        raise reject(
            Rejection.TYPE_NOT_ALLOWED,
            f"content is {found}, {purpose} accepts {accepted}",
            detected,
        )
    if detected != declared_mime:
        raise reject(
            Rejection.MIME_MISMATCH, f"declared {declared_mime}, content is {detected}", detected
        )
    sha256, streamed = _sha256(store, key)
    return VerifiedUpload(key=key, size=streamed, sha256=sha256, detected_mime=detected)


def verify_upload(
    store: ObjectStore,
    key: str,
    purpose: str,
    declared_mime: str,
    *,
    org_id: UUID,
    upload_deadline: datetime | None = None,
) -> VerifiedUpload:
    """Check an uploaded object against its purpose; keep it under its final key or delete it.

    Raises UploadRejected (no object is left behind) or InvalidKey (nothing touched).
    `upload_deadline` is the grant's `expires_at`; an object written after it is refused.
    """
    if validate_key(key, org_id, purpose).extension is not None:
        raise InvalidKey("only an upload key (no extension) can be verified")
    if declared_mime not in purpose_named(purpose).mime_types:
        raise ValueError(f"{declared_mime!r} is not accepted for {purpose}")
    try:
        head = store.client.head_object(Bucket=store.bucket, Key=key)
    except ClientError as exc:
        if _missing(exc):
            # A confirm whose transaction failed after the copy left the copy behind.
            delete_objects(store, stored_key(key, declared_mime))
            raise UploadRejected(Rejection.MISSING, "no object was uploaded", key=key) from None
        raise
    size = int(head["ContentLength"])
    spec = purpose_named(purpose)
    # Local S3-compatible servers ignore a POST policy's expiration and size range, so both
    # are held here too; these two need no copy and no body.
    if upload_deadline is not None and head["LastModified"] > upload_deadline + CLOCK_SKEW:
        delete_objects(store, key)
        raise UploadRejected(
            Rejection.EXPIRED, "uploaded after its upload URL expired", key=key, size=size
        )
    if size > spec.max_bytes:
        delete_objects(store, key)
        raise UploadRejected(
            Rejection.TOO_LARGE,
            f"{size} bytes, {purpose} allows {spec.max_bytes}",
            key=key,
            size=size,
        )
    # The grant stays usable until it expires, so a second POST could swap the bytes at `key`
    # after they were checked. Copy first, then check and keep the copy, at a key no grant names.
    final = stored_key(key, declared_mime)
    try:
        store.client.copy_object(
            Bucket=store.bucket,
            Key=final,
            CopySource={"Bucket": store.bucket, "Key": key},
            MetadataDirective="REPLACE",
            ContentType=declared_mime,
        )
    except ClientError as exc:
        if _missing(exc):
            raise UploadRejected(
                Rejection.MISSING, "object vanished during the check", key=key
            ) from None
        raise
    delete_objects(store, key)
    try:
        return _inspect(store, final, purpose, declared_mime, upload_key=key)
    except UploadRejected:
        delete_objects(store, final)
        raise
