"""The person's side: /v1/me/profiles (one's own and cared-for profiles) and /v1/me/patients
(the organizations where they, or someone they care for, are a patient)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body, Email
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.people.patients import PersonName, Phone, Relationship, changes_of

Q = catalogue("people")

Sex = Literal["female", "male", "other", "unknown"]
Locale = Literal["en", "ro"]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
City = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
PostalCode = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
ContactName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class Profile(msgspec.Struct):
    id: UUID
    own: bool | None
    relationship: Relationship | None
    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: Sex | None
    phone: str | None
    email: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    locale: Locale | None
    address_line: str | None
    city: str | None
    postal_code: str | None
    country: str | None
    created_at: datetime
    updated_at: datetime


class ProfileFields(Body):
    date_of_birth: date | None = None
    sex: Sex | None = None
    phone: Phone | None = None
    email: Email | None = None
    emergency_contact_name: ContactName | None = None
    emergency_contact_phone: Phone | None = None
    locale: Locale | None = None
    address_line: Line | None = None
    city: City | None = None
    postal_code: PostalCode | None = None
    country: Country | None = None


class CreateProfile(ProfileFields, kw_only=True):
    """Without `relationship`: your own profile. With one: a profile of someone you care for."""

    first_name: PersonName
    last_name: PersonName
    relationship: Relationship | None = None


class UpdateProfile(ProfileFields, kw_only=True):
    """Fields left out (or null) stay as they are."""

    first_name: PersonName | None = None
    last_name: PersonName | None = None


class MyPatient(msgspec.Struct):
    """`tier_code` / `tier_name`: the patient tier of the active subscription (null: none)."""

    id: UUID
    organization_id: UUID
    patient_profile_id: UUID
    profile_shared: bool
    tier_code: str | None
    tier_name: str | None
    created_at: datetime


async def _profile(db: Db, profile_id: UUID) -> Profile:
    rows = await db.rows(Q.my_profiles, Profile, id=profile_id)
    if not rows:
        raise ApiError(404, "profile_not_found", "No such profile of yours.")
    return rows[0]


@get("/v1/me/profiles", operation_id="my_profiles_list", tags=["me"])
async def list_my_profiles(db: NamedDependency[Db]) -> list[Profile]:
    """Your own profile (first) and the profiles you are an active caregiver of."""
    return await db.rows(Q.my_profiles, Profile, id=None)


@post("/v1/me/profiles", operation_id="my_profiles_create", tags=["me"])
async def create_my_profile(
    db: NamedDependency[Db], data: JSONBody[CreateProfile]
) -> Response[Profile]:
    """Create your own profile, or (with `relationship`) one of a person you care for."""
    fields = msgspec.json.decode(changes_of(data))
    relationship = fields.pop("relationship", None)
    profile_id = await db.scalar(
        Q.my_profile_create,
        fields=msgspec.json.encode(fields).decode(),
        relationship=relationship,
    )
    return Response(await _profile(db, profile_id), status_code=201)


@patch("/v1/me/profiles/{profile_id:uuid}", operation_id="my_profiles_update", tags=["me"])
async def update_my_profile(
    db: NamedDependency[Db], profile_id: FromPath[UUID], data: JSONBody[UpdateProfile]
) -> Profile:
    """Change your own profile or one you are an active caregiver of."""
    await db.execute(Q.my_profile_update, id=profile_id, changes=changes_of(data))
    return await _profile(db, profile_id)


@get("/v1/me/patients", operation_id="my_patients_list", tags=["me"])
async def list_my_patients(db: NamedDependency[Db]) -> list[MyPatient]:
    """The organizations where you, or someone you care for, are a patient."""
    return await db.rows(Q.my_patients, MyPatient)
