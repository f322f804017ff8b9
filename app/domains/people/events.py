"""The events the people domain publishes: ids and flags only, never a profile's values
(a consumer that needs a name reads it under RLS). `CARRIES` names the registry column each field
carries (as docs/events.md does), so the webhook egress filter can act on these payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload

PatientField = Literal["consumer_id", "notes", "first_name", "last_name", "phone", "email"]
CaregiverPermission = Literal["book", "sign_forms", "view_records"]
Relationship = Literal["parent", "guardian", "spouse", "child", "relative", "other"]


class PatientCreated(Payload):
    """A patient was registered with an organization (a new guest profile and its patient row)."""

    TYPE: ClassVar[str] = "patient.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
        "profile_shared": "people.patients.profile_shared",
    }
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
    profile_shared: bool


class PatientUpdated(Payload):
    """A patient's reference, notes or guest contact fields changed (`changed` names which)."""

    TYPE: ClassVar[str] = "patient.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
        "changed": COLUMN_NAMES,
    }
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
    changed: list[PatientField]


class PatientDeleted(Payload):
    """A patient was soft-deleted from an organization (the person's profile stays)."""

    TYPE: ClassVar[str] = "patient.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
        "deleted_at": "people.patients.deleted_at",
    }
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
    deleted_at: datetime


class PatientRestored(Payload):
    """A soft-deleted patient was brought back."""

    TYPE: ClassVar[str] = "patient.restored"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
    }
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID


class CaregiverAdded(Payload):
    """A human became a caregiver of a patient profile, with what they may do."""

    TYPE: ClassVar[str] = "caregiver.added"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "caregiver_id": "people.patient_caregivers.id",
        "patient_profile_id": "people.patient_caregivers.patient_profile_id",
        "caregiver_human_id": "people.patient_caregivers.caregiver_human_id",
        "relationship": "people.patient_caregivers.relationship",
        "permissions": "people.patient_caregivers.permissions",
    }
    caregiver_id: uuid.UUID
    patient_profile_id: uuid.UUID
    caregiver_human_id: uuid.UUID
    relationship: Relationship
    permissions: list[CaregiverPermission]


class CaregiverRemoved(Payload):
    """A caregiver's link to a patient profile ended."""

    TYPE: ClassVar[str] = "caregiver.removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "caregiver_id": "people.patient_caregivers.id",
        "patient_profile_id": "people.patient_caregivers.patient_profile_id",
        "caregiver_human_id": "people.patient_caregivers.caregiver_human_id",
        "ends_at": "people.patient_caregivers.ends_at",
    }
    caregiver_id: uuid.UUID
    patient_profile_id: uuid.UUID
    caregiver_human_id: uuid.UUID
    ends_at: datetime


SpecialistField = Literal[
    "display_name",
    "title",
    "bio",
    "scheduling_timezone",
    "scheduling_active",
    "human_id",
    "specialties",
    "signature",
]
SpecialtyField = Literal["code", "name", "translations"]


class SpecialistCreated(Payload):
    """A specialist was added to an organization (with or without a login)."""

    TYPE: ClassVar[str] = "specialist.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialist_id": "people.specialists.id",
        "human_id": "people.specialists.human_id",
        "scheduling_active": "people.specialists.scheduling_active",
    }
    specialist_id: uuid.UUID
    human_id: uuid.UUID | None
    scheduling_active: bool


class SpecialistUpdated(Payload):
    """A specialist's fields, specialties or signature changed (`changed` names which)."""

    TYPE: ClassVar[str] = "specialist.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialist_id": "people.specialists.id",
        "changed": COLUMN_NAMES,
    }
    specialist_id: uuid.UUID
    changed: list[SpecialistField]


class SpecialistDeleted(Payload):
    """A specialist was soft-deleted (their specialties and signature stay for a restore)."""

    TYPE: ClassVar[str] = "specialist.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialist_id": "people.specialists.id",
        "deleted_at": "people.specialists.deleted_at",
    }
    specialist_id: uuid.UUID
    deleted_at: datetime


class SpecialistRestored(Payload):
    """A soft-deleted specialist was brought back (without their login when it is no longer
    an active member's, or is linked to another live specialist: `human_id` is then null)."""

    TYPE: ClassVar[str] = "specialist.restored"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialist_id": "people.specialists.id",
        "human_id": "people.specialists.human_id",
    }
    specialist_id: uuid.UUID
    human_id: uuid.UUID | None


class SpecialtyCreated(Payload):
    """A specialty was added to an organization's list."""

    TYPE: ClassVar[str] = "specialty.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialty_id": "people.specialties.id",
    }
    specialty_id: uuid.UUID


class SpecialtyUpdated(Payload):
    """A specialty's code, name or translations changed (`changed` names which)."""

    TYPE: ClassVar[str] = "specialty.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialty_id": "people.specialties.id",
        "changed": COLUMN_NAMES,
    }
    specialty_id: uuid.UUID
    changed: list[SpecialtyField]


class SpecialtyDeleted(Payload):
    """A specialty was deleted, and with it its links to `specialists_unlinked` specialists."""

    TYPE: ClassVar[str] = "specialty.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialty_id": "people.specialties.id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"specialists_unlinked"})
    specialty_id: uuid.UUID
    specialists_unlinked: int


SubscriptionChange = Literal[
    "started", "tier_changed", "ended", "override_granted", "override_revoked"
]


class PatientOnboarded(Payload):
    """A signed-in human became (or was confirmed as) a patient of an organization through its
    portal: their profile, the patient row and an active subscription exist. Published when the
    patient row was created or a guest profile was claimed, not on a repeated onboarding."""

    TYPE: ClassVar[str] = "patient.onboarded"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
        "patient_subscription_id": "people.patient_subscriptions.id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"created", "claimed"})
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
    patient_subscription_id: uuid.UUID
    created: bool
    claimed: bool


class PatientProfileClaimed(Payload):
    """A patient row of the organization now belongs to a human with an account: the guest
    profile it pointed at was claimed (`previous_patient_profile_id` equals
    `patient_profile_id`) or merged into the human's own profile."""

    TYPE: ClassVar[str] = "patient_profile.claimed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patients.id",
        "patient_profile_id": "people.patients.patient_profile_id",
        "previous_patient_profile_id": "people.patient_profiles.id",
    }
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
    previous_patient_profile_id: uuid.UUID


class PatientSubscriptionChanged(Payload):
    """A patient's subscription changed: started on a tier (`started`, `tier_changed`, with
    the subscription, tier and version), ended, or an override was granted or revoked."""

    TYPE: ClassVar[str] = "patient_subscription.changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_id": "people.patient_subscriptions.patient_id",
        "patient_subscription_id": "people.patient_subscriptions.id",
        "patient_tier_id": "billing.patient_tier_versions.patient_tier_id",
        "version": "billing.patient_tier_versions.version",
        "override_id": "people.patient_subscription_overrides.id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"change"})
    patient_id: uuid.UUID
    change: SubscriptionChange
    patient_subscription_id: uuid.UUID | None = None
    patient_tier_id: uuid.UUID | None = None
    version: int | None = None
    override_id: uuid.UUID | None = None
