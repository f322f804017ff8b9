"""The events the catalog publishes: ids, flags and counters only, never a name, a price
or a patient's details (a consumer that needs more reads it under RLS). Each field's line
in docs/events.md names the registry column it carries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload

PlanType = Literal["session_pack", "membership", "telerehab_program"]
ServiceField = Literal[
    "name",
    "description",
    "translations",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "price_amount",
    "currency",
    "modality",
    "bookable_online",
    "active",
    "sort_order",
    "specialists",
    "attachments",
]
PlanField = Literal["active", "sort_order"]
ProductField = Literal["name", "description", "sku", "price_amount", "currency", "active"]


class ServiceCreated(Payload):
    """A service was added to an organization's catalog."""

    TYPE: ClassVar[str] = "service.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_id": "catalog.services.id",
        "bookable_online": "catalog.services.bookable_online",
        "active": "catalog.services.active",
    }
    service_id: uuid.UUID
    bookable_online: bool
    active: bool


class ServiceUpdated(Payload):
    """Fields of a service changed (`changed` names which)."""

    TYPE: ClassVar[str] = "service.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_id": "catalog.services.id",
        "changed": COLUMN_NAMES,
    }
    service_id: uuid.UUID
    changed: list[ServiceField]


class ServiceDeleted(Payload):
    """A service was soft-deleted; plan versions that include it keep it."""

    TYPE: ClassVar[str] = "service.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_id": "catalog.services.id",
        "deleted_at": "catalog.services.deleted_at",
    }
    service_id: uuid.UUID
    deleted_at: datetime


class ServiceRestored(Payload):
    """A soft-deleted service was brought back."""

    TYPE: ClassVar[str] = "service.restored"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_id": "catalog.services.id",
    }
    service_id: uuid.UUID


class ServicePlanPublished(Payload):
    """A service plan published a version (version 1 when it was created)."""

    TYPE: ClassVar[str] = "service_plan.published"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_plan_id": "catalog.service_plans.id",
        "service_plan_version_id": "catalog.service_plan_versions.id",
        "version": "catalog.service_plan_versions.version",
        "plan_type": "catalog.service_plans.plan_type",
    }
    service_plan_id: uuid.UUID
    service_plan_version_id: uuid.UUID
    version: int
    plan_type: PlanType


class ServicePlanUpdated(Payload):
    """A plan went on or off sale, or moved in the list (`changed` names which)."""

    TYPE: ClassVar[str] = "service_plan.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_plan_id": "catalog.service_plans.id",
        "changed": COLUMN_NAMES,
    }
    service_plan_id: uuid.UUID
    changed: list[PlanField]


class ServicePlanDeleted(Payload):
    """A service plan was soft-deleted; its enrollments are untouched."""

    TYPE: ClassVar[str] = "service_plan.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "service_plan_id": "catalog.service_plans.id",
        "deleted_at": "catalog.service_plans.deleted_at",
    }
    service_plan_id: uuid.UUID
    deleted_at: datetime


class PatientPlanEnrolled(Payload):
    """A patient was enrolled in a plan's current version."""

    TYPE: ClassVar[str] = "patient_plan.enrolled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_service_plan_id": "catalog.patient_service_plans.id",
        "patient_id": "catalog.patient_service_plans.patient_id",
        "service_plan_id": "catalog.patient_service_plans.service_plan_id",
        "service_plan_version_id": "catalog.patient_service_plans.service_plan_version_id",
        "plan_type": "catalog.patient_service_plans.plan_type",
        "period_start": "catalog.patient_service_plans.period_start",
        "period_end": "catalog.patient_service_plans.period_end",
        "source_tier_subscription_id": "catalog.patient_service_plans.source_tier_subscription_id",
    }
    patient_service_plan_id: uuid.UUID
    patient_id: uuid.UUID
    service_plan_id: uuid.UUID
    service_plan_version_id: uuid.UUID
    plan_type: PlanType
    period_start: datetime
    period_end: datetime
    source_tier_subscription_id: uuid.UUID | None


class PatientPlanConsumed(Payload):
    """An appointment used one session of an enrollment (`sessions_remaining` null: no cap)."""

    TYPE: ClassVar[str] = "patient_plan.consumed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_service_plan_id": "catalog.patient_service_plans.id",
        "patient_id": "catalog.patient_service_plans.patient_id",
        "consumption_id": "catalog.plan_consumptions.id",
        "appointment_id": "catalog.plan_consumptions.appointment_id",
        "sessions_used": "catalog.patient_service_plans.sessions_used",
        "sessions_remaining": "catalog.patient_service_plans.sessions_total",
    }
    patient_service_plan_id: uuid.UUID
    patient_id: uuid.UUID
    consumption_id: uuid.UUID
    appointment_id: uuid.UUID
    sessions_used: int
    sessions_remaining: int | None


class PatientPlanExhausted(Payload):
    """The last session of an enrollment was used."""

    TYPE: ClassVar[str] = "patient_plan.exhausted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_service_plan_id": "catalog.patient_service_plans.id",
        "patient_id": "catalog.patient_service_plans.patient_id",
        "sessions_used": "catalog.patient_service_plans.sessions_used",
    }
    patient_service_plan_id: uuid.UUID
    patient_id: uuid.UUID
    sessions_used: int


class PatientPlanRevoked(Payload):
    """An enrollment was revoked; no session can be used after it."""

    TYPE: ClassVar[str] = "patient_plan.revoked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_service_plan_id": "catalog.patient_service_plans.id",
        "patient_id": "catalog.patient_service_plans.patient_id",
        "revoked_at": "catalog.patient_service_plans.revoked_at",
        "source_tier_subscription_id": "catalog.patient_service_plans.source_tier_subscription_id",
    }
    patient_service_plan_id: uuid.UUID
    patient_id: uuid.UUID
    revoked_at: datetime
    source_tier_subscription_id: uuid.UUID | None


class ProductCreated(Payload):
    """A product was added to the organization's reference catalog."""

    TYPE: ClassVar[str] = "product.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "product_id": "catalog.products.id",
    }
    product_id: uuid.UUID


class ProductUpdated(Payload):
    """Fields of a product changed (`changed` names which)."""

    TYPE: ClassVar[str] = "product.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "product_id": "catalog.products.id",
        "changed": COLUMN_NAMES,
    }
    product_id: uuid.UUID
    changed: list[ProductField]


class ProductDeleted(Payload):
    """A product was soft-deleted; plan versions that bundle it keep it."""

    TYPE: ClassVar[str] = "product.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "product_id": "catalog.products.id",
        "deleted_at": "catalog.products.deleted_at",
    }
    product_id: uuid.UUID
    deleted_at: datetime
