"""A clinic's own billing surfaces: effective entitlements, settings, billing profile and
patient tiers."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body, Code, Description, Name
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.crypto import FieldContext
from app.db.queries import catalogue
from app.domains.billing.entitlements import require_org_entitlement

Q = catalogue("billing")

Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
TaxId = Annotated[str, msgspec.Meta(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9 -]+$")]
Color = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-f]{6}$")]
Zone = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
LimitValue = Annotated[int, msgspec.Meta(ge=0, le=10**12)]


class Entitlement(msgspec.Struct):
    code: str
    scope: Literal["tier", "org", "patient"]
    enabled: bool
    source: str


class Limit(msgspec.Struct):
    code: str
    value: int | None
    source: str
    usage: int | None


class Entitlements(msgspec.Struct):
    tier: str | None
    entitlements: list[Entitlement]
    limits: list[Limit]


class Settings(msgspec.Struct):
    timezone: str
    default_locale: str
    week_starts_on: int
    booking_lead_minutes: int
    cancellation_notice_hours: int
    brand_color: str | None
    calendar_feed_patient_names: bool
    updated_at: datetime


class UpdateSettings(Body):
    timezone: Zone | None = None
    default_locale: Literal["en", "ro"] | None = None
    week_starts_on: Annotated[int, msgspec.Meta(ge=0, le=6)] | None = None
    booking_lead_minutes: Annotated[int, msgspec.Meta(ge=0, le=43200)] | None = None
    cancellation_notice_hours: Annotated[int, msgspec.Meta(ge=0, le=720)] | None = None
    brand_color: Color | None = None
    calendar_feed_patient_names: bool | None = None


class BillingRow(msgspec.Struct):
    legal_name: str | None
    billing_email: str | None
    address_line: str | None
    city: str | None
    country: str
    tax_id_encrypted: bytes | None
    tier: str | None
    updated_at: datetime


class BillingProfile(msgspec.Struct):
    legal_name: str | None
    billing_email: str | None
    address_line: str | None
    city: str | None
    country: str
    tax_id: str | None
    tier: str | None
    updated_at: datetime


class UpdateBillingProfile(Body):
    legal_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    billing_email: (
        Annotated[str, msgspec.Meta(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None
    ) = None
    address_line: Annotated[str, msgspec.Meta(max_length=300)] | None = None
    city: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    country: Country | None = None
    tax_id: TaxId | None = None


class PatientTier(msgspec.Struct):
    id: UUID
    code: str
    name: str
    description: str
    is_default: bool
    status: Literal["active", "retired"]
    version: int
    entitlements: dict[str, bool]
    limits: dict[str, int | None]


class SavePatientTier(Body):
    code: Code | None = None
    name: Name | None = None
    description: Description | None = None
    entitlements: Annotated[dict[Code, bool], msgspec.Meta(max_length=50)] | None = None
    limits: Annotated[dict[str, LimitValue | None], msgspec.Meta(max_length=50)] | None = None
    is_default: bool | None = None


@get("/v1/orgs/{org_id:uuid}/entitlements", operation_id="entitlements_get", tags=["billing"])
async def get_entitlements(db: NamedDependency[Db]) -> Entitlements:
    """The effective entitlements and limits of the organization, and where each came from."""
    return Entitlements(
        await db.scalar(Q.current_tier),
        await db.rows(Q.entitlements_effective, Entitlement),
        await db.rows(Q.limits_effective, Limit),
    )


async def _settings(db: Db) -> Settings:
    settings = await db.row(Q.settings_get, Settings)
    if settings is None:
        raise ApiError(404, "not_found", "No settings for this organization.")
    return settings


@get("/v1/orgs/{org_id:uuid}/settings", operation_id="settings_get", tags=["billing"])
async def get_settings(db: NamedDependency[Db]) -> Settings:
    """The organization's settings."""
    return await _settings(db)


