"""A patient's subscription as its clinic manages it: the tier the patient is on, its
effective perks and limits (the snapshot taken at subscribe time, corrected by live
overrides), and the staff changes: another tier, an override with expiry, the end. The rules
are in SQL (`db/functions/people/50_subscriptions.sql` over billing's engine)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body, Code
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.billing.console import Created, GrantOverride, override_params

Q = catalogue("people")


class PatientTierSubscription(msgspec.Struct):
    id: UUID
    patient_id: UUID
    patient_tier_id: UUID
    tier_code: str
    tier_name: str
    version: int
    status: Literal["active", "ended"]
    started_at: datetime
    current_period_start: datetime
    current_period_end: datetime


class PatientEffectiveValue(msgspec.Struct):
    kind: Literal["entitlement", "limit"]
    code: str
    enabled: bool | None
    value: int | None
    source: str


class PatientPerk(msgspec.Struct):
    code: str
    enabled: bool
    source: Literal["subscription", "override", "none"]


class PatientLimit(msgspec.Struct):
    """`value` null: unlimited."""

    code: str
    value: int | None
    source: Literal["subscription", "override"]


class PatientOverride(msgspec.Struct):
    id: UUID
    entitlement_code: str | None
    limit_code: str | None
    enabled: bool | None
    value: int | None
    reason: str
    granted_by: UUID | None
    expires_at: datetime | None
    created_at: datetime


class PatientSubscription(PatientTierSubscription, kw_only=True):
    """The active subscription with its effective perks and limits and the live overrides."""

    entitlements: list[PatientPerk]
    limits: list[PatientLimit]
    overrides: list[PatientOverride]


class ChangePatientTier(Body):
    tier: Code


async def current_row(db: Db, patient_id: UUID) -> PatientTierSubscription:
    """The patient's active subscription, or 404 (patient_not_found comes from SQL)."""
    row = await db.row(Q.patient_subscription, PatientTierSubscription, id=patient_id)
    if row is None:
        raise ApiError(
            404, "patient_subscription_not_found", "This patient has no active subscription."
        )
    return row


async def _load(db: Db, patient_id: UUID) -> PatientSubscription:
    row = await current_row(db, patient_id)
    values = await db.rows(Q.patient_subscription_values, PatientEffectiveValue, id=patient_id)
    overrides = await db.rows(Q.patient_subscription_overrides, PatientOverride, id=patient_id)
    return PatientSubscription(
        **msgspec.structs.asdict(row),
        entitlements=[
            PatientPerk(v.code, bool(v.enabled), v.source)
            for v in values
            if v.kind == "entitlement"
        ],
        limits=[PatientLimit(v.code, v.value, v.source) for v in values if v.kind == "limit"],
        overrides=overrides,
    )


@get(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/subscription",
    operation_id="patient_subscription_get",
    tags=["patients"],
    opt=requires("patients.read"),
)
async def get_subscription(
    db: NamedDependency[Db], patient_id: FromPath[UUID]
) -> PatientSubscription:
    """The patient's tier, effective perks and limits, and live overrides (`patients.read`)."""
    return await _load(db, patient_id)


@put(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/subscription",
    operation_id="patient_subscription_change",
    tags=["patients"],
    opt=requires("patients.manage"),
)
async def change_tier(
    db: NamedDependency[Db], patient_id: FromPath[UUID], data: JSONBody[ChangePatientTier]
) -> PatientSubscription:
    """Move the patient to the newest version of a patient tier, by code (`patients.manage`):
    the current subscription ends and the tier is snapshotted anew."""
    await db.scalar(Q.patient_tier_change, id=patient_id, tier=data.tier)
    return await _load(db, patient_id)


@delete(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/subscription",
    operation_id="patient_subscription_end",
    tags=["patients"],
    status_code=204,
    opt=requires("patients.manage"),
)
async def end_subscription(db: NamedDependency[Db], patient_id: FromPath[UUID]) -> Response[None]:
    """End the patient's active subscription (`patients.manage`)."""
    await db.execute(Q.patient_subscription_end, id=patient_id)
    return Response(None, status_code=204)


@post(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/subscription/overrides",
    operation_id="patient_subscription_overrides_grant",
    tags=["patients"],
    opt=requires("patients.manage"),
)
async def grant_override(
    db: NamedDependency[Db], patient_id: FromPath[UUID], data: JSONBody[GrantOverride]
) -> Response[Created]:
    """Override one patient perk (`entitlement`, `enabled`) or limit (`limit`, `value`; null:
    unlimited) of the patient, with a reason and an optional expiry (`patients.manage`)."""
    override_id = await db.scalar(Q.patient_override_grant, id=patient_id, **override_params(data))
    return Response(Created(override_id), status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/patients/{patient_id:uuid}/subscription/overrides/{override_id:uuid}",
    operation_id="patient_subscription_overrides_revoke",
    tags=["patients"],
    status_code=204,
    opt=requires("patients.manage"),
)
async def revoke_override(
    db: NamedDependency[Db], patient_id: FromPath[UUID], override_id: FromPath[UUID]
) -> Response[None]:
    """Revoke an override of the patient before its expiry (`patients.manage`)."""
    await db.execute(Q.patient_override_revoke, id=patient_id, override=override_id)
    return Response(None, status_code=204)
