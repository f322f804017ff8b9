"""Specialists of an organization (with their specialties and signature) and its specialty
list. Any member reads them (the policies); every write is a people function that checks
`specialists.manage` held through a membership role. The signature goes through the one
upload path of the storage domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import PAYMENT_REQUIRED, STORAGE, Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
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

Q = catalogue("people")

SIGNATURE = "specialist_signature"
SignatureType = Literal[tuple(sorted(PURPOSES[SIGNATURE].mime_types))]

DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Bio = Annotated[str, msgspec.Meta(max_length=4000)]
# The shape of an IANA name; the database checks the zone exists (invalid_timezone).
TimeZone = Annotated[
    str,
    msgspec.Meta(
        max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+/-]{0,63}$", examples=["Europe/Bucharest"]
    ),
]
SpecialtyCode = Annotated[str, msgspec.Meta(max_length=63, pattern=r"^[a-z][a-z0-9_]{1,62}$")]
SpecialtyName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Locale = Literal["en", "ro"]


class SpecialtyText(Body):
    """A specialty's translatable fields in one locale."""

    name: SpecialtyName


class Specialist(msgspec.Struct):
    id: UUID
    organization_id: UUID
    human_id: UUID | None
    display_name: str
    title: str | None
    bio: str | None
    scheduling_timezone: str
    scheduling_active: bool
    has_signature: bool
    specialty_ids: list[UUID]
    created_at: datetime
    updated_at: datetime


class CreateSpecialist(Body):
    display_name: DisplayName
    title: Title | None = None
    bio: Bio | None = None
    scheduling_timezone: TimeZone = "Europe/Bucharest"
    scheduling_active: bool = False
    human_id: UUID | None = None


class UpdateSpecialist(Body):
    """Fields left out stay as they are; null clears `title`, `bio` or `human_id`."""

    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType | None = msgspec.UNSET
    bio: Bio | msgspec.UnsetType | None = msgspec.UNSET
    scheduling_timezone: TimeZone | msgspec.UnsetType = msgspec.UNSET
    scheduling_active: bool | msgspec.UnsetType = msgspec.UNSET
    human_id: UUID | msgspec.UnsetType | None = msgspec.UNSET


class SetSpecialties(Body):
    specialty_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)]


class Specialty(msgspec.Struct):
    id: UUID
    organization_id: UUID
    code: str
    name: str
    translations: dict[Locale, SpecialtyText]
    created_at: datetime
    updated_at: datetime


class CreateSpecialty(Body):
    code: SpecialtyCode
    name: SpecialtyName
    translations: dict[Locale, SpecialtyText] = msgspec.field(default_factory=dict)


class UpdateSpecialty(Body):
    """Fields left out stay as they are; `translations` replaces the whole object."""

    code: SpecialtyCode | msgspec.UnsetType = msgspec.UNSET
    name: SpecialtyName | msgspec.UnsetType = msgspec.UNSET
    translations: dict[Locale, SpecialtyText] | msgspec.UnsetType = msgspec.UNSET


class RequestSignatureUpload(Body):
    content_type: SignatureType


def _changes(data: msgspec.Struct) -> str:
    """The fields a PATCH body names (null included), as the JSON object the functions take."""
    return msgspec.json.encode(
        {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    ).decode()


async def _specialist(db: Db, specialist_id: UUID) -> Specialist:
    found = await db.row(
        Q.specialists_list, Specialist, id=specialist_id, active=None, human=None, specialty=None
    )
    if found is None:
        raise ApiError(404, "specialist_not_found", "No such specialist in this organization.")
    return found


async def _specialty(db: Db, specialty_id: UUID) -> Specialty:
    found = await db.row(Q.specialties_list, Specialty, id=specialty_id)
    if found is None:
        raise ApiError(404, "specialty_not_found", "No such specialty in this organization.")
    return found


async def _signature(db: Db, specialist_id: UUID) -> FileRow:
    found = await db.row(Q.signature_of_specialist, FileRow, specialist=specialist_id)
    if found is None:
        raise ApiError(404, "signature_not_set", "This specialist has no signature you may read.")
    return found


@get("/v1/orgs/{org_id:uuid}/specialists", operation_id="specialists_list", tags=["specialists"])
async def list_specialists(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    scheduling_active: FromQuery[bool | None] = None,
    specialty_id: FromQuery[UUID | None] = None,
    human_id: FromQuery[UUID | None] = None,
) -> Page[Specialist]:
    """The organization's live specialists (any member), filtered, sorted and paginated."""
    return await db.page(
        Q.specialists_list,
        Specialist,
        listing,
        id=None,
        active=scheduling_active,
        human=human_id,
        specialty=specialty_id,
    )


@get(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}",
    operation_id="specialists_get",
    tags=["specialists"],
)
async def get_specialist(db: NamedDependency[Db], specialist_id: FromPath[UUID]) -> Specialist:
    """One live specialist (any member)."""
    return await _specialist(db, specialist_id)


