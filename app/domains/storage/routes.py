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
from litestar import Request, Response, Router, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import ERRORS, IN_ORG, PAYMENT_REQUIRED, STORAGE, Body
from app.api.errors import ApiError, database_error, envelope
from app.api.scope import Db
from app.domains.storage.client import ObjectStore, delete_objects
from app.domains.storage.keys import PURPOSES
from app.domains.storage.presign import READ_TTL_SECONDS, presign_read, presign_upload
from app.domains.storage.verify import UploadRejected, VerifiedUpload, verify_upload

PURPOSE = "logo"
# The types the logo purpose accepts (app/storage/keys.py), so the form and the check agree.
LogoType = Literal[tuple(sorted(PURPOSES[PURPOSE].mime_types))]
# These routes talk to S3 and may answer 503 `storage_unavailable`.
WITH_STORAGE = {**IN_ORG, "responses": {**ERRORS, **STORAGE}}


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
    file_id: str
    upload: UploadForm


class Logo(msgspec.Struct):
    file_id: str
    content_type: str
    size_bytes: int
    sha256: str
    url: str
    url_expires_at: datetime
    uploaded_by: str | None
    verified_at: datetime


LOGO_SQL = """
SELECT id::text, detected_mime, size_bytes, sha256, object_key, uploaded_by::text, verified_at
FROM storage.files
WHERE organization_id = %s AND purpose = 'logo' AND status = 'ready' AND deleted_at IS NULL
"""


def _store(request: Request) -> ObjectStore:
    return request.app.state.resources.object_store()


async def _current_logo(db: Db) -> tuple:
    row = await db.one(LOGO_SQL, (db.org_id,))
    if row is None:
        raise ApiError(404, "logo_not_set", "The organization has no logo.")
    return row


async def _logo(db: Db, request: Request) -> Logo:
    file_id, mime, size, sha256, key, uploaded_by, verified_at = await _current_logo(db)
    expires_at = datetime.now(UTC) + timedelta(seconds=READ_TTL_SECONDS)
    url = presign_read(_store(request), key, org_id=UUID(db.org_id), content_type=mime)
    return Logo(file_id, mime, size, sha256, url, expires_at, uploaded_by, verified_at)


@post("/v1/orgs/{org_id:uuid}/logo", **WITH_STORAGE, tags=["files"])
async def request_logo_upload(
    db: NamedDependency[Db], data: JSONBody[RequestLogoUpload], request: Request
) -> Response[LogoUpload]:
    """An upload form for a new logo (`organizations.update`): valid 5 minutes, for one PNG,
    JPEG or WebP file of at most 2 MiB of the declared type. Confirm it once uploaded."""
    grant = presign_upload(
        _store(request), org_id=UUID(db.org_id), purpose=PURPOSE, declared_mime=data.content_type
    )
    file_id = await db.value(
        "SELECT storage.begin_upload(%s, %s, %s, %s)",
        (PURPOSE, grant.key, grant.declared_mime, grant.expires_at),
    )
    form = UploadForm(
        grant.url, grant.fields, grant.expires_at, grant.max_bytes, grant.declared_mime
    )
    return Response(LogoUpload(str(file_id), form), status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/logo/{file_id:uuid}/confirm",
    **{**IN_ORG, "responses": {**ERRORS, **STORAGE, **PAYMENT_REQUIRED}},
    tags=["files"],
    status_code=200,
)
async def confirm_logo_upload(
    db: NamedDependency[Db], file_id: FromPath[UUID], request: Request
) -> Response[Logo]:
    """Check the uploaded bytes (`organizations.update`): a PNG, JPEG or WebP of the declared
    type within size becomes the logo, replacing the previous one; anything else is deleted
    and answered with 422 `upload_rejected` (`details.reason`) or 402 `limit_exceeded`."""
    key, purpose, declared, deadline = await db.one(
        "SELECT object_key, purpose, declared_mime, upload_expires_at"
        " FROM storage.lock_pending_upload(%s)",
        (file_id,),
    )
    store = _store(request)
    try:
        verified = await asyncio.to_thread(
            verify_upload,
            store,
            key,
            purpose,
            declared,
            org_id=UUID(db.org_id),
            upload_deadline=deadline,
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
            await db.value(
                "SELECT storage.complete_upload(%s, %s, %s, %s, %s)",
                (file_id, verified.key, verified.detected_mime, verified.size, verified.sha256),
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
    await db.value(
        "SELECT storage.reject_upload(%s, %s, %s, %s)",
        (file_id, str(reason), found.detected_mime, found.size),
    )
    return envelope(request, error)


@get("/v1/orgs/{org_id:uuid}/logo", **WITH_STORAGE, tags=["files"])
async def get_logo(db: NamedDependency[Db], request: Request) -> Logo:
    """The current logo with a read link valid 15 minutes (any member); 404 `logo_not_set`."""
    return await _logo(db, request)


@delete("/v1/orgs/{org_id:uuid}/logo", **IN_ORG, tags=["files"], status_code=204)
async def remove_logo(db: NamedDependency[Db]) -> Response[None]:
    """Remove the logo (`organizations.update`); its bytes leave the bucket with the sweep."""
    file_id = (await _current_logo(db))[0]
    await db.value("SELECT storage.remove_file(%s)", (file_id,))
    return Response(None, status_code=204)


ROUTERS = [
    Router(
        path="/", route_handlers=[request_logo_upload, confirm_logo_upload, get_logo, remove_logo]
    )
]
