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

from app.api.common import IN_ORG, Body, Code, Description, Name
from app.api.errors import ApiError
from app.api.scope import Db
from app.crypto import FieldContext
from app.domains.billing.entitlements import require_org_entitlement

Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
TaxId = Annotated[str, msgspec.Meta(min_length=2, max_length=32, pattern=r"^[A-Za-z0-9 -]+$")]
Color = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-f]{6}$")]
Zone = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
LimitValue = Annotated[int, msgspec.Meta(ge=0, le=10**12)]


class Entitlement(msgspec.Struct):
    code: str
    scope: str
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
    updated_at: datetime


class UpdateSettings(Body):
    timezone: Zone | None = None
    default_locale: Literal["en", "ro"] | None = None
    week_starts_on: Annotated[int, msgspec.Meta(ge=0, le=6)] | None = None
    booking_lead_minutes: Annotated[int, msgspec.Meta(ge=0, le=43200)] | None = None
    cancellation_notice_hours: Annotated[int, msgspec.Meta(ge=0, le=720)] | None = None
    brand_color: Color | None = None


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
    id: str
    code: str
    name: str
    description: str
    is_default: bool
    status: str
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


@get("/v1/orgs/{org_id:uuid}/entitlements", **IN_ORG, tags=["billing"])
async def get_entitlements(db: NamedDependency[Db]) -> Entitlements:
    """The effective entitlements and limits of the organization, and where each came from."""
    tier = await db.value(
        "SELECT t.code FROM billing.organization_billing AS b"
        " JOIN billing.tiers AS t ON t.id = b.current_tier_id"
        " WHERE b.organization_id = %s",
        (db.org_id,),
    )
    rows = await db.all(
        "SELECT e.code, c.scope, e.enabled, e.source FROM billing.effective_entitlements(%s) AS e"
        " JOIN billing.entitlements AS c ON c.code = e.code ORDER BY c.scope, e.code",
        (db.org_id,),
    )
    limits = await db.all(
        """
        SELECT d.code, l.value, l.source,
               CASE WHEN d.code = 'members.max'
                         OR EXISTS (SELECT 1 FROM metering.meters AS m WHERE m.limit_code = d.code)
                    THEN billing.limit_usage(%(org)s, d.code) END
        FROM billing.limit_definitions AS d
        CROSS JOIN LATERAL billing.effective_limit(%(org)s, d.code) AS l
        ORDER BY d.code
        """,
        {"org": db.org_id},
    )
    return Entitlements(tier, [Entitlement(*r) for r in rows], [Limit(*r) for r in limits])


SETTINGS_SQL = """
SELECT timezone, default_locale, week_starts_on, booking_lead_minutes, cancellation_notice_hours,
       brand_color, updated_at
FROM tenancy.organization_settings WHERE organization_id = %s
"""


@get("/v1/orgs/{org_id:uuid}/settings", **IN_ORG, tags=["billing"])
async def get_settings(db: NamedDependency[Db]) -> Settings:
    """The organization's settings."""
    row = await db.one(SETTINGS_SQL, (db.org_id,))
    if row is None:
        raise ApiError(404, "not_found", "No settings for this organization.")
    return Settings(*row)


@patch("/v1/orgs/{org_id:uuid}/settings", **IN_ORG, tags=["billing"])
async def update_settings(db: NamedDependency[Db], data: JSONBody[UpdateSettings]) -> Settings:
    """Change settings (`organizations.update_settings`)."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
    await db.value(
        "SELECT tenancy.update_settings(%s::jsonb)", (msgspec.json.encode(changes).decode(),)
    )
    return Settings(*await db.one(SETTINGS_SQL, (db.org_id,)))


BILLING_SQL = """
SELECT b.legal_name, b.billing_email::text, b.address_line, b.city, b.country, b.tax_id_encrypted,
       t.code, b.updated_at
