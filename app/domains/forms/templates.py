"""Form templates: an editable draft, published as immutable versions; preview validation;
the FHIR Questionnaire of a version."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.forms.common import Answers, Purpose, TemplateVersion, questionnaire

Q = catalogue("forms")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
ConsentPurpose = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z_]{0,62}$")]
# The draft's shape is checked in SQL on publish (docs/forms.md); here only its size.
Draft = Annotated[dict[str, Any], msgspec.Meta(max_length=1)]


class TemplateTexts(Body, omit_defaults=True):
    name: Name | None = None
    description: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=r"\S")] | None
    ) = None


class Template(msgspec.Struct):
    id: UUID
    organization_id: UUID
    purpose: Purpose
    name: str
    description: str
    translations: dict[str, Any]
    consent_purpose: str | None
    consent_document_id: UUID | None
    draft: dict[str, Any]
    current_version: int
    active: bool
    created_at: datetime
    updated_at: datetime


class CreateTemplate(Body, kw_only=True):
    purpose: Purpose
    name: Name
    description: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    translations: Annotated[dict[str, TemplateTexts], msgspec.Meta(max_length=2)] | None = None
    consent_purpose: ConsentPurpose | None = None
    consent_document_id: UUID | None = None
    draft: Draft | None = None


class UpdateTemplate(Body, kw_only=True):
    name: Name | None = None
    description: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    translations: Annotated[dict[str, TemplateTexts], msgspec.Meta(max_length=2)] | None = None
    consent_purpose: ConsentPurpose | None = None
    consent_document_id: UUID | None = None
    draft: Draft | None = None
    active: bool | None = None


class Preview(Body):
    answers: Answers


class PreviewResult(msgspec.Struct):
    errors: list[dict[str, Any]]
    values: dict[str, Any]


def _json(data: msgspec.Struct) -> str:
    values = {f: getattr(data, f) for f in data.__struct_fields__}
    return msgspec.json.encode({k: v for k, v in values.items() if v is not None}).decode()


async def _load(db: Db, template_id: UUID) -> Template:
    template = await db.row(Q.template_by_id, Template, id=template_id)
    if template is None:
        raise ApiError(
            404, "form_template_not_found", "No such form template in this organization."
        )
    return template


@get(
    "/v1/orgs/{org_id:uuid}/form-templates",
    operation_id="form_templates_list",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_templates(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    purpose: FromQuery[Purpose | None] = None,
) -> Page[Template]:
    """The organization's live form templates (`forms.read`)."""
    return await db.page(Q.templates_list, Template, listing, purpose=purpose)


