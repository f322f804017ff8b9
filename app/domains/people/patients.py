"""Patients of an organization: list with filters, get, register, edit, soft delete, restore;
and the caregivers recorded for them. Every read goes through the sharing gate in SQL
(`people.org_patients`), every write through a people function that checks the permission."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.common import PAYMENT_REQUIRED, Body, Email
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("people")

PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Phone = Annotated[str, msgspec.Meta(min_length=3, max_length=32, pattern=r"^\+?[0-9 ().-]{3,32}$")]
ConsumerId = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"\S")]
Notes = Annotated[str, msgspec.Meta(max_length=4000)]
SEARCH_MAX = 200
Relationship = Literal["parent", "guardian", "spouse", "child", "relative", "other"]
CaregiverPermission = Literal["book", "sign_forms", "view_records"]


class Patient(msgspec.Struct):
    """A patient as the organization sees it: the profile fields after `first_name`..`email`
    are null unless the patient shared their profile with the organization. `rank` is the
    relevance to a search (`q`): higher is better, null outside a search."""

    id: UUID
    organization_id: UUID
    patient_profile_id: UUID
    profile_shared: bool
    consumer_id: str | None
    notes: str | None
    has_account: bool
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    date_of_birth: date | None
    sex: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    locale: str | None
    address_line: str | None
    city: str | None
    postal_code: str | None
    country: str | None
    created_at: datetime
    updated_at: datetime
    rank: float | None = None


class CreatePatient(Body):
    first_name: PersonName
    last_name: PersonName
    phone: Phone | None = None
    email: Email | None = None
    consumer_id: ConsumerId | None = None
    notes: Notes | None = None


class UpdatePatient(Body):
    """Fields left out (or null) stay as they are. Contact fields change only while the
    patient has no account."""

    first_name: PersonName | None = None
    last_name: PersonName | None = None
    phone: Phone | None = None
    email: Email | None = None
    consumer_id: ConsumerId | None = None
    notes: Notes | None = None


class Caregiver(msgspec.Struct):
    id: UUID
    patient_profile_id: UUID
    caregiver_human_id: UUID
    relationship: Relationship
    permissions: list[CaregiverPermission]
    starts_at: datetime
    ends_at: datetime | None
    created_at: datetime


class AddCaregiver(Body):
    email: Email
    relationship: Relationship
    permissions: Annotated[list[CaregiverPermission], msgspec.Meta(max_length=3)] = msgspec.field(
        default_factory=list
    )


def changes_of(data: msgspec.Struct) -> str:
    """The fields a PATCH body sets, as the JSON object the people functions take."""
    values = {f: getattr(data, f) for f in data.__struct_fields__}
    return msgspec.json.encode({k: v for k, v in values.items() if v is not None}).decode()


async def _load(db: Db, patient_id: UUID) -> Patient:
    patient = await db.row(Q.patient_by_id, Patient, id=patient_id)
    if patient is None:
        raise ApiError(404, "patient_not_found", "No such patient in this organization.")
    return patient


@get(
    "/v1/orgs/{org_id:uuid}/patients",
    operation_id="patients_list",
    tags=["patients"],
    opt=requires("patients.read"),
)
async def list_patients(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    q: Annotated[
        str | None,
        QueryParameter(
            min_length=1,
            max_length=SEARCH_MAX,
            description=(
                "search: name, phone or email, diacritics and case ignored, typo-tolerant "
                "(at least 3 letters or digits); sorts by relevance (`-rank`) unless `sort` says"
                " otherwise"
            ),
        ),
    ] = None,
    profile_shared: FromQuery[bool | None] = None,
    consumer_id: Annotated[str | None, QueryParameter(min_length=1, max_length=64)] = None,
) -> Page[Patient]:
    """The organization's live patients (`patients.read`), filtered, searched, sorted and
    paginated."""
    filters = {"shared": profile_shared, "consumer_id": consumer_id}
    if q is not None:
        if not q.strip():
            raise ApiError(400, "invalid_search", "Search text cannot be blank.")
        # The cursor is bound to the search: a relevance means nothing for another text.
        return await db.page(Q.patients_search, Patient, listing, cursor_scope=q, q=q, **filters)
    query = Q.patients_list_by_name if _sorts_by_name(listing.sort) else Q.patients_list
    return await db.page(query, Patient, listing, **filters)


def _sorts_by_name(sort: str | None) -> bool:
    """Whether a list order needs the names (which only the gate reads): such orders sort the
    whole organization, the others page through an index."""
    fields = {f.strip().removeprefix("-") for f in (sort or "").split(",")}
    return bool(fields & {"last_name", "first_name"})


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}",
    operation_id="patients_get",
    tags=["patients"],
    opt=requires("patients.read"),
)
async def get_patient(db: NamedDependency[Db], patient_id: FromPath[UUID]) -> Patient:
    """One patient (`patients.read`), through the sharing gate."""
    return await _load(db, patient_id)


@post(
    "/v1/orgs/{org_id:uuid}/patients",
    operation_id="patients_create",
    tags=["patients"],
    opt=requires("patients.manage"),
    responses=PAYMENT_REQUIRED,
)
async def create_patient(
    db: NamedDependency[Db], data: JSONBody[CreatePatient]
) -> Response[Patient]:
    """Register a patient without an account (`patients.manage`; counts against `patients.max`)."""
    patient_id = await db.scalar(
        Q.patient_create,
        first_name=data.first_name,
        last_name=data.last_name,
        phone=data.phone,
        email=data.email,
        consumer_id=data.consumer_id,
        notes=data.notes,
    )
    return Response(await _load(db, patient_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}",
    operation_id="patients_update",
    tags=["patients"],
    opt=requires("patients.manage"),
)
async def update_patient(
    db: NamedDependency[Db], patient_id: FromPath[UUID], data: JSONBody[UpdatePatient]
) -> Patient:
    """Change a patient's reference and notes, or a guest profile's contact fields
    (`patients.manage`)."""
    await db.execute(Q.patient_update, id=patient_id, changes=changes_of(data))
    return await _load(db, patient_id)


@delete(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}",
    operation_id="patients_delete",
    tags=["patients"],
    status_code=204,
    opt=requires("patients.manage"),
)
async def delete_patient(db: NamedDependency[Db], patient_id: FromPath[UUID]) -> Response[None]:
    """Soft-delete a patient (`patients.manage`); the person's profile stays theirs."""
    await db.execute(Q.patient_delete, id=patient_id)
    return Response(None, status_code=204)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/restore",
    operation_id="patients_restore",
    tags=["patients"],
    status_code=200,
    opt=requires("patients.manage"),
    responses=PAYMENT_REQUIRED,
)
async def restore_patient(db: NamedDependency[Db], patient_id: FromPath[UUID]) -> Patient:
    """Bring a soft-deleted patient back (`patients.manage`; counts against `patients.max`)."""
    await db.execute(Q.patient_restore, id=patient_id)
    return await _load(db, patient_id)


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/caregivers",
    operation_id="patient_caregivers_list",
    tags=["patients"],
    opt=requires("patients.read"),
)
async def list_caregivers(db: NamedDependency[Db], patient_id: FromPath[UUID]) -> list[Caregiver]:
    """The caregivers of a patient, active and ended (`patients.read`)."""
    await _load(db, patient_id)
    return await db.rows(Q.caregivers_of_patient, Caregiver, patient=patient_id)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/caregivers",
    operation_id="patient_caregivers_add",
    tags=["patients"],
    opt=requires("patients.manage"),
)
async def add_caregiver(
    db: NamedDependency[Db], patient_id: FromPath[UUID], data: JSONBody[AddCaregiver]
) -> Response[Caregiver]:
    """Record that a human with an account acts for the patient (`patients.manage`)."""
    caregiver_id = await db.scalar(
        Q.caregiver_add,
        patient=patient_id,
        email=data.email,
        relationship=data.relationship,
        permissions=list(data.permissions),
    )
    caregiver = await db.row(Q.caregiver_by_id, Caregiver, id=caregiver_id)
    return Response(caregiver, status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/caregivers/{caregiver_id:uuid}",
    operation_id="patient_caregivers_remove",
    tags=["patients"],
    status_code=204,
    opt=requires("patients.manage"),
)
async def remove_caregiver(
    db: NamedDependency[Db], patient_id: FromPath[UUID], caregiver_id: FromPath[UUID]
) -> Response[None]:
    """End a caregiver's link (`patients.manage`): they stop acting for the patient at once."""
    await db.execute(Q.caregiver_end, patient=patient_id, id=caregiver_id)
    return Response(None, status_code=204)
