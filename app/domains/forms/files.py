"""Files of a form through the one upload path of `app/domains/storage/uploads.py`: the
attachment a `file` item answers with (`form_file`: a PDF, PNG, JPEG or WebP of at most
10 MiB) and the image a form is signed with (`form_signature`: a PNG or JPEG of at most
1 MiB). Whoever may fill the form uploads (decided in SQL by forms.filler_kind: the patient,
a caregiver with sign_forms, a member with forms.fill), under the organization's URL or,
for the patient's side, under /v1/me/forms; whoever reads the form reads its files."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.forms.common import Form
from app.domains.forms.instances import load_form
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

Q = catalogue("forms")

FORM_PURPOSES = frozenset({"form_file", "form_signature"})
FormFilePurpose = Literal["form_file", "form_signature"]
FormFileType = Literal[
    tuple(sorted(PURPOSES["form_file"].mime_types | PURPOSES["form_signature"].mime_types))
]
CONFIRMING = Confirming(Q.form_upload_pending, Q.form_upload_complete, Q.form_upload_reject)


class RequestFormUpload(Body):
    purpose: FormFilePurpose
    content_type: FormFileType


async def _org_form(db: Db, form_id: UUID) -> Form:
    form = await load_form(db, form_id)
    if str(form.organization_id) != str(db.org_id):
        raise ApiError(404, "form_not_found", "No such form.")
    return form


async def _start(
    db: Db, request: Request, form: Form, data: RequestFormUpload
) -> Response[FileUpload]:
    accepted = PURPOSES[data.purpose].mime_types
    if data.content_type not in accepted:
        raise ApiError(
            400,
            "validation_failed",
            "The request is not valid.",
            {
                "fields": [
                    {
                        "field": "content_type",
                        "source": "body",
                        "message": f"A {data.purpose} is one of {', '.join(sorted(accepted))}.",
                    }
                ]
            },
        )
    return await start_upload(
        db,
        request,
        data.purpose,
        data.content_type,
        Q.form_upload_begin,
        org_id=form.organization_id,
        form=form.id,
        purpose=data.purpose,
    )


async def _confirm(db: Db, request: Request, form: Form, file_id: UUID) -> Response[StoredFile]:
    refused = await confirm_upload(
        db,
        request,
        file_id,
        FORM_PURPOSES,
        org_id=form.organization_id,
        queries=CONFIRMING,
        form=form.id,
    )
    if refused is not None:
        return refused
    return Response(await _read(db, request, form, file_id), status_code=200)


async def _read(db: Db, request: Request, form: Form, file_id: UUID) -> StoredFile:
    kept = await db.row(Q.form_upload, FileRow, form=form.id, id=file_id)
    if kept is None:
        raise ApiError(404, "file_not_found", "No such file of this form.")
    return read_link(db, request, kept, form.organization_id)


# --- the organization's side ------------------------------------------------------------


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/files",
    operation_id="forms_file_upload_request",
    tags=["forms"],
    opt=requires("forms.fill"),
    responses=STORAGE,
)
async def request_form_upload(
    db: NamedDependency[Db],
    form_id: FromPath[UUID],
    data: JSONBody[RequestFormUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for a file of a form not yet signed or cancelled (`forms.fill`): a
    `form_file` (PDF, PNG, JPEG or WebP, at most 10 MiB; while the form is a draft or in
    progress) or a `form_signature` (PNG or JPEG, at most 1 MiB; until it is signed), valid 5
    minutes. Confirm it once uploaded."""
    return await _start(db, request, await _org_form(db, form_id), data)


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/files/{file_id:uuid}/confirm",
    operation_id="forms_file_upload_confirm",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.fill"),
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_form_upload(
    db: NamedDependency[Db], form_id: FromPath[UUID], file_id: FromPath[UUID], request: Request
) -> Response[StoredFile]:
    """Check the uploaded bytes (`forms.fill`): a kept file can be named by the form's answer
    (`form_file`) or its signature (`form_signature`); anything else is deleted and answered
    with 422 `upload_rejected` (`details.reason`)."""
    return await _confirm(db, request, await _org_form(db, form_id), file_id)


@get(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/files/{file_id:uuid}",
    operation_id="forms_file_get",
    tags=["forms"],
    opt=requires("forms.read"),
    responses=STORAGE,
)
async def get_form_file(
    db: NamedDependency[Db], form_id: FromPath[UUID], file_id: FromPath[UUID], request: Request
) -> StoredFile:
    """A checked file of a form with a read link valid 15 minutes (`forms.read`)."""
    return await _read(db, request, await _org_form(db, form_id), file_id)


# --- the person's side --------------------------------------------------------------------


@post(
    "/v1/me/forms/{form_id:uuid}/files",
    operation_id="my_forms_file_upload_request",
    tags=["me"],
    responses=STORAGE,
)
async def request_my_form_upload(
    db: NamedDependency[Db],
    form_id: FromPath[UUID],
    data: JSONBody[RequestFormUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for a file of your form (or, as a caregiver with sign_forms, of the
    form of someone you care for), not yet signed or cancelled: a `form_file` (PDF, PNG, JPEG
    or WebP, at most 10 MiB) or a `form_signature` (PNG or JPEG, at most 1 MiB), valid 5
    minutes. Confirm it once uploaded."""
    return await _start(db, request, await load_form(db, form_id), data)


@post(
    "/v1/me/forms/{form_id:uuid}/files/{file_id:uuid}/confirm",
    operation_id="my_forms_file_upload_confirm",
    tags=["me"],
    status_code=200,
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_my_form_upload(
    db: NamedDependency[Db], form_id: FromPath[UUID], file_id: FromPath[UUID], request: Request
) -> Response[StoredFile]:
    """Check the uploaded bytes: a kept file can be named by your answer to a file item or
    by your signature; anything else is deleted and answered with 422 `upload_rejected`."""
    return await _confirm(db, request, await load_form(db, form_id), file_id)


@get(
    "/v1/me/forms/{form_id:uuid}/files/{file_id:uuid}",
    operation_id="my_forms_file_get",
    tags=["me"],
    responses=STORAGE,
)
async def get_my_form_file(
    db: NamedDependency[Db], form_id: FromPath[UUID], file_id: FromPath[UUID], request: Request
) -> StoredFile:
    """A checked file of your form with a read link valid 15 minutes."""
    return await _read(db, request, await load_form(db, form_id), file_id)
