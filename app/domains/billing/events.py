"""The events the billing domain publishes: one payload struct per (type, version)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.domains.events.payload import Payload


class SubscriptionStarted(Payload):
    """An organization subscribed to a tier version; its entitlements and limits were copied."""

    TYPE: ClassVar[str] = "subscription.started"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": "billing.organization_subscriptions.id",
        "kind": "billing.organization_subscriptions.kind",
        "tier_version_id": "billing.organization_subscriptions.tier_version_id",
        "tier": "billing.tiers.code",
        "version": "billing.tier_versions.version",
    }
    subscription_id: uuid.UUID
    kind: Literal["base", "addon"]
    tier_version_id: uuid.UUID
    tier: str
    version: int


class SubscriptionEnded(Payload):
    """A subscription ended (tier change, add-on detached, migration to a newer version)."""

    TYPE: ClassVar[str] = "subscription.ended"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": "billing.organization_subscriptions.id",
    }
    subscription_id: uuid.UUID


class SubscriptionOverrideGranted(Payload):
    """A platform admin overrode one entitlement (`enabled`) or limit (`value`, null: unlimited)."""

    TYPE: ClassVar[str] = "subscription.override_granted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "override_id": "billing.organization_subscription_overrides.id",
        "entitlement": "billing.organization_subscription_overrides.entitlement_code",
        "limit": "billing.organization_subscription_overrides.limit_code",
        "enabled": "billing.organization_subscription_overrides.enabled",
        "value": "billing.organization_subscription_overrides.value",
        "expires_at": "billing.organization_subscription_overrides.expires_at",
    }
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
    CARRIES: ClassVar[dict[str, str]] = {
        "override_id": "billing.organization_subscription_overrides.id",
    }
    override_id: uuid.UUID


class OrgEntitlementChanged(Payload):
    """A platform admin switched an org-scoped entitlement on or off."""

    TYPE: ClassVar[str] = "org_entitlement.changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "entitlement": "billing.organization_entitlements.entitlement_code",
        "enabled": "billing.organization_entitlements.enabled",
    }
    entitlement: str
    enabled: bool


class PatientTierSaved(Payload):
    """A patient tier was created or changed; `version` is its newest version."""

    TYPE: ClassVar[str] = "patient_tier.saved"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "patient_tier_id": "billing.patient_tiers.id",
        "version": "billing.patient_tier_versions.version",
    }
    patient_tier_id: uuid.UUID
    version: int | None


class OrganizationBillingUpdated(Payload):
    """An organization's billing profile changed (no values: the profile holds personal data)."""

    TYPE: ClassVar[str] = "organization_billing.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {}