@post(
    "/v1/orgs/{org_id:uuid}/specialists",
    operation_id="specialists_create",
    tags=["specialists"],
    opt=requires("specialists.manage"),
    responses=PAYMENT_REQUIRED,
)
async def create_specialist(
    db: NamedDependency[Db], data: JSONBody[CreateSpecialist]
) -> Response[Specialist]:
    """Add a specialist (`specialists.manage`; counts against `specialists.max`), optionally
    linked to the login of an active member."""
    specialist_id = await db.scalar(
        Q.specialist_create,
        display_name=data.display_name,
        title=data.title,
        bio=data.bio,
        scheduling_timezone=data.scheduling_timezone,
        scheduling_active=data.scheduling_active,
        human_id=data.human_id,
    )
    return Response(await _specialist(db, specialist_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}",
    operation_id="specialists_update",
    tags=["specialists"],
    opt=requires("specialists.manage"),
)
async def update_specialist(
    db: NamedDependency[Db], specialist_id: FromPath[UUID], data: JSONBody[UpdateSpecialist]
) -> Specialist:
    """Change a specialist's fields (`specialists.manage`)."""
    await db.execute(Q.specialist_update, id=specialist_id, changes=_changes(data))
    return await _specialist(db, specialist_id)


@delete(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}",
    operation_id="specialists_delete",
    tags=["specialists"],
    status_code=204,
    opt=requires("specialists.manage"),
)
async def delete_specialist(
    db: NamedDependency[Db], specialist_id: FromPath[UUID]
) -> Response[None]:
    """Soft-delete a specialist (`specialists.manage`)."""
    await db.execute(Q.specialist_delete, id=specialist_id)
    return Response(None, status_code=204)


@post(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/restore",
    operation_id="specialists_restore",
    tags=["specialists"],
    status_code=200,
    opt=requires("specialists.manage"),
    responses=PAYMENT_REQUIRED,
)
async def restore_specialist(db: NamedDependency[Db], specialist_id: FromPath[UUID]) -> Specialist:
    """Bring a soft-deleted specialist back (`specialists.manage`; `specialists.max`)."""
    await db.execute(Q.specialist_restore, id=specialist_id)
    return await _specialist(db, specialist_id)


@put(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/specialties",
    operation_id="specialist_specialties_set",
    tags=["specialists"],
    opt=requires("specialists.manage"),
)
async def set_specialties(
    db: NamedDependency[Db], specialist_id: FromPath[UUID], data: JSONBody[SetSpecialties]
) -> Specialist:
    """Replace a specialist's specialties with this set of the organization's own
    (`specialists.manage`); another organization's specialty is 422 `specialty_unknown`."""
    await db.execute(
        Q.specialist_specialties_set, id=specialist_id, specialty_ids=list(data.specialty_ids)
    )
    return await _specialist(db, specialist_id)


@post(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/signature",
    operation_id="specialist_signature_upload_request",
    tags=["specialists"],
    opt=requires("specialists.manage"),
    responses=STORAGE,
)
async def request_signature_upload(
    db: NamedDependency[Db],
    specialist_id: FromPath[UUID],
    data: JSONBody[RequestSignatureUpload],
    request: Request,
) -> Response[FileUpload]:
    """An upload form for a specialist's signature (`specialists.manage`): valid 5 minutes,
    for one PNG or JPEG of at most 1 MiB of the declared type. Confirm it once uploaded."""
    return await start_upload(
        db,
        request,
        SIGNATURE,
        data.content_type,
        Q.signature_upload_begin,
        specialist=specialist_id,
    )


