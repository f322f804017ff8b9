"""Every event type the outbox accepts, with the schema of its payload (one struct per version).

The SQL side lists the same (type, version) pairs in db/functions/events/types.sql and
docs/events.md describes them; tests/test_event_catalog.py keeps the three in step. Payloads
carry ids and public facts only; the envelope carries organization, actor and request.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

import msgspec

MembershipStatus = Literal["invited", "active", "suspended"]
OrganizationStatus = Literal["active", "suspended"]


class Payload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every payload; `TYPE` and `VERSION` name the event it belongs to."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]


class OrganizationCreated(Payload):
    """An organization (clinic) was created."""

    TYPE: ClassVar[str] = "organization.created"
    VERSION: ClassVar[int] = 1
    organization_id: uuid.UUID
    slug: str
    name: str
    status: OrganizationStatus


class OrganizationUpdated(Payload):
    """An organization's slug, name, status or deletion mark changed (`changed` says which)."""

    TYPE: ClassVar[str] = "organization.updated"
    VERSION: ClassVar[int] = 1
    organization_id: uuid.UUID
    slug: str
    name: str
    status: OrganizationStatus
    deleted_at: datetime | None
    changed: list[Literal["slug", "name", "status", "deleted_at"]]


class MembershipInvited(Payload):
    """A principal was invited into an organization (a membership inserted as `invited`)."""

    TYPE: ClassVar[str] = "membership.invited"
    VERSION: ClassVar[int] = 1
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    invited_by: uuid.UUID | None


class MembershipAdded(Payload):
    """A principal was given a membership directly, not by invitation (e.g. a new org's owner)."""

    TYPE: ClassVar[str] = "membership.added"
    VERSION: ClassVar[int] = 1
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    status: MembershipStatus


class MembershipRoleChanged(Payload):
    """A member's role changed."""

    TYPE: ClassVar[str] = "membership.role_changed"
    VERSION: ClassVar[int] = 1
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    from_role_id: uuid.UUID
    to_role_id: uuid.UUID


class MembershipStatusChanged(Payload):
    """A membership's status changed: accepted (invited → active), suspended, reinstated."""

    TYPE: ClassVar[str] = "membership.status_changed"
    VERSION: ClassVar[int] = 1
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    from_status: MembershipStatus
    to_status: MembershipStatus


class MembershipRemoved(Payload):
    """A membership was deleted."""

    TYPE: ClassVar[str] = "membership.removed"
    VERSION: ClassVar[int] = 1
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    status: MembershipStatus


class DomainAdded(Payload):
    """A custom domain was added to an organization (not yet verified)."""

    TYPE: ClassVar[str] = "domain.added"
    VERSION: ClassVar[int] = 1
    domain_id: uuid.UUID
    domain: str


class DomainVerified(Payload):
    """A custom domain was verified."""

    TYPE: ClassVar[str] = "domain.verified"
    VERSION: ClassVar[int] = 1
    domain_id: uuid.UUID
    domain: str
    verified_at: datetime


class DomainPrimaryChanged(Payload):
    """A custom domain became (`is_primary` true) or stopped being the primary one."""

    TYPE: ClassVar[str] = "domain.primary_changed"
    VERSION: ClassVar[int] = 1
    domain_id: uuid.UUID
    domain: str
    is_primary: bool


class DomainRemoved(Payload):
    """A custom domain was removed."""

    TYPE: ClassVar[str] = "domain.removed"
    VERSION: ClassVar[int] = 1
    domain_id: uuid.UUID
    domain: str


class RoleCreated(Payload):
    """A role was created: a custom role of the envelope's organization, or a system template."""

    TYPE: ClassVar[str] = "role.created"
    VERSION: ClassVar[int] = 1
    role_id: uuid.UUID
    code: str
    name: str


class RoleUpdated(Payload):
    """A role's code, name or description changed, or permissions were granted or revoked."""

    TYPE: ClassVar[str] = "role.updated"
    VERSION: ClassVar[int] = 1
    role_id: uuid.UUID
    code: str
    name: str
    changed: list[Literal["code", "name", "description", "permissions"]]
    permissions_added: list[str]
    permissions_removed: list[str]


class RoleDeleted(Payload):
    """A role was deleted (its permission grants went with it)."""

    TYPE: ClassVar[str] = "role.deleted"
    VERSION: ClassVar[int] = 1
    role_id: uuid.UUID
    code: str


