"""The one upload path every file purpose shares: hand out a presigned form recorded as a
pending file, confirm it (read the bytes back, keep or refuse them), and answer a stored
file with a short-lived read link. The logo and a specialist's signature differ only in the
catalogued query that records the grant (it checks who may upload what) and in what the
caller does with a kept file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
import psycopg
from litestar import Request, Response

from app.api.errors import ApiError, database_error, envelope
from app.api.scope import Db
from app.db.queries import Query, catalogue
from app.domains.storage.client import ObjectStore, delete_objects
from app.domains.storage.presign import READ_TTL_SECONDS, presign_read, presign_upload
from app.domains.storage.verify import UploadRejected, VerifiedUpload, verify_upload

Q = catalogue("storage")


class UploadForm(msgspec.Struct):
    """POST `fields` and then the file (as the last field, `file`) to `url` as multipart."""

    url: str
    fields: dict[str, str]
    expires_at: datetime
    max_bytes: int
    content_type: str


class FileUpload(msgspec.Struct):
    """A pending file and the form that uploads its bytes; confirm it once uploaded."""

    file_id: UUID
    upload: UploadForm


class StoredFile(msgspec.Struct):
    """A checked file in use, with a read link valid until `url_expires_at`."""

    file_id: UUID
    content_type: str
    size_bytes: int
    sha256: str
    url: str
    url_expires_at: datetime
    uploaded_by: UUID | None
    verified_at: datetime


class FileRow(msgspec.Struct):
    """The row of a ready file, as the read queries return it."""

    id: UUID
    detected_mime: str
    size_bytes: int
    sha256: str
    object_key: str
    uploaded_by: UUID | None
    verified_at: datetime


class _PendingUpload(msgspec.Struct):
    """What the check of an upload's bytes needs."""

    object_key: str
    purpose: str
    declared_mime: str
    upload_expires_at: datetime


def _store(request: Request) -> ObjectStore:
    return request.app.state.resources.object_store()


def _org(db: Db, org_id: UUID | None) -> UUID:
    return UUID(str(org_id if org_id is not None else db.org_id))


def read_link(db: Db, request: Request, f: FileRow, org_id: UUID | None = None) -> StoredFile:
    """The file with a presigned GET that serves its detected type."""
    expires_at = datetime.now(UTC) + timedelta(seconds=READ_TTL_SECONDS)
    url = presign_read(
        _store(request), f.object_key, org_id=_org(db, org_id), content_type=f.detected_mime
    )
    return StoredFile(
        f.id, f.detected_mime, f.size_bytes, f.sha256, url, expires_at, f.uploaded_by, f.verified_at
    )


async def start_upload(
    db: Db, request: Request, purpose: str, content_type: str, begin: Query, /, **params: Any
) -> Response[FileUpload]:
    """A presigned form for one file of `purpose`, recorded as pending by `begin` (a query
    taking `object_key`, `declared_mime`, `expires_at` and `params`, checking the caller)."""
    grant = presign_upload(
        _store(request), org_id=UUID(db.org_id), purpose=purpose, declared_mime=content_type
    )
    file_id = await db.scalar(
        begin,
        object_key=grant.key,
        declared_mime=grant.declared_mime,
        expires_at=grant.expires_at,
        **params,
    )
    form = UploadForm(
        grant.url, grant.fields, grant.expires_at, grant.max_bytes, grant.declared_mime
    )
    return Response(FileUpload(file_id, form), status_code=201)


async def confirm_upload(db: Db, request: Request, file_id: UUID, purpose: str) -> Response | None:
    """Check a pending file's bytes: None when it was kept (ready), else the committed
    refusal's answer (422 `upload_rejected`, or 402 `limit_exceeded` for the storage limit).
    A pending file of another purpose is not found here."""
    pending = await db.row(Q.lock_pending_upload, _PendingUpload, id=file_id)
    if pending is None or pending.purpose != purpose:
        raise ApiError(404, "file_not_found", "No such file in this organization.")
    store = _store(request)
    try:
        verified = await asyncio.to_thread(
            verify_upload,
            store,
            pending.object_key,
            pending.purpose,
            pending.declared_mime,
            org_id=UUID(db.org_id),
            upload_deadline=pending.upload_expires_at,
        )
    except UploadRejected as rejected:
        details = {
            "file_id": str(file_id),
            "reason": str(rejected.reason),
            "detected_mime": rejected.detected_mime,
            "size_bytes": rejected.size,
        }
        error = ApiError(422, "upload_rejected", rejected.detail, details)
        return await _refuse(db, request, file_id, rejected.reason, rejected, error)
    refused = await _keep(db, file_id, verified)
    if refused is not None:
        await asyncio.to_thread(delete_objects, store, verified.key)
        return await _refuse(db, request, file_id, "quota_exceeded", verified, refused)
    return None


async def _keep(db: Db, file_id: UUID, verified: VerifiedUpload) -> ApiError | None:
    """Mark the file ready; the storage limit's refusal is returned, not raised, so the
    rejection is still recorded in this request's transaction."""
    try:
        # A savepoint: a refused limit rolls back only the completion.
        async with db.conn.transaction():
            await db.execute(
                Q.complete_upload,
                id=file_id,
                object_key=verified.key,
                detected_mime=verified.detected_mime,
                size_bytes=verified.size,
                sha256=verified.sha256,
            )
    except psycopg.Error as exc:
        error = database_error(exc)
        if error is None or error.code != "limit_exceeded":
            raise
        return error
    return None


async def _refuse(
    db: Db,
    request: Request,
    file_id: UUID,
    reason: str,
    found: UploadRejected | VerifiedUpload,
    error: ApiError,
) -> Response:
    """Record the rejection (its objects are already deleted) with what was found, and answer
    `error`: the request succeeded in deciding, so its transaction commits the refusal."""
    await db.execute(
        Q.reject_upload,
        id=file_id,
        reason=str(reason),
        detected_mime=found.detected_mime,
        size_bytes=found.size,
    )
    return envelope(request, error)