@patch("/v1/orgs/{org_id:uuid}/settings", operation_id="settings_update", tags=["billing"])
async def update_settings(db: NamedDependency[Db], data: JSONBody[UpdateSettings]) -> Settings:
    """Change settings (`organizations.update_settings`)."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
    await db.execute(Q.settings_update, changes=msgspec.json.encode(changes).decode())
    return await _settings(db)


def _tax_context(org_id: str) -> FieldContext:
    return FieldContext(
        "billing.organization_billing", "tax_id_encrypted", UUID(org_id), UUID(org_id)
    )


async def _billing(request: Request, db: Db) -> BillingProfile:
    row = await db.row(Q.billing_profile, BillingRow)
    if row is None:
        raise ApiError(404, "not_found", "This organization has no billing profile.")
    tax_id = None
    if row.tax_id_encrypted is not None:
        cipher = request.app.state.resources.field_cipher()
        tax_id = await asyncio.to_thread(
            cipher.decrypt_text, bytes(row.tax_id_encrypted), _tax_context(db.org_id)
        )
    return BillingProfile(
        legal_name=row.legal_name,
        billing_email=row.billing_email,
        address_line=row.address_line,
        city=row.city,
        country=row.country,
        tax_id=tax_id,
        tier=row.tier,
        updated_at=row.updated_at,
    )


@get(
    "/v1/orgs/{org_id:uuid}/billing",
    operation_id="billing_profile_get",
    tags=["billing"],
    opt=requires("billing.read", "organizations.manage_billing"),
)
async def get_billing(db: NamedDependency[Db], request: Request) -> BillingProfile:
    """The billing profile, tax id decrypted (`billing.read` or `organizations.manage_billing`)."""
    return await _billing(request, db)


@put(
    "/v1/orgs/{org_id:uuid}/billing",
    operation_id="billing_profile_update",
    tags=["billing"],
    opt=requires("organizations.manage_billing"),
)
async def update_billing(
    db: NamedDependency[Db], data: JSONBody[UpdateBillingProfile], request: Request
) -> BillingProfile:
    """Change the billing profile (`organizations.manage_billing`); the tax id is encrypted."""
    encrypted = None
    if data.tax_id is not None:
        cipher = request.app.state.resources.field_cipher()
        encrypted = await asyncio.to_thread(
            cipher.encrypt_text, data.tax_id, _tax_context(db.org_id)
        )
    await db.execute(
        Q.billing_profile_update,
        legal_name=data.legal_name,
        billing_email=data.billing_email,
        address_line=data.address_line,
        city=data.city,
        country=data.country,
        tax_id_encrypted=encrypted,
        set_tax_id=data.tax_id is not None,
    )
    return await _billing(request, db)


async def _patient_tier(db: Db, tier_id: UUID) -> PatientTier:
    tier = await db.row(Q.patient_tier_by_id, PatientTier, id=tier_id)
    if tier is None:
        raise ApiError(404, "not_found", "No such patient tier in this organization.")
    return tier


@get("/v1/orgs/{org_id:uuid}/patient-tiers", operation_id="patient_tiers_list", tags=["billing"])
async def list_patient_tiers(db: NamedDependency[Db]) -> list[PatientTier]:
    """The organization's patient tiers with their current version (`patient_tiers.read`)."""
    return await db.rows(Q.patient_tiers_list, PatientTier)


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


@post("/v1/orgs/{org_id:uuid}/patient-tiers", operation_id="patient_tiers_create", tags=["billing"])
async def create_patient_tier(
    db: NamedDependency[Db], data: JSONBody[SavePatientTier]
) -> Response[PatientTier]:
    """Define a patient tier (`patient_tiers.manage`; needs the patient_portal org entitlement)."""
    await require_org_entitlement(db, "patient_portal")
    if data.code is None or data.name is None:
        raise ApiError(
            400,
            "validation_failed",
            "A new patient tier needs a code and a name.",
            {
                "fields": [
                    {"field": f, "source": "body", "message": "required"}
                    for f in ("code", "name")
                    if getattr(data, f) is None
                ]
            },
        )
    tier_id = await db.scalar(
        Q.patient_tier_save,
        id=None,
        code=data.code,
        name=data.name,
        description=data.description,
        entitlements=_json(data.entitlements),
        limits=_json(data.limits),
        is_default=data.is_default,
    )
    return Response(await _patient_tier(db, tier_id), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/patient-tiers/{tier_id:uuid}",
    operation_id="patient_tiers_update",
    tags=["billing"],
)
async def update_patient_tier(
    db: NamedDependency[Db], tier_id: FromPath[UUID], data: JSONBody[SavePatientTier]
) -> PatientTier:
    """Edit a patient tier; new perks or limits publish a new version."""
    await require_org_entitlement(db, "patient_portal")
    if data.code is not None:
        raise ApiError(422, "code_immutable", "A patient tier's code does not change.")
    await db.scalar(
        Q.patient_tier_save,
        id=tier_id,
        code=None,
        name=data.name,
        description=data.description,
        entitlements=_json(data.entitlements),
        limits=_json(data.limits),
        is_default=data.is_default,
    )
    return await _patient_tier(db, tier_id)
