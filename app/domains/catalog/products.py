"""Products: a reference catalog (name, SKU unique among the organization's live products,
price). List, get, create, edit, soft delete; no stock, no fulfilment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page, contains_pattern
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.common import Amount, Currency, ItemName, LongText, fields_of

Q = catalogue("catalog")

Sku = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")]


class Product(msgspec.Struct):
    id: UUID
    organization_id: UUID
    name: str
    description: str
    sku: str
    price_amount: int
    currency: str
    active: bool
    created_at: datetime
    updated_at: datetime


class CreateProduct(Body, kw_only=True):
    name: ItemName
    description: LongText | None = None
    sku: Sku
    price_amount: Amount | None = None
    currency: Currency
    active: bool | None = None


class UpdateProduct(Body, kw_only=True):
    """Fields left out (or null) stay as they are."""

    name: ItemName | None = None
    description: LongText | None = None
    sku: Sku | None = None
    price_amount: Amount | None = None
    currency: Currency | None = None
    active: bool | None = None


async def _load(db: Db, product_id: UUID) -> Product:
    product = await db.row(Q.product_by_id, Product, id=product_id)
    if product is None:
        raise ApiError(404, "product_not_found", "No such product in this organization.")
    return product


@get(
    "/v1/orgs/{org_id:uuid}/products",
    operation_id="products_list",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def list_products(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    q: Annotated[
        str | None,
        QueryParameter(min_length=1, max_length=200, description="name or SKU contains"),
    ] = None,
    active: FromQuery[bool | None] = None,
) -> Page[Product]:
    """The organization's live products (`catalog.read`)."""
    return await db.page(
        Q.products_list,
        Product,
        listing,
        active=active,
        pattern=contains_pattern(q) if q else None,
    )


@get(
    "/v1/orgs/{org_id:uuid}/products/{product_id:uuid}",
    operation_id="products_get",
    tags=["catalog"],
    opt=requires("catalog.read"),
)
async def get_product(db: NamedDependency[Db], product_id: FromPath[UUID]) -> Product:
    """One live product (`catalog.read`)."""
    return await _load(db, product_id)


@post(
    "/v1/orgs/{org_id:uuid}/products",
    operation_id="products_create",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def create_product(
    db: NamedDependency[Db], data: JSONBody[CreateProduct]
) -> Response[Product]:
    """Add a product (`catalog.manage`); its SKU is unique among the live products."""
    product_id = await db.scalar(Q.product_save, id=None, fields=fields_of(data))
    return Response(await _load(db, product_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/products/{product_id:uuid}",
    operation_id="products_update",
    tags=["catalog"],
    opt=requires("catalog.manage"),
)
async def update_product(
    db: NamedDependency[Db], product_id: FromPath[UUID], data: JSONBody[UpdateProduct]
) -> Product:
    """Change a live product (`catalog.manage`)."""
    await db.scalar(Q.product_save, id=product_id, fields=fields_of(data))
    return await _load(db, product_id)


@delete(
    "/v1/orgs/{org_id:uuid}/products/{product_id:uuid}",
    operation_id="products_delete",
    tags=["catalog"],
    status_code=204,
    opt=requires("catalog.manage"),
)
async def delete_product(db: NamedDependency[Db], product_id: FromPath[UUID]) -> Response[None]:
    """Soft-delete a product (`catalog.manage`); plan versions that bundle it keep it."""
    await db.execute(Q.product_delete, id=product_id)
    return Response(None, status_code=204)
