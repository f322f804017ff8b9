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
