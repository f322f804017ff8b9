"""The events the consent domain publishes: one payload struct per (type, version)."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from app.domains.events.payload import Payload

ConsentPurpose = Literal[
    "platform_terms",
    "platform_privacy_notice",
    "org_terms",
    "org_privacy_notice",
    "marketing_email",
    "marketing_sms",
    "analytics",
    "ai_processing",
    "profile_sharing",
    "telemedicine",
    "video_recording",
    "biometric_capture",
    "treatment_specific",
]


LegalBasis = Literal[
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
]


class ConsentGranted(Payload):
    """A subject granted (or acknowledged) a purpose; the envelope's org is NULL for platform."""

    TYPE: ClassVar[str] = "consent.granted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "consent_id": "consent.consents.id",
        "subject_principal_id": "consent.consents.subject_principal_id",
        "purpose": "consent.consents.purpose",
        "legal_basis": "consent.consents.legal_basis",
        "document_id": "consent.consents.document_id",
        "document_version": "consent.consents.document_version",
        "source": "consent.consents.source",
        "form_id": "consent.consents.form_id",
        "subject_patient_profile_id": "consent.consents.subject_patient_profile_id",
    }
    consent_id: uuid.UUID
    # None for a guest without an account (public booking): the subject is the profile.
    subject_principal_id: uuid.UUID | None
    purpose: ConsentPurpose
    legal_basis: LegalBasis
    document_id: uuid.UUID | None
    document_version: int | None
    source: Literal["api", "form", "public_booking"]
    # Set when a signed consent form granted it (forms domain): the form and the patient
    # profile it speaks for.
    form_id: uuid.UUID | None = None
    subject_patient_profile_id: uuid.UUID | None = None


class ConsentWithdrawn(Payload):
    """A subject withdrew a consent-based grant (`grant_id` is the ledger row withdrawn)."""

    TYPE: ClassVar[str] = "consent.withdrawn"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "consent_id": "consent.consents.id",
        "grant_id": "consent.consents.id",
        "subject_principal_id": "consent.consents.subject_principal_id",
        "purpose": "consent.consents.purpose",
        "legal_basis": "consent.consents.legal_basis",
    }
    consent_id: uuid.UUID
    grant_id: uuid.UUID
    subject_principal_id: uuid.UUID
    purpose: ConsentPurpose
    legal_basis: LegalBasis


class ConsentDocumentPublished(Payload):
    """A new version of an organization's (or, with no org, the platform's) document."""

    TYPE: ClassVar[str] = "consent.document_published"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "document_id": "consent.documents.id",
        "purpose": "consent.documents.purpose",
        "version": "consent.documents.version",
        "requires_reconsent": "consent.documents.requires_reconsent",
        "title": "consent.documents.title",
        "url": "consent.documents.url",
    }
    document_id: uuid.UUID
    purpose: ConsentPurpose
    version: int
    requires_reconsent: bool
    title: str
    url: str
