"""Forms of an organization's patients: create, fill, complete, sign, cancel, amend, list;
the FHIR QuestionnaireResponse of a form. Who may fill is decided in SQL (forms.filler_kind)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.forms.common import (
    Answers,
    Form,
    Status,
    TemplateVersion,
    questionnaire_response,
)

Q = catalogue("forms")


class CreateForm(Body, kw_only=True):
    form_template_id: UUID
    patient_id: UUID
    appointment_id: UUID | None = None


class SaveForm(Body):
    answers: Answers


class CompleteForm(Body):
    answers: Answers = msgspec.field(default_factory=dict)


class SignForm(Body):
    signature_file_id: UUID | None = None


class SavedForm(msgspec.Struct):
    form: Form
    warnings: list[dict[str, Any]]


async def load_form(db: Db, form_id: UUID) -> Form:
    form = await db.row(Q.form_by_id, Form, id=form_id)
    if form is None:
        raise ApiError(404, "form_not_found", "No such form.")
    return form


def encode(answers: dict[str, Any]) -> str:
    return msgspec.json.encode(answers).decode()


async def save(db: Db, form_id: UUID, data: SaveForm) -> SavedForm:
    warnings = await db.scalar(Q.form_save, id=form_id, answers=encode(data.answers))
    return SavedForm(form=await load_form(db, form_id), warnings=warnings)


async def complete(db: Db, form_id: UUID, data: CompleteForm) -> Form:
    await db.execute(Q.form_complete, id=form_id, answers=encode(data.answers))
    return await load_form(db, form_id)


async def sign(db: Db, form_id: UUID, data: SignForm) -> Form:
    await db.scalar(Q.form_sign, id=form_id, file=data.signature_file_id)
    return await load_form(db, form_id)


def _org_form(db: Db, form: Form) -> Form:
    if str(form.organization_id) != str(db.org_id):
        raise ApiError(404, "form_not_found", "No such form.")
    return form


@get(
    "/v1/orgs/{org_id:uuid}/forms",
    operation_id="forms_list",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_forms(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    patient_id: FromQuery[UUID | None] = None,
    appointment_id: FromQuery[UUID | None] = None,
    status: FromQuery[Status | None] = None,
) -> Page[Form]:
    """The organization's forms, by patient, appointment or status (`forms.read`)."""
    return await db.page(
        Q.forms_list, Form, listing, patient=patient_id, appointment=appointment_id, status=status
    )


@get(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}",
    operation_id="forms_get",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def get_form(db: NamedDependency[Db], form_id: FromPath[UUID]) -> Form:
    """One form with its answers (`forms.read`)."""
    return _org_form(db, await load_form(db, form_id))


@post(
    "/v1/orgs/{org_id:uuid}/forms",
    operation_id="forms_create",
    tags=["forms"],
    opt=requires("forms.manage"),
)
async def create_form(db: NamedDependency[Db], data: JSONBody[CreateForm]) -> Response[Form]:
    """Ask a patient to fill the newest version of a template (`forms.manage`)."""
    form_id = await db.scalar(
        Q.form_create,
        template=data.form_template_id,
        patient=data.patient_id,
        appointment=data.appointment_id,
    )
    return Response(await load_form(db, form_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}",
    operation_id="forms_save",
    tags=["forms"],
    opt=requires("forms.fill"),
)
async def save_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[SaveForm]
) -> SavedForm:
    """Save answers of a draft; the warnings say what completion still needs (`forms.fill`)."""
    return await save(db, form_id, data)


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/complete",
    operation_id="forms_complete",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.fill"),
)
async def complete_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[CompleteForm]
) -> Form:
    """Validate and complete; errors name each item (`forms.fill`)."""
    return await complete(db, form_id, data)


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/sign",
    operation_id="forms_sign",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.fill"),
)
async def sign_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[SignForm]
) -> Form:
    """Sign a completed form; it is frozen from now on (`forms.fill`)."""
    return await sign(db, form_id, data)


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/cancel",
    operation_id="forms_cancel",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.manage"),
)
async def cancel_form(db: NamedDependency[Db], form_id: FromPath[UUID]) -> Form:
    """Cancel a form that is not signed (`forms.manage`)."""
    await db.execute(Q.form_cancel, id=form_id)
    return await load_form(db, form_id)


@post(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/amend",
    operation_id="forms_amend",
    tags=["forms"],
    opt=requires("forms.manage"),
)
async def amend_form(db: NamedDependency[Db], form_id: FromPath[UUID]) -> Response[Form]:
    """Start a correction: a new form referencing this one, pre-filled (`forms.manage`)."""
    new_id = await db.scalar(Q.form_amend, id=form_id)
    return Response(await load_form(db, new_id), status_code=201)


@get(
    "/v1/orgs/{org_id:uuid}/forms/{form_id:uuid}/fhir",
    operation_id="forms_fhir",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def form_fhir(
    request: Request, db: NamedDependency[Db], form_id: FromPath[UUID]
) -> dict[str, Any]:
    """A form as a FHIR R4 `QuestionnaireResponse` (`forms.read`)."""
    form = _org_form(db, await load_form(db, form_id))
    version = await db.row(
        Q.template_version_by_id, TemplateVersion, id=form.form_template_version_id
    )
    assert version is not None  # a form's version is readable wherever the form is
    return questionnaire_response(
        form, version, str(request.base_url).rstrip("/") + f"/v1/orgs/{db.org_id}"
    )
