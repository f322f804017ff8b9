"""The events the tenancy domain publishes: one payload struct per (type, version)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload

MembershipStatus = Literal["invited", "active", "suspended"]
OrganizationStatus = Literal["active", "suspended"]


class OrganizationCreated(Payload):
    """An organization (clinic) was created."""

    TYPE: ClassVar[str] = "organization.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "organization_id": "tenancy.organizations.id",
        "slug": "tenancy.organizations.slug",
        "name": "tenancy.organizations.name",
        "status": "tenancy.organizations.status",
    }
    organization_id: uuid.UUID
    slug: str
    name: str
    status: OrganizationStatus


class OrganizationUpdated(Payload):
    """An organization's slug, name, status or deletion mark changed (`changed` says which)."""

    TYPE: ClassVar[str] = "organization.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "organization_id": "tenancy.organizations.id",
        "slug": "tenancy.organizations.slug",
        "name": "tenancy.organizations.name",
        "status": "tenancy.organizations.status",
        "deleted_at": "tenancy.organizations.deleted_at",
        "changed": COLUMN_NAMES,
    }
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
    CARRIES: ClassVar[dict[str, str]] = {
        "membership_id": "tenancy.organization_memberships.id",
        "principal_id": "tenancy.organization_memberships.principal_id",
        "role_id": "tenancy.organization_memberships.role_id",
        "invited_by": "tenancy.organization_memberships.invited_by",
    }
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    invited_by: uuid.UUID | None


class MembershipAdded(Payload):
    """A principal was given a membership directly, not by invitation (e.g. a new org's owner)."""

    TYPE: ClassVar[str] = "membership.added"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "membership_id": "tenancy.organization_memberships.id",
        "principal_id": "tenancy.organization_memberships.principal_id",
        "role_id": "tenancy.organization_memberships.role_id",
        "status": "tenancy.organization_memberships.status",
    }
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    status: MembershipStatus


class MembershipRoleChanged(Payload):
    """A member's role changed."""

    TYPE: ClassVar[str] = "membership.role_changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "membership_id": "tenancy.organization_memberships.id",
        "principal_id": "tenancy.organization_memberships.principal_id",
        "from_role_id": "tenancy.organization_memberships.role_id",
        "to_role_id": "tenancy.organization_memberships.role_id",
    }
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    from_role_id: uuid.UUID
    to_role_id: uuid.UUID


class MembershipStatusChanged(Payload):
    """A membership's status changed: accepted (invited → active), suspended, reinstated."""

    TYPE: ClassVar[str] = "membership.status_changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "membership_id": "tenancy.organization_memberships.id",
        "principal_id": "tenancy.organization_memberships.principal_id",
        "from_status": "tenancy.organization_memberships.status",
        "to_status": "tenancy.organization_memberships.status",
    }
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    from_status: MembershipStatus
    to_status: MembershipStatus


class MembershipRemoved(Payload):
    """A membership was deleted."""

    TYPE: ClassVar[str] = "membership.removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "membership_id": "tenancy.organization_memberships.id",
        "principal_id": "tenancy.organization_memberships.principal_id",
        "role_id": "tenancy.organization_memberships.role_id",
        "status": "tenancy.organization_memberships.status",
    }
    membership_id: uuid.UUID
    principal_id: uuid.UUID
    role_id: uuid.UUID
    status: MembershipStatus


class DomainAdded(Payload):
    """A custom domain was added to an organization (not yet verified)."""

    TYPE: ClassVar[str] = "domain.added"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "domain_id": "tenancy.organization_domains.id",
        "domain": "tenancy.organization_domains.domain",
    }
    domain_id: uuid.UUID
    domain: str


class DomainVerified(Payload):
    """A custom domain was verified."""

    TYPE: ClassVar[str] = "domain.verified"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "domain_id": "tenancy.organization_domains.id",
        "domain": "tenancy.organization_domains.domain",
        "verified_at": "tenancy.organization_domains.verified_at",
    }
    domain_id: uuid.UUID
    domain: str
    verified_at: datetime


class DomainPrimaryChanged(Payload):
    """A custom domain became (`is_primary` true) or stopped being the primary one."""

    TYPE: ClassVar[str] = "domain.primary_changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "domain_id": "tenancy.organization_domains.id",
        "domain": "tenancy.organization_domains.domain",
        "is_primary": "tenancy.organization_domains.is_primary",
    }
    domain_id: uuid.UUID
    domain: str
    is_primary: bool


class DomainRemoved(Payload):
    """A custom domain was removed."""

    TYPE: ClassVar[str] = "domain.removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "domain_id": "tenancy.organization_domains.id",
        "domain": "tenancy.organization_domains.domain",
    }
    domain_id: uuid.UUID
    domain: str


class InvitationCreated(Payload):
    """Someone was invited to join an organization with a role (the email is not carried)."""

    TYPE: ClassVar[str] = "invitation.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "invitation_id": "tenancy.invitations.id",
        "role_id": "tenancy.invitations.role_id",
        "expires_at": "tenancy.invitations.expires_at",
    }
    invitation_id: uuid.UUID
    role_id: uuid.UUID
    expires_at: datetime


class InvitationAccepted(Payload):
    """An invitation was accepted by the principal `accepted_by`."""

    TYPE: ClassVar[str] = "invitation.accepted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "invitation_id": "tenancy.invitations.id",
        "role_id": "tenancy.invitations.role_id",
        "accepted_by": "tenancy.invitations.accepted_by",
    }
    invitation_id: uuid.UUID
    role_id: uuid.UUID
    accepted_by: uuid.UUID


class InvitationRevoked(Payload):
    """A pending invitation was revoked."""

    TYPE: ClassVar[str] = "invitation.revoked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "invitation_id": "tenancy.invitations.id",
    }
    invitation_id: uuid.UUID


class OrganizationSettingsUpdated(Payload):
    """Some settings of an organization changed (`changed` names them)."""

    TYPE: ClassVar[str] = "organization_settings.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "changed": COLUMN_NAMES,
    }
    changed: list[str]
