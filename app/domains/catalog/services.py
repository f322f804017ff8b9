"""Services of an organization: list with filters, get, create, edit, soft delete, restore.
Every write goes through a catalog function that checks `catalog.manage`; each one drops the
organization's cached public listing after the commit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.common import PAYMENT_REQUIRED, Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page, contains_pattern
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.common import (
    Amount,
    Currency,
    ItemName,
    LongText,
    Modality,
    SortOrder,
    Translations,
    fields_of,
)

Q = catalogue("catalog")

Minutes = Annotated[int, msgspec.Meta(ge=1, le=1440)]
Buffer = Annotated[int, msgspec.Meta(ge=0, le=480)]


class Service(msgspec.Struct):
    id: UUID
    organization_id: UUID
    name: str
    description: str
    translations: dict[str, dict[str, str]]
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    price_amount: int
    currency: str
    modality: Modality
    bookable_online: bool
    active: bool
    sort_order: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class CreateService(Body, kw_only=True):
    """`price_amount` is in minor units of `currency` (15000 RON is 150.00 lei)."""

    name: ItemName
    description: LongText | None = None
    translations: Translations | None = None
    duration_minutes: Minutes
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None
    price_amount: Amount | None = None
    currency: Currency
    modality: Modality | None = None
    bookable_online: bool | None = None
    active: bool | None = None
    sort_order: SortOrder | None = None


class UpdateService(Body, kw_only=True):
    """Fields left out (or null) stay as they are; `translations` replaces the whole object."""

    name: ItemName | None = None
    description: LongText | None = None
    translations: Translations | None = None
    duration_minutes: Minutes | None = None
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None
    price_amount: Amount | None = None
    currency: Currency | None = None
    modality: Modality | None = None
    bookable_online: bool | None = None
    active: bool | None = None
    sort_order: SortOrder | None = None


def _invalidate_public(request: Request, db: Db) -> None:
    """The organization's cached public listing goes after the commit (app/api/main.py)."""
    request.state.invalidate_orgs = [db.org_id]


async def _load(db: Db, service_id: UUID) -> Service:
    service = await db.row(Q.service_by_id, Service, id=service_id)
    if service is None:
        raise ApiError(404, "service_not_found", "No such service in this organization.")
    return service


@get(
    "/v1/orgs/{org_id:uuid}/services",
    operation_id="services_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_services(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    q: Annotated[
        str | None, QueryParameter(min_length=1, max_length=200, description="name contains")
    ] = None,
    active: FromQuery[bool | None] = None,
    bookable_online: FromQuery[bool | None] = None,
    modality: FromQuery[Modality | None] = None,
) -> Page[Service]:
    """The organization's live services (`catalog.read`), filtered, sorted and paginated."""
    return await db.page(
        Q.services_list,
        Service,
        listing,
        active=active,
        bookable=bookable_online,
        modality=modality,
        pattern=contains_pattern(q) if q else None,
    )


@get(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}",
    operation_id="services_get",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def get_service(db: NamedDependency[Db], service_id: FromPath[UUID]) -> Service:
    """One service (`catalog.read`; a deleted one only to `catalog.manage`)."""
    return await _load(db, service_id)


@post(
    "/v1/orgs/{org_id:uuid}/services",
    operation_id="services_create",
    tags=["catalog"],
    opt=requires("catalog.manage"),
    responses=PAYMENT_REQUIRED,
)
async def create_service(
    request: Request, db: NamedDependency[Db], data: JSONBody[CreateService]
) -> Response[Service]:
    """Add a service (`catalog.manage`; counts against `services.max`)."""
    service_id = await db.scalar(Q.service_create, fields=fields_of(data))
    _invalidate_public(request, db)
    return Response(await _load(db, service_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}",
    operation_id="services_update",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def update_service(
    request: Request,
    db: NamedDependency[Db],
    service_id: FromPath[UUID],
    data: JSONBody[UpdateService],
) -> Service:
    """Change a live service (`catalog.manage`)."""
    await db.execute(Q.service_update, id=service_id, changes=fields_of(data))
    _invalidate_public(request, db)
    return await _load(db, service_id)


@delete(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}",
    operation_id="services_delete",
    tags=["catalog"],
    status_code=204,
    opt=requires("catalog.manage"),
)
async def delete_service(
    request: Request, db: NamedDependency[Db], service_id: FromPath[UUID]
) -> Response[None]:
    """Soft-delete a service (`catalog.manage`); plan versions that include it keep it."""
    await db.execute(Q.service_delete, id=service_id)
    _invalidate_public(request, db)
    return Response(None, status_code=204)


@post(
    "/v1/orgs/{org_id:uuid}/services/{service_id:uuid}/restore",
    operation_id="services_restore",
    tags=["catalog"],
    status_code=200,
    opt=requires("catalog.manage"),
    responses=PAYMENT_REQUIRED,
)
async def restore_service(
    request: Request, db: NamedDependency[Db], service_id: FromPath[UUID]
) -> Service:
    """Bring a soft-deleted service back (`catalog.manage`; counts against `services.max`)."""
    await db.execute(Q.service_restore, id=service_id)
    _invalidate_public(request, db)
    return await _load(db, service_id)