@get(
    "/v1/orgs/{org_id:uuid}/form-templates/{template_id:uuid}",
    operation_id="form_templates_get",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def get_template(db: NamedDependency[Db], template_id: FromPath[UUID]) -> Template:
    """One form template with its draft (`forms.read`)."""
    return await _load(db, template_id)


@post(
    "/v1/orgs/{org_id:uuid}/form-templates",
    operation_id="form_templates_create",
    tags=["forms"],
    opt=requires("forms.manage"),
)
async def create_template(
    db: NamedDependency[Db], data: JSONBody[CreateTemplate]
) -> Response[Template]:
    """Add a form template with its draft (`forms.manage`)."""
    template_id = await db.scalar(Q.template_create, fields=_json(data))
    return Response(await _load(db, template_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/form-templates/{template_id:uuid}",
    operation_id="form_templates_update",
    tags=["forms"],
    opt=requires("forms.manage"),
)
async def update_template(
    db: NamedDependency[Db], template_id: FromPath[UUID], data: JSONBody[UpdateTemplate]
) -> Template:
    """Edit a template and its draft; published versions stay as they were (`forms.manage`)."""
    await db.execute(Q.template_update, id=template_id, changes=_json(data))
    return await _load(db, template_id)


@post(
    "/v1/orgs/{org_id:uuid}/form-templates/{template_id:uuid}/publish",
    operation_id="form_templates_publish",
    tags=["forms"],
    opt=requires("forms.manage"),
)
async def publish_template(
    db: NamedDependency[Db], template_id: FromPath[UUID]
) -> Response[TemplateVersion]:
    """Freeze the draft into the next immutable version (`forms.manage`)."""
    version_id = await db.scalar(Q.template_publish, id=template_id)
    version = await db.row(Q.template_version_by_id, TemplateVersion, id=version_id)
    return Response(version, status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/form-templates/{template_id:uuid}/preview-validate",
    operation_id="form_templates_preview",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.manage"),
)
async def preview_template(
    db: NamedDependency[Db], template_id: FromPath[UUID], data: JSONBody[Preview]
) -> PreviewResult:
    """Validate sample answers against the draft; nothing is stored (`forms.manage`)."""
    result = await db.scalar(
        Q.template_preview, id=template_id, answers=msgspec.json.encode(data.answers).decode()
    )
    return msgspec.convert(result, PreviewResult)


@get(
    "/v1/orgs/{org_id:uuid}/form-templates/{template_id:uuid}/versions",
    operation_id="form_templates_versions",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_versions(
    db: NamedDependency[Db], template_id: FromPath[UUID]
) -> list[TemplateVersion]:
    """The published versions of a template, oldest first (`forms.read`)."""
    await _load(db, template_id)
    return await db.rows(Q.template_versions, TemplateVersion, id=template_id)


@get(
    "/v1/orgs/{org_id:uuid}/form-template-versions/{version_id:uuid}/fhir",
    operation_id="form_template_versions_fhir",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def version_fhir(
    request: Request, db: NamedDependency[Db], version_id: FromPath[UUID]
) -> dict[str, Any]:
    """A published version as a FHIR R4 `Questionnaire` (`forms.read`)."""
    version = await db.row(Q.template_version_by_id, TemplateVersion, id=version_id)
    if version is None:
        raise ApiError(404, "form_template_not_found", "No such form template version.")
    return questionnaire(version, str(request.base_url).rstrip("/") + f"/v1/orgs/{db.org_id}")


class ServiceForm(msgspec.Struct):
    id: UUID
    service_id: UUID
    form_template_id: UUID
    required: bool
    stage: Literal["before_booking", "after_visit"]
    created_at: datetime


class SetServiceForm(Body, kw_only=True):
    form_template_id: UUID
    required: bool = True
    stage: Literal["before_booking", "after_visit"] = "before_booking"


@get(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/forms",
    operation_id="service_forms_list",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_service_forms(
    db: NamedDependency[Db], service_id: FromPath[UUID]
) -> list[ServiceForm]:
    """The templates a service asks for, before booking or after the visit (`forms.read`)."""
    return await db.rows(Q.service_forms_list, ServiceForm, service=service_id)


@post(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/forms",
    operation_id="service_forms_set",
    tags=["forms"],
    status_code=200,
    opt=requires("forms.manage"),
)
async def set_service_form(
    db: NamedDependency[Db], service_id: FromPath[UUID], data: JSONBody[SetServiceForm]
) -> list[ServiceForm]:
    """Ask for a template on a service; asking again changes `required` (`forms.manage`)."""
    await db.scalar(
        Q.service_form_set,
        service=service_id,
        template=data.form_template_id,
        required=data.required,
        stage=data.stage,
    )
    return await db.rows(Q.service_forms_list, ServiceForm, service=service_id)


@delete(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/forms/{service_form_id:uuid}",
    operation_id="service_forms_remove",
    tags=["forms"],
    status_code=204,
    opt=requires("forms.manage"),
)
async def remove_service_form(
    db: NamedDependency[Db], service_id: FromPath[UUID], service_form_id: FromPath[UUID]
) -> Response[None]:
    """Stop asking for a template on a service (`forms.manage`)."""
    del service_id  # the id alone names the row; the path keeps the resource shape
    await db.execute(Q.service_form_remove, id=service_form_id)
    return Response(None, status_code=204)