@post(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/signature/{file_id:uuid}/confirm",
    operation_id="specialist_signature_upload_confirm",
    tags=["specialists"],
    status_code=200,
    opt=requires("specialists.manage"),
    responses={**STORAGE, **PAYMENT_REQUIRED},
)
async def confirm_signature_upload(
    db: NamedDependency[Db],
    specialist_id: FromPath[UUID],
    file_id: FromPath[UUID],
    request: Request,
) -> Response[StoredFile]:
    """Check the uploaded bytes (`specialists.manage`): a PNG or JPEG of the declared type
    within 1 MiB becomes the specialist's signature, replacing the previous one; anything else
    is deleted and answered with 422 `upload_rejected` (`details.reason`)."""
    await _specialist(db, specialist_id)
    refused = await confirm_upload(db, request, file_id, SIGNATURE)
    if refused is not None:
        return refused
    await db.execute(Q.signature_set, specialist=specialist_id, file=file_id)
    return Response(read_link(db, request, await _signature(db, specialist_id)), status_code=200)


@get(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/signature",
    operation_id="specialist_signature_get",
    tags=["specialists"],
    responses=STORAGE,
)
async def get_signature(
    db: NamedDependency[Db], specialist_id: FromPath[UUID], request: Request
) -> StoredFile:
    """The signature with a read link valid 15 minutes, for members holding
    `specialists.manage` and the specialist themselves; 404 `signature_not_set` otherwise."""
    await _specialist(db, specialist_id)
    return read_link(db, request, await _signature(db, specialist_id))


@delete(
    "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/signature",
    operation_id="specialist_signature_remove",
    tags=["specialists"],
    status_code=204,
    opt=requires("specialists.manage"),
)
async def remove_signature(
    db: NamedDependency[Db], specialist_id: FromPath[UUID]
) -> Response[None]:
    """Remove a specialist's signature (`specialists.manage`); the sweep removes its bytes."""
    await db.execute(Q.signature_remove, specialist=specialist_id)
    return Response(None, status_code=204)


@get("/v1/orgs/{org_id:uuid}/specialties", operation_id="specialties_list", tags=["specialists"])
async def list_specialties(
    db: NamedDependency[Db], listing: NamedDependency[Listing]
) -> Page[Specialty]:
    """The organization's specialties with their translations (any member)."""
    return await db.page(Q.specialties_list, Specialty, listing, id=None)


@post(
    "/v1/orgs/{org_id:uuid}/specialties",
    operation_id="specialties_create",
    tags=["specialists"],
    opt=requires("specialists.manage"),
)
async def create_specialty(
    db: NamedDependency[Db], data: JSONBody[CreateSpecialty]
) -> Response[Specialty]:
    """Add a specialty (`specialists.manage`); the code is unique in the organization."""
    specialty_id = await db.scalar(
        Q.specialty_create,
        code=data.code,
        name=data.name,
        translations=msgspec.json.encode(data.translations).decode(),
    )
    return Response(await _specialty(db, specialty_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/specialties/{specialty_id:uuid}",
    operation_id="specialties_update",
    tags=["specialists"],
    opt=requires("specialists.manage"),
)
async def update_specialty(
    db: NamedDependency[Db], specialty_id: FromPath[UUID], data: JSONBody[UpdateSpecialty]
) -> Specialty:
    """Change a specialty's code, name or translations (`specialists.manage`)."""
    await db.execute(Q.specialty_update, id=specialty_id, changes=_changes(data))
    return await _specialty(db, specialty_id)


@delete(
    "/v1/orgs/{org_id:uuid}/specialties/{specialty_id:uuid}",
    operation_id="specialties_delete",
    tags=["specialists"],
    status_code=204,
    opt=requires("specialists.manage"),
)
async def delete_specialty(db: NamedDependency[Db], specialty_id: FromPath[UUID]) -> Response[None]:
    """Delete a specialty and its links to specialists (`specialists.manage`)."""
    await db.execute(Q.specialty_delete, id=specialty_id)
    return Response(None, status_code=204)
