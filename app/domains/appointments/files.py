"""Files attached to an appointment (PDFs and images, at most 20 MiB each), through the one
upload path of `app/domains/storage/uploads.py`: a form, the browser's upload to S3, a confirm
that checks the bytes and attaches the kept file. The clinic's appointment managers upload and
remove; the patient and a caregiver who books for them upload under /v1/me (the file counts
against the clinic's storage); its appointment readers, the patient and that caregiver read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.appointments.appointments import APPOINTMENT
from app.domains.storage.keys import PURPOSES
from app.domains.storage.uploads import (
    Confirming,
    FileRow,
    FileUpload,
    StoredFile,
    confirm_upload,
    read_link,
    start_upload,
)

Q = catalogue("appointments")
PURPOSE = "appointment_file"
AppointmentFileType = Literal[tuple(sorted(PURPOSES[PURPOSE].mime_types))]
FILES = APPOINTMENT + "/files"
FILE = FILES + "/{file_id:uuid}"
MY_FILES = "/v1/me/appointments/{appointment_id:uuid}/files"
MY_CONFIRMING = Confirming(
    Q.my_appointment_file_upload_pending,
    Q.my_appointment_file_upload_complete,
    Q.my_appointment_file_upload_reject,
)


class RequestFileUpload(Body):
    content_type: AppointmentFileType


class _MyFileRow(msgspec.Struct):
    """A file of one of the caller's appointments, with the organization that keeps it."""

    id: UUID
    organization_id: UUID
    detected_mime: str
    size_bytes: int
    sha256: str
    object_key: str
    uploaded_by: UUID | None
    verified_at: datetime


async def _files(db: Db, appointment_id: UUID) -> list[FileRow]:
    return await db.rows(Q.appointment_files, FileRow, appointment=appointment_id)


async def _my_files(db: Db, appointment_id: UUID) -> list[_MyFileRow]:
    return await db.rows(Q.my_appointment_files, _MyFileRow, appointment=appointment_id)


def _one(files: list, file_id: UUID):
    found = next((f for f in files if f.id == file_id), None)
    if found is None:
        raise ApiError(404, "file_not_found", "No such file on this appointment.")
    return found


@post(
    FILES,
    operation_id="appointment_file_upload_request",
    tags=["appointments"],
    opt=requires("appointments.manage"),
    responses=STORAGE,
)
async def request_file_upload(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    data: JSONBody[RequestFileUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for one file of an appointment (`appointments.manage`): a PDF, PNG, JPEG
    or WebP of at most 20 MiB of the declared type, valid 5 minutes; at most 20 per
    appointment."""
    return await start_upload(
        db,
        request,
        PURPOSE,
        data.content_type,
        Q.appointment_file_upload_begin,
        appointment=appointment_id,
    )


@post(
    FILE + "/confirm",
    operation_id="appointment_file_upload_confirm",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_file_upload(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    file_id: FromPath[UUID],
    request: Request,
) -> Response[StoredFile]:
    """Check the uploaded bytes (`appointments.manage`): a kept file is attached to the
    appointment; anything else is deleted and answered with 422 `upload_rejected`
    (`details.reason`)."""
    await _files(db, appointment_id)  # appointment_not_found before touching the upload
    refused = await confirm_upload(db, request, file_id, PURPOSE)
    if refused is not None:
        return refused
    await db.execute(Q.appointment_file_attach, appointment=appointment_id, file=file_id)
    kept = _one(await _files(db, appointment_id), file_id)
    return Response(read_link(db, request, kept), status_code=200)


@get(
    FILES,
    operation_id="appointment_files_list",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def list_files(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], request: Request
) -> list[StoredFile]:
    """An appointment's files, each with a read link valid 15 minutes (`appointments.read`)."""
    return [read_link(db, request, f) for f in await _files(db, appointment_id)]


@get(
    FILE,
    operation_id="appointment_file_get",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def get_file(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    file_id: FromPath[UUID],
    request: Request,
) -> StoredFile:
    """One file of an appointment with a fresh read link valid 15 minutes
    (`appointments.read`)."""
    return read_link(db, request, _one(await _files(db, appointment_id), file_id))


@delete(
    FILE,
    operation_id="appointment_file_remove",
    tags=["appointments"],
    status_code=204,
    opt=requires("appointments.manage"),
)
async def remove_file(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], file_id: FromPath[UUID]
) -> Response[None]:
    """Remove a file from an appointment (`appointments.manage`): a soft delete, the sweep
    removes its bytes."""
    await db.execute(Q.appointment_file_remove, appointment=appointment_id, file=file_id)
    return Response(None, status_code=204)


def _my_link(db: Db, request: Request, f: _MyFileRow) -> StoredFile:
    row = FileRow(
        f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    )
    return read_link(db, request, row, org_id=f.organization_id)


@get(MY_FILES, operation_id="my_appointment_files_list", tags=["me"])
async def list_my_files(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], request: Request
) -> list[StoredFile]:
    """The files of one of your appointments (or of someone you book for), each with a read
    link valid 15 minutes."""
    return [_my_link(db, request, f) for f in await _my_files(db, appointment_id)]


@get(MY_FILES + "/{file_id:uuid}", operation_id="my_appointment_file_get", tags=["me"])
async def get_my_file(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    file_id: FromPath[UUID],
    request: Request,
) -> StoredFile:
    """One file of one of your appointments with a fresh read link valid 15 minutes."""
    return _my_link(db, request, _one(await _my_files(db, appointment_id), file_id))


async def _my_org(db: Db, appointment_id: UUID) -> UUID:
    """The organization that keeps one of the caller's appointments (appointment_not_found
    otherwise); the upload's key and the confirm's read lie under it."""
    org_id = await db.scalar(Q.my_appointment_org, appointment=appointment_id)
    if org_id is None:
        raise ApiError(404, "appointment_not_found", "No such appointment of yours.")
    return org_id


@post(MY_FILES, operation_id="my_appointment_file_upload_request", tags=["me"], responses=STORAGE)
async def request_my_file_upload(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    data: JSONBody[RequestFileUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for a file of one of your appointments (or, as a caregiver who books,
    of someone you care for) that is not cancelled or missed: a PDF, PNG, JPEG or WebP of at
    most 20 MiB of the declared type, valid 5 minutes; at most 20 per appointment. Confirm it
    once uploaded."""
    return await start_upload(
        db,
        request,
        PURPOSE,
        data.content_type,
        Q.my_appointment_file_upload_begin,
        org_id=await _my_org(db, appointment_id),
        appointment=appointment_id,
    )


@post(
    MY_FILES + "/{file_id:uuid}/confirm",
    operation_id="my_appointment_file_upload_confirm",
    tags=["me"],
    status_code=200,
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_my_file_upload(
    db: NamedDependency[Db],
    appointment_id: FromPath[UUID],
    file_id: FromPath[UUID],
    request: Request,
) -> Response[StoredFile]:
    """Check the bytes you uploaded: a kept file is attached to the appointment (the clinic
    reads it); anything else is deleted and answered with 422 `upload_rejected`
    (`details.reason`), and a full clinic storage with 402 `limit_exceeded`."""
    org_id = await _my_org(db, appointment_id)
    refused = await confirm_upload(
        db,
        request,
        file_id,
        PURPOSE,
        org_id=org_id,
        queries=MY_CONFIRMING,
        appointment=appointment_id,
    )
    if refused is not None:
        return refused
    kept = _one(await _my_files(db, appointment_id), file_id)
    return Response(_my_link(db, request, kept), status_code=200)