FROM billing.organization_billing AS b LEFT JOIN billing.tiers AS t ON t.id = b.current_tier_id
WHERE b.organization_id = %s
"""


def _tax_context(org_id: FromPath[str]) -> FieldContext:
    return FieldContext(
        "billing.organization_billing", "tax_id_encrypted", UUID(org_id), UUID(org_id)
    )


async def _billing(request: Request, db: Db) -> BillingProfile:
    row = await db.one(BILLING_SQL, (db.org_id,))
    if row is None:
        raise ApiError(403, "permission_denied", "This needs the billing.read permission.")
    legal_name, email, address, city, country, tax_encrypted, tier, updated_at = row
    tax_id = None
    if tax_encrypted is not None:
        cipher = request.app.state.resources.field_cipher()
        tax_id = await asyncio.to_thread(
            cipher.decrypt_text, bytes(tax_encrypted), _tax_context(db.org_id)
        )
    return BillingProfile(legal_name, email, address, city, country, tax_id, tier, updated_at)


@get("/v1/orgs/{org_id:uuid}/billing", **IN_ORG, tags=["billing"])
async def get_billing(db: NamedDependency[Db], request: Request) -> BillingProfile:
    """The billing profile, tax id decrypted (`billing.read` or `organizations.manage_billing`)."""
    return await _billing(request, db)


@put("/v1/orgs/{org_id:uuid}/billing", **IN_ORG, tags=["billing"])
async def update_billing(
    db: NamedDependency[Db], data: JSONBody[UpdateBillingProfile], request: Request
) -> BillingProfile:
    """Change the billing profile (`organizations.manage_billing`); the tax id is encrypted."""
    await db.require_permission("organizations.manage_billing")
    encrypted = None
    if data.tax_id is not None:
        cipher = request.app.state.resources.field_cipher()
        encrypted = await asyncio.to_thread(
            cipher.encrypt_text, data.tax_id, _tax_context(db.org_id)
        )
    await db.value(
        "SELECT billing.update_billing_profile(%s, %s, %s, %s, %s, %s, %s)",
        (
            data.legal_name,
            data.billing_email,
            data.address_line,
            data.city,
            data.country,
            encrypted,
            data.tax_id is not None,
        ),
    )
    return await _billing(request, db)


PATIENT_TIER_SQL = """
SELECT t.id::text, t.code, t.name, t.description, t.is_default, t.status, coalesce(v.version, 0),
       coalesce((SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
                 FROM billing.patient_tier_entitlements AS e
                 WHERE e.patient_tier_version_id = v.id), '{}'),
       coalesce((SELECT jsonb_object_agg(l.limit_code, l.value)
                 FROM billing.patient_tier_limits AS l
                 WHERE l.patient_tier_version_id = v.id), '{}')
FROM billing.patient_tiers AS t
LEFT JOIN LATERAL (
    SELECT pv.id, pv.version FROM billing.patient_tier_versions AS pv
    WHERE pv.patient_tier_id = t.id ORDER BY pv.version DESC LIMIT 1
) AS v ON true
WHERE t.organization_id = %s
"""


async def _patient_tier(db: Db, tier_id: FromPath[str]) -> PatientTier:
    row = await db.one(PATIENT_TIER_SQL + " AND t.id = %s", (db.org_id, tier_id))
    if row is None:
        raise ApiError(404, "not_found", "No such patient tier in this organization.")
    return PatientTier(*row)


@get("/v1/orgs/{org_id:uuid}/patient-tiers", **IN_ORG, tags=["billing"])
async def list_patient_tiers(db: NamedDependency[Db]) -> list[PatientTier]:
    """The organization's patient tiers with their current version (`patient_tiers.read`)."""
    rows = await db.all(PATIENT_TIER_SQL + " ORDER BY t.is_default DESC, t.code", (db.org_id,))
    return [PatientTier(*row) for row in rows]


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


@post("/v1/orgs/{org_id:uuid}/patient-tiers", **IN_ORG, tags=["billing"])
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
    tier_id = await db.value(
        "SELECT billing.save_patient_tier(NULL, %s, %s, %s, %s::jsonb, %s::jsonb, %s)",
        (
            data.code,
            data.name,
            data.description,
            _json(data.entitlements),
            _json(data.limits),
            data.is_default,
        ),
    )
    return Response(await _patient_tier(db, str(tier_id)), status_code=201)


@patch("/v1/orgs/{org_id:uuid}/patient-tiers/{tier_id:uuid}", **IN_ORG, tags=["billing"])
async def update_patient_tier(
    db: NamedDependency[Db], tier_id: FromPath[UUID], data: JSONBody[SavePatientTier]
) -> PatientTier:
    """Edit a patient tier; new perks or limits publish a new version."""
    await require_org_entitlement(db, "patient_portal")
    if data.code is not None:
        raise ApiError(422, "code_immutable", "A patient tier's code does not change.")
    await db.value(
        "SELECT billing.save_patient_tier(%s, NULL, %s, %s, %s::jsonb, %s::jsonb, %s)",
        (
            str(tier_id),
            data.name,
            data.description,
            _json(data.entitlements),
            _json(data.limits),
            data.is_default,
        ),
    )
    return await _patient_tier(db, str(tier_id))
