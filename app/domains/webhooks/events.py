"""The events the webhooks domain publishes: ids, type patterns and reasons, never a URL or a
secret. `CARRIES` names the registry column (docs/data-classification.md) each field carries,
so the egress filter can act on these payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload

SubscriptionField = Literal["url", "event_types", "description", "status"]
DisabledReason = Literal["manual", "gone", "failing"]

_SUB = "webhooks.webhook_subscriptions"


class WebhookCreated(Payload):
    """A webhook subscription was created."""

    TYPE: ClassVar[str] = "webhook.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": f"{_SUB}.id",
        "event_types": f"{_SUB}.event_types",
    }
    subscription_id: uuid.UUID
    event_types: list[str]


class WebhookUpdated(Payload):
    """A webhook's url, event types, description or status changed (`changed` names which)."""

    TYPE: ClassVar[str] = "webhook.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": f"{_SUB}.id",
        "changed": COLUMN_NAMES,
    }
    subscription_id: uuid.UUID
    changed: list[SubscriptionField]


class WebhookDeleted(Payload):
    """A webhook subscription was deleted with its secrets and owed messages."""

    TYPE: ClassVar[str] = "webhook.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {"subscription_id": f"{_SUB}.id"}
    subscription_id: uuid.UUID


class WebhookSecretRotated(Payload):
    """A webhook's signing secret was replaced; the old one signs until `previous_expires_at`."""

    TYPE: ClassVar[str] = "webhook.secret_rotated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": f"{_SUB}.id",
        "previous_expires_at": "webhooks.webhook_secrets.expires_at",
    }
    subscription_id: uuid.UUID
    previous_expires_at: datetime


class WebhookDisabled(Payload):
    """A webhook subscription was disabled: by a manager, on 410 Gone, or after 5 days failing."""

    TYPE: ClassVar[str] = "webhook.disabled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "subscription_id": f"{_SUB}.id",
        "reason": f"{_SUB}.disabled_reason",
    }
    subscription_id: uuid.UUID
    reason: DisabledReason


class WebhookTest(Payload):
    """A test event a manager asked for; it is delivered to the named subscription only."""

    TYPE: ClassVar[str] = "webhook.test"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {"subscription_id": f"{_SUB}.id"}
    subscription_id: uuid.UUID
