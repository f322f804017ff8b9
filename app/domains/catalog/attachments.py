"""Files attached to a service (PDFs and images, at most 10 MiB each), through the one upload
path of `app/domains/storage/uploads.py`: a form, the browser's upload to S3, a confirm that
checks the bytes and attaches the kept file."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
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

Q = catalogue("catalog")
ATTACHMENT = "service_attachment"
AttachmentType = Literal[tuple(sorted(PURPOSES[ATTACHMENT].mime_types))]


class RequestAttachmentUpload(Body):
    content_type: AttachmentType


async def _service_exists(db: Db, service_id: UUID) -> None:
    if await db.scalar(Q.service_by_id, id=service_id) is None:
        raise ApiError(404, "service_not_found", "No such service in this organization.")


async def _files(db: Db, service_id: UUID) -> list[FileRow]:
    return await db.rows(Q.attachments_of_service, FileRow, service=service_id)


@post(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/attachments",
    operation_id="service_attachment_upload_request",
    tags=["catalog"],
    opt=requires("catalog.manage"),
    responses=STORAGE,
)
async def request_attachment_upload(
    db: NamedDependency[Db],
    service_id: FromPath[UUID],
    data: JSONBody[RequestAttachmentUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for one attachment of a service (`catalog.manage`): a PDF, PNG, JPEG or
    WebP of at most 10 MiB of the declared type, valid 5 minutes; at most 20 per service."""
    return await start_upload(
        db, request, ATTACHMENT, data.content_type, Q.attachment_upload_begin, service=service_id
    )


@post(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/attachments/{file_id:uuid}/confirm",
    operation_id="service_attachment_upload_confirm",
    tags=["catalog"],
    status_code=200,
    opt=requires("catalog.manage"),
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_attachment_upload(
    db: NamedDependency[Db], service_id: FromPath[UUID], file_id: FromPath[UUID], request: Request
) -> Response[StoredFile]:
    """Check the uploaded bytes (`catalog.manage`): a kept file is attached to the service;
    anything else is deleted and answered with 422 `upload_rejected` (`details.reason`)."""
    await _service_exists(db, service_id)
    refused = await confirm_upload(db, request, file_id, ATTACHMENT)
    if refused is not None:
        return refused
    await db.execute(Q.attachment_attach, service=service_id, file=file_id)
    kept = next(f for f in await _files(db, service_id) if f.id == file_id)
    return Response(read_link(db, request, kept), status_code=200)


@get(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/attachments",
    operation_id="service_attachments_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_attachments(
    db: NamedDependency[Db], service_id: FromPath[UUID], request: Request
) -> list[StoredFile]:
    """A live service's attachments, each with a read link valid 15 minutes (`catalog.read`)."""
    await _service_exists(db, service_id)
    return [read_link(db, request, f) for f in await _files(db, service_id)]


@delete(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/attachments/{file_id:uuid}",
    operation_id="service_attachment_remove",
    tags=["catalog"],
    status_code=204,
    opt=requires("catalog.manage"),
)
async def remove_attachment(
    db: NamedDependency[Db], service_id: FromPath[UUID], file_id: FromPath[UUID]
) -> Response[None]:
    """Detach an attachment (`catalog.manage`); the sweep removes its bytes."""
    await db.execute(Q.attachment_remove, service=service_id, file=file_id)
    return Response(None, status_code=204)
