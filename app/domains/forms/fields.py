"""Custom fields of an organization (each change publishes a version) and a patient's values."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.forms.common import ItemKey

Q = catalogue("forms")

EntityType = Literal["patient", "appointment", "specialist", "service"]
FieldType = Literal[
    "text",
    "long_text",
    "number",
    "integer",
    "boolean",
    "date",
    "datetime",
    "single_choice",
    "multi_choice",
    "file",
    "signature",
    "scale",
]
Classification = Literal["pii_basic", "clinical", "clinical_sensitive"]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Help = Annotated[str, msgspec.Meta(max_length=2000)]


class Option(Body):
    value: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    label: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class Rules(Body, omit_defaults=True):
    required: bool | None = None
    min: float | None = None
    max: float | None = None
    min_length: Annotated[int, msgspec.Meta(ge=0, le=20000)] | None = None
    max_length: Annotated[int, msgspec.Meta(ge=1, le=20000)] | None = None
    pattern: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None


class FieldTexts(Body, omit_defaults=True):
    label: Label | None = None
    help: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")] | None = None


Translations = Annotated[dict[Literal["en", "ro"], FieldTexts], msgspec.Meta(max_length=2)]


class CustomField(msgspec.Struct):
    id: UUID
    organization_id: UUID
    entity_type: EntityType
    key: str
    current_version: int
    current_version_id: UUID
    label: str
    help: str
    translations: dict[str, Any]
    field_type: FieldType
    options: list[dict[str, Any]]
    rules: dict[str, Any]
    classification: Classification
    created_at: datetime
    updated_at: datetime


class FieldVersion(msgspec.Struct):
    id: UUID
    custom_field_id: UUID
    version: int
    label: str
    help: str
    translations: dict[str, Any]
    field_type: FieldType
    options: list[dict[str, Any]]
    rules: dict[str, Any]
    classification: Classification
    published_at: datetime


class CreateField(Body, kw_only=True):
    entity_type: EntityType
    key: ItemKey
    label: Label
    help: Help | None = None
    translations: Translations | None = None
    type: FieldType
    options: Annotated[list[Option], msgspec.Meta(max_length=200)] | None = None
    rules: Rules | None = None
    classification: Classification | None = None


class UpdateField(Body, kw_only=True):
    """Every change publishes a new version; the type and key never change."""

    label: Label | None = None
    help: Help | None = None
    translations: Translations | None = None
    options: Annotated[list[Option], msgspec.Meta(max_length=200)] | None = None
    rules: Rules | None = None
    classification: Classification | None = None


class FieldValue(msgspec.Struct):
    key: str
    custom_field_id: UUID
    custom_field_version_id: UUID
    value: Any
    source_form_id: UUID | None
    updated_at: datetime


def _json(data: msgspec.Struct) -> str:
    values = {f: getattr(data, f) for f in data.__struct_fields__}
    return msgspec.json.encode({k: v for k, v in values.items() if v is not None}).decode()


async def _load(db: Db, field_id: UUID) -> CustomField:
    field = await db.row(Q.custom_field_by_id, CustomField, id=field_id)
    if field is None:
        raise ApiError(404, "custom_field_not_found", "No such custom field in this organization.")
    return field


@get(
    "/v1/orgs/{org_id:uuid}/custom-fields",
    operation_id="custom_fields_list",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_fields(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    entity_type: FromQuery[EntityType | None] = None,
) -> Page[CustomField]:
    """The organization's live custom fields with their current definition (`forms.read`)."""
    return await db.page(Q.custom_fields_list, CustomField, listing, entity_type=entity_type)


@get(
    "/v1/orgs/{org_id:uuid}/custom-fields/{field_id:uuid}",
    operation_id="custom_fields_get",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def get_field(db: NamedDependency[Db], field_id: FromPath[UUID]) -> CustomField:
    """One custom field with its current definition (`forms.read`)."""
    return await _load(db, field_id)


@post(
    "/v1/orgs/{org_id:uuid}/custom-fields",
    operation_id="custom_fields_create",
    tags=["forms"],
    opt=requires("custom_fields.manage"),
)
async def create_field(
    db: NamedDependency[Db], data: JSONBody[CreateField]
) -> Response[CustomField]:
    """Add a custom field; its definition is version 1 (`custom_fields.manage`)."""
    field_id = await db.scalar(Q.custom_field_create, fields=_json(data))
    return Response(await _load(db, field_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/custom-fields/{field_id:uuid}",
    operation_id="custom_fields_update",
    tags=["forms"],
    opt=requires("custom_fields.manage"),
)
async def update_field(
    db: NamedDependency[Db], field_id: FromPath[UUID], data: JSONBody[UpdateField]
) -> CustomField:
    """Publish the next version of a custom field (`custom_fields.manage`)."""
    await db.scalar(Q.custom_field_update, id=field_id, changes=_json(data))
    return await _load(db, field_id)


@delete(
    "/v1/orgs/{org_id:uuid}/custom-fields/{field_id:uuid}",
    operation_id="custom_fields_delete",
    tags=["forms"],
    status_code=204,
    opt=requires("custom_fields.manage"),
)
async def delete_field(db: NamedDependency[Db], field_id: FromPath[UUID]) -> Response[None]:
    """Soft-delete a custom field; values and versions stay (`custom_fields.manage`)."""
    await db.execute(Q.custom_field_delete, id=field_id)
    return Response(None, status_code=204)


@get(
    "/v1/orgs/{org_id:uuid}/custom-fields/{field_id:uuid}/versions",
    operation_id="custom_fields_versions",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def list_field_versions(
    db: NamedDependency[Db], field_id: FromPath[UUID]
) -> list[FieldVersion]:
    """Every published version of a custom field, oldest first (`forms.read`)."""
    await _load(db, field_id)
    return await db.rows(Q.custom_field_versions, FieldVersion, id=field_id)


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/fields",
    operation_id="patient_fields_get",
    tags=["forms"],
    opt=requires("forms.read"),
)
async def get_patient_fields(
    db: NamedDependency[Db], patient_id: FromPath[UUID]
) -> list[FieldValue]:
    """A patient's custom field values by key (`forms.read`)."""
    return await db.rows(Q.patient_fields, FieldValue, patient=patient_id)


@patch(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/fields",
    operation_id="patient_fields_set",
    tags=["forms"],
    opt=requires("custom_fields.manage"),
)
async def set_patient_fields(
    db: NamedDependency[Db],
    patient_id: FromPath[UUID],
    data: JSONBody[Annotated[dict[ItemKey, Any], msgspec.Meta(min_length=1, max_length=200)]],
) -> list[FieldValue]:
    """Set values by field key, each validated; null clears (`custom_fields.manage`)."""
    await db.execute(
        Q.patient_fields_set, patient=patient_id, values=msgspec.json.encode(data).decode()
    )
    return await db.rows(Q.patient_fields, FieldValue, patient=patient_id)