ConsentPurpose = Literal[
    "platform_terms",
    "platform_privacy_notice",
    "org_terms",
    "org_privacy_notice",
    "marketing_email",
    "marketing_sms",
    "analytics",
    "ai_processing",
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
    consent_id: uuid.UUID
    subject_principal_id: uuid.UUID
    purpose: ConsentPurpose
    legal_basis: LegalBasis
    document_id: uuid.UUID | None
    document_version: int | None
    source: Literal["api", "form"]


class ConsentWithdrawn(Payload):
    """A subject withdrew a consent-based grant (`grant_id` is the ledger row withdrawn)."""

    TYPE: ClassVar[str] = "consent.withdrawn"
    VERSION: ClassVar[int] = 1
    consent_id: uuid.UUID
    grant_id: uuid.UUID
    subject_principal_id: uuid.UUID
    purpose: ConsentPurpose
    legal_basis: LegalBasis


class ConsentDocumentPublished(Payload):
    """A new version of an organization's (or, with no org, the platform's) document."""

    TYPE: ClassVar[str] = "consent.document_published"
    VERSION: ClassVar[int] = 1
    document_id: uuid.UUID
    purpose: ConsentPurpose
    version: int
    requires_reconsent: bool
    title: str
    url: str


class InvitationCreated(Payload):
    """Someone was invited to join an organization with a role (the email is not carried)."""

    TYPE: ClassVar[str] = "invitation.created"
    VERSION: ClassVar[int] = 1
    invitation_id: uuid.UUID
    role_id: uuid.UUID
    expires_at: datetime


class InvitationAccepted(Payload):
    """An invitation was accepted by the principal `accepted_by`."""

    TYPE: ClassVar[str] = "invitation.accepted"
    VERSION: ClassVar[int] = 1
    invitation_id: uuid.UUID
    role_id: uuid.UUID
    accepted_by: uuid.UUID


class InvitationRevoked(Payload):
    """A pending invitation was revoked."""

    TYPE: ClassVar[str] = "invitation.revoked"
    VERSION: ClassVar[int] = 1
    invitation_id: uuid.UUID


class SubscriptionStarted(Payload):
    """An organization subscribed to a tier version; its entitlements and limits were copied."""

    TYPE: ClassVar[str] = "subscription.started"
    VERSION: ClassVar[int] = 1
    subscription_id: uuid.UUID
    kind: Literal["base", "addon"]
    tier_version_id: uuid.UUID
    tier: str
    version: int


class SubscriptionEnded(Payload):
    """A subscription ended (tier change, add-on detached, migration to a newer version)."""

    TYPE: ClassVar[str] = "subscription.ended"
    VERSION: ClassVar[int] = 1
    subscription_id: uuid.UUID


class SubscriptionOverrideGranted(Payload):
    """A platform admin overrode one entitlement (`enabled`) or limit (`value`, null: unlimited)."""

    TYPE: ClassVar[str] = "subscription.override_granted"
    VERSION: ClassVar[int] = 1
    override_id: uuid.UUID
    entitlement: str | None
    limit: str | None
    enabled: bool | None
    value: int | None
    expires_at: datetime | None


class SubscriptionOverrideRevoked(Payload):
    """An override was revoked before its expiry."""

    TYPE: ClassVar[str] = "subscription.override_revoked"
    VERSION: ClassVar[int] = 1
    override_id: uuid.UUID


class OrgEntitlementChanged(Payload):
    """A platform admin switched an org-scoped entitlement on or off."""

    TYPE: ClassVar[str] = "org_entitlement.changed"
    VERSION: ClassVar[int] = 1
    entitlement: str
    enabled: bool


class PatientTierSaved(Payload):
    """A patient tier was created or changed; `version` is its newest version."""

    TYPE: ClassVar[str] = "patient_tier.saved"
    VERSION: ClassVar[int] = 1
    patient_tier_id: uuid.UUID
    version: int | None


class OrganizationSettingsUpdated(Payload):
    """Some settings of an organization changed (`changed` names them)."""

    TYPE: ClassVar[str] = "organization_settings.updated"
    VERSION: ClassVar[int] = 1
    changed: list[str]


class OrganizationBillingUpdated(Payload):
    """An organization's billing profile changed (no values: the profile holds personal data)."""

    TYPE: ClassVar[str] = "organization_billing.updated"
    VERSION: ClassVar[int] = 1


FilePurpose = Literal["logo"]


class FileUploaded(Payload):
    """An upload was confirmed: its bytes were read back, typed and hashed; the file is ready."""

    TYPE: ClassVar[str] = "file.uploaded"
    VERSION: ClassVar[int] = 1
    file_id: uuid.UUID
    purpose: FilePurpose
    content_type: str
    size_bytes: int
    sha256: str
    replaces_file_id: uuid.UUID | None


class FileRejected(Payload):
    """An upload was refused and nothing of it kept (`reason` is the stable code)."""

    TYPE: ClassVar[str] = "file.rejected"
    VERSION: ClassVar[int] = 1
    file_id: uuid.UUID
    purpose: FilePurpose
    reason: Literal[
        "missing", "too_large", "type_not_allowed", "mime_mismatch", "expired", "quota_exceeded"
    ]
    declared_mime: str
    detected_mime: str | None
    size_bytes: int | None


class FileDeleted(Payload):
    """A file was replaced by a newer one of its purpose, or removed."""

    TYPE: ClassVar[str] = "file.deleted"
    VERSION: ClassVar[int] = 1
    file_id: uuid.UUID
    purpose: FilePurpose
    reason: Literal["replaced", "removed"]


PAYLOADS: tuple[type[Payload], ...] = (
    OrganizationCreated,
    OrganizationUpdated,
    MembershipInvited,
    MembershipAdded,
    MembershipRoleChanged,
    MembershipStatusChanged,
    MembershipRemoved,
    DomainAdded,
    DomainVerified,
    DomainPrimaryChanged,
    DomainRemoved,
    RoleCreated,
    RoleUpdated,
    RoleDeleted,
    ConsentGranted,
    ConsentWithdrawn,
    ConsentDocumentPublished,
    InvitationCreated,
    InvitationAccepted,
    InvitationRevoked,
    SubscriptionStarted,
    SubscriptionEnded,
    SubscriptionOverrideGranted,
    SubscriptionOverrideRevoked,
    OrgEntitlementChanged,
    PatientTierSaved,
    OrganizationSettingsUpdated,
    OrganizationBillingUpdated,
    FileUploaded,
    FileRejected,
    FileDeleted,
)

CATALOG: dict[tuple[str, int], type[Payload]] = {(p.TYPE, p.VERSION): p for p in PAYLOADS}


def payload_type(event_type: str, version: int) -> type[Payload] | None:
    """The struct of a (type, version), or None when this code does not know it (yet)."""
    return CATALOG.get((event_type, version))
