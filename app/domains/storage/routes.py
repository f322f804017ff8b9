"""The organization's logo, the first file stored in S3: ask for an upload form, upload
straight to S3, confirm (the bytes are checked and kept, or refused and deleted), read
through a short-lived link, remove. The upload path itself is shared (`uploads`)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body, org_router
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.storage.keys import PURPOSES
from app.domains.storage.uploads import (
    FileRow,
    FileUpload,
    StoredFile,
    confirm_upload,
    read_link,
    start_upload,
)

Q = catalogue("storage")

PURPOSE = "logo"
# The types the logo purpose accepts (app/domains/storage/keys.py), so the form and the
# check agree.
LogoType = Literal[tuple(sorted(PURPOSES[PURPOSE].mime_types))]


class RequestLogoUpload(Body):
    content_type: LogoType


async def _current_logo(db: Db) -> FileRow:
    found = await db.row(Q.current_logo, FileRow)
    if found is None:
        raise ApiError(404, "logo_not_set", "The organization has no logo.")
    return found


@post(
    "/v1/orgs/{org_id:uuid}/logo",
    operation_id="logo_upload_request",
    responses=STORAGE,
    tags=["files"],
)
async def request_logo_upload(
    db: NamedDependency[Db], data: JSONBody[RequestLogoUpload], request: Request
) -> Response[FileUpload]:
    """An upload form for a new logo (`organizations.update`): valid 5 minutes, for one PNG,
    JPEG or WebP file of at most 2 MiB of the declared type. Confirm it once uploaded."""
    return await start_upload(
        db, request, PURPOSE, data.content_type, Q.begin_upload, purpose=PURPOSE
    )


@post(
    "/v1/orgs/{org_id:uuid}/logo/{file_id:uuid}/confirm",
    operation_id="logo_upload_confirm",
    responses={**STORAGE, **PAYMENT_REQUIRED},
    tags=["files"],
    status_code=200,
)
async def confirm_logo_upload(
    db: NamedDependency[Db], file_id: FromPath[UUID], request: Request
) -> Response[StoredFile]:
    """Check the uploaded bytes (`organizations.update`): a PNG, JPEG or WebP of the declared
    type within size becomes the logo, replacing the previous one; anything else is deleted
    and answered with 422 `upload_rejected` (`details.reason`) or 402 `limit_exceeded`."""
    refused = await confirm_upload(db, request, file_id, PURPOSE)
    if refused is not None:
        return refused
    return Response(read_link(db, request, await _current_logo(db)), status_code=200)


@get("/v1/orgs/{org_id:uuid}/logo", operation_id="logo_get", responses=STORAGE, tags=["files"])
async def get_logo(db: NamedDependency[Db], request: Request) -> StoredFile:
    """The current logo with a read link valid 15 minutes (any member); 404 `logo_not_set`."""
    return read_link(db, request, await _current_logo(db))


@delete("/v1/orgs/{org_id:uuid}/logo", operation_id="logo_remove", tags=["files"], status_code=204)
async def remove_logo(db: NamedDependency[Db]) -> Response[None]:
    """Remove the logo (`organizations.update`); its bytes leave the bucket with the sweep."""
    logo = await _current_logo(db)
    await db.execute(Q.remove_file, id=logo.id)
    return Response(None, status_code=204)


ROUTERS = [org_router(request_logo_upload, confirm_logo_upload, get_logo, remove_logo)]
