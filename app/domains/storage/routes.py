"""The organization's logo, the first file stored in S3: ask for an upload form, upload
straight to S3, confirm (the bytes are checked and kept, or refused and deleted), read
through a short-lived link, remove."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

import msgspec
import psycopg
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body, org_router
from app.api.errors import ApiError, database_error, envelope
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.storage.client import ObjectStore, delete_objects
from app.domains.storage.keys import PURPOSES
from app.domains.storage.presign import READ_TTL_SECONDS, presign_read, presign_upload
from app.domains.storage.verify import UploadRejected, VerifiedUpload, verify_upload

Q = catalogue("storage")

PURPOSE = "logo"
# The types the logo purpose accepts (app/domains/storage/keys.py), so the form and the
# check agree.
LogoType = Literal[tuple(sorted(PURPOSES[PURPOSE].mime_types))]


class RequestLogoUpload(Body):
    content_type: LogoType


class UploadForm(msgspec.Struct):
    """POST `fields` and then the file (as the last field, `file`) to `url` as multipart."""

    url: str
    fields: dict[str, str]
    expires_at: datetime
    max_bytes: int
    content_type: str


class LogoUpload(msgspec.Struct):
    file_id: UUID
    upload: UploadForm


class Logo(msgspec.Struct):
    file_id: UUID
    content_type: str
    size_bytes: int
    sha256: str
    url: str
    url_expires_at: datetime
    uploaded_by: UUID | None
    verified_at: datetime


class _LogoFile(msgspec.Struct):
    """The row of the logo in use."""

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


async def _current_logo(db: Db) -> _LogoFile:
    found = await db.row(Q.current_logo, _LogoFile)
    if found is None:
        raise ApiError(404, "logo_not_set", "The organization has no logo.")
    return found


async def _logo(db: Db, request: Request) -> Logo:
    f = await _current_logo(db)
    expires_at = datetime.now(UTC) + timedelta(seconds=READ_TTL_SECONDS)
    url = presign_read(
        _store(request), f.object_key, org_id=UUID(db.org_id), content_type=f.detected_mime
    )
    return Logo(
        f.id, f.detected_mime, f.size_bytes, f.sha256, url, expires_at, f.uploaded_by, f.verified_at
    )


@post(
    "/v1/orgs/{org_id:uuid}/logo",
    operation_id="logo_upload_request",
    responses=STORAGE,
    tags=["files"],
)
async def request_logo_upload(
    db: NamedDependency[Db], data: JSONBody[RequestLogoUpload], request: Request
) -> Response[LogoUpload]:
    """An upload form for a new logo (`organizations.update`): valid 5 minutes, for one PNG,
    JPEG or WebP file of at most 2 MiB of the declared type. Confirm it once uploaded."""
    grant = presign_upload(
        _store(request), org_id=UUID(db.org_id), purpose=PURPOSE, declared_mime=data.content_type
    )
    file_id = await db.scalar(
        Q.begin_upload,
        purpose=PURPOSE,
        object_key=grant.key,
        declared_mime=grant.declared_mime,
        expires_at=grant.expires_at,
    )
    form = UploadForm(
        grant.url, grant.fields, grant.expires_at, grant.max_bytes, grant.declared_mime
    )
    return Response(LogoUpload(file_id, form), status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/logo/{file_id:uuid}/confirm",
    operation_id="logo_upload_confirm",
    responses={**STORAGE, **PAYMENT_REQUIRED},
    tags=["files"],
    status_code=200,
)
async def confirm_logo_upload(
    db: NamedDependency[Db], file_id: FromPath[UUID], request: Request
) -> Response[Logo]:
    """Check the uploaded bytes (`organizations.update`): a PNG, JPEG or WebP of the declared
    type within size becomes the logo, replacing the previous one; anything else is deleted
    and answered with 422 `upload_rejected` (`details.reason`) or 402 `limit_exceeded`."""
    pending = await db.row(Q.lock_pending_upload, _PendingUpload, id=file_id)
    if pending is None:  # storage.lock_pending_upload raises first; never reached
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
    return Response(await _logo(db, request), status_code=200)


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


@get("/v1/orgs/{org_id:uuid}/logo", operation_id="logo_get", responses=STORAGE, tags=["files"])
async def get_logo(db: NamedDependency[Db], request: Request) -> Logo:
    """The current logo with a read link valid 15 minutes (any member); 404 `logo_not_set`."""
    return await _logo(db, request)


@delete("/v1/orgs/{org_id:uuid}/logo", operation_id="logo_remove", tags=["files"], status_code=204)
async def remove_logo(db: NamedDependency[Db]) -> Response[None]:
    """Remove the logo (`organizations.update`); its bytes leave the bucket with the sweep."""
    logo = await _current_logo(db)
    await db.execute(Q.remove_file, id=logo.id)
    return Response(None, status_code=204)


ROUTERS = [org_router(request_logo_upload, confirm_logo_upload, get_logo, remove_logo)]
