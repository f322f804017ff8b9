"""A clinic's webhooks: list, get, create (the secret shown once), change, enable/disable,
delete, rotate the secret (shown once), send a test event, the delivery log, replays. Every
write is a webhooks function that checks `webhooks.manage`; the plan must include `webhooks`."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.common import PAYMENT_REQUIRED, Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.billing.entitlements import require_tier_entitlement
from app.domains.webhooks import safety, secrets

Q = catalogue("webhooks")
MANAGE = requires("webhooks.manage")

Url = Annotated[str, msgspec.Meta(min_length=8, max_length=2048)]
TypePattern = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=100,
        pattern=r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$",
        description="an event type (`patient.created`), a prefix (`patient.*`) or `*`",
    ),
]
TypePatterns = Annotated[list[TypePattern], msgspec.Meta(min_length=1, max_length=50)]
Description = Annotated[str, msgspec.Meta(max_length=500)]
Status = Literal["active", "disabled"]


class Webhook(msgspec.Struct):
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    status: Status
    disabled_reason: Literal["manual", "gone", "failing"] | None
    disabled_at: datetime | None
    failing_since: datetime | None
    last_success_at: datetime | None
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(Webhook):
    """Create's answer: the signing secret in clear, this once."""

    secret: str


class RotatedSecret(msgspec.Struct):
    """The new signing secret in clear, this once; the previous one signs too until then."""

    secret: str
    previous_expires_at: datetime


class CreateWebhook(Body):
    url: Url
    event_types: TypePatterns
    description: Description | None = None


class UpdateWebhook(Body):
    """Fields left out or null stay as they are (an empty `description` clears it)."""

    url: Url | None = None
    event_types: TypePatterns | None = None
    description: Description | None = None
    status: Status | None = None


class TestSent(msgspec.Struct):
    event_id: UUID


class Replayed(msgspec.Struct):
    replayed: int


class Attempt(msgspec.Struct):
    id: UUID
    message_id: UUID
    event_id: UUID
    attempt: int
    url: str
    request_headers: dict[str, Any]
    response_status: int | None
    response_body: str | None
    duration_ms: int
    error_class: str | None
    created_at: datetime


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        400,
        "validation_failed",
        f"{field}: {message}",
        {"fields": [{"field": field, "source": "body", "message": message}]},
    )


async def _check_url(url: str) -> None:
    try:
        await asyncio.to_thread(safety.check_url, url)
    except safety.UnsafeTarget as exc:
        raise _invalid("url", str(exc)) from None


async def _load(db: Db, webhook_id: UUID) -> Webhook:
    webhook = await db.row(Q.webhook_by_id, Webhook, id=webhook_id)
    if webhook is None:
        raise ApiError(404, "webhook_not_found", "No such webhook in this organization.")
    return webhook


async def _sealed_secret(request: Request, db: Db) -> tuple[str, UUID, bytes]:
    secret = secrets.generate()
    secret_id = uuid.uuid4()
    cipher = request.app.state.resources.field_cipher()
    sealed = await asyncio.to_thread(secrets.seal, cipher, secret, secret_id, db.org_id)
    return secret, secret_id, sealed


@get(
    "/v1/orgs/{org_id:uuid}/webhooks",
    operation_id="webhooks_list",
    tags=["webhooks"],
    opt=MANAGE,
)
async def list_webhooks(
    db: NamedDependency[Db], listing: NamedDependency[Listing]
) -> Page[Webhook]:
    """The organization's webhook subscriptions (`webhooks.manage`); never their secrets."""
    return await db.page(Q.webhooks_list, Webhook, listing)


@get(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}",
    operation_id="webhooks_get",
    tags=["webhooks"],
    opt=MANAGE,
)
async def get_webhook(db: NamedDependency[Db], webhook_id: FromPath[UUID]) -> Webhook:
    """One webhook subscription (`webhooks.manage`)."""
    return await _load(db, webhook_id)


@post(
    "/v1/orgs/{org_id:uuid}/webhooks",
    operation_id="webhooks_create",
    tags=["webhooks"],
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def create_webhook(
    db: NamedDependency[Db], data: JSONBody[CreateWebhook], request: Request
) -> Response[WebhookWithSecret]:
    """Subscribe an HTTPS endpoint to event types (`webhooks.manage`; plan entitlement
    `webhooks`; counts against `webhooks.max`). The answer holds the signing secret, shown
    this once."""
    await require_tier_entitlement(db, "webhooks")
    await _check_url(data.url)
    secret, secret_id, sealed = await _sealed_secret(request, db)
    webhook_id = await db.scalar(
        Q.webhook_create,
        id=uuid.uuid4(),
        url=data.url,
        event_types=data.event_types,
        description=data.description,
        secret_id=secret_id,
        secret=sealed,
    )
    webhook = await _load(db, webhook_id)
    fields = {f: getattr(webhook, f) for f in webhook.__struct_fields__}
    return Response(WebhookWithSecret(**fields, secret=secret), status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}",
    operation_id="webhooks_update",
    tags=["webhooks"],
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def update_webhook(
    db: NamedDependency[Db], webhook_id: FromPath[UUID], data: JSONBody[UpdateWebhook]
) -> Webhook:
    """Change the URL, event types or description, or enable (`status: active`) and disable
    (`status: disabled`) a subscription (`webhooks.manage`)."""
    await require_tier_entitlement(db, "webhooks")
    if data.url is not None:
        await _check_url(data.url)
    changes = {f: getattr(data, f) for f in data.__struct_fields__}
    changes = {k: v for k, v in changes.items() if v is not None}
    await db.execute(Q.webhook_update, id=webhook_id, changes=msgspec.json.encode(changes).decode())
    return await _load(db, webhook_id)


@delete(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}",
    operation_id="webhooks_delete",
    tags=["webhooks"],
    status_code=204,
    opt=MANAGE,
)
async def delete_webhook(db: NamedDependency[Db], webhook_id: FromPath[UUID]) -> Response[None]:
    """Delete a subscription, its secrets and what it was still owed (`webhooks.manage`)."""
    await db.execute(Q.webhook_delete, id=webhook_id)
    return Response(None, status_code=204)


@post(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}/rotate-secret",
    operation_id="webhooks_rotate_secret",
    tags=["webhooks"],
    status_code=200,
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def rotate_secret(
    db: NamedDependency[Db], webhook_id: FromPath[UUID], request: Request
) -> RotatedSecret:
    """A new signing secret, shown this once (`webhooks.manage`). For 24 hours deliveries carry
    signatures with both the new and the previous secret."""
    await require_tier_entitlement(db, "webhooks")
    await _load(db, webhook_id)
    secret, secret_id, sealed = await _sealed_secret(request, db)
    expires = await db.scalar(
        Q.webhook_rotate_secret, id=webhook_id, secret_id=secret_id, secret=sealed
    )
    return RotatedSecret(secret=secret, previous_expires_at=expires)


@post(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}/test",
    operation_id="webhooks_test",
    tags=["webhooks"],
    status_code=202,
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def send_test(db: NamedDependency[Db], webhook_id: FromPath[UUID]) -> TestSent:
    """Send a `webhook.test` event to this subscription only (`webhooks.manage`)."""
    await require_tier_entitlement(db, "webhooks")
    return TestSent(event_id=await db.scalar(Q.webhook_send_test, id=webhook_id))


@get(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}/attempts",
    operation_id="webhooks_attempts",
    tags=["webhooks"],
    opt=MANAGE,
)
async def list_attempts(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    webhook_id: FromPath[UUID],
    message_id: FromQuery[UUID | None] = None,
    event_id: FromQuery[UUID | None] = None,
    outcome: FromQuery[Literal["success", "failure"] | None] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
) -> Page[Attempt]:
    """The delivery log of a subscription (`webhooks.manage`), 90 days, filtered by message,
    event, outcome and time."""
    await _load(db, webhook_id)
    return await db.page(
        Q.webhook_attempts_list,
        Attempt,
        listing,
        id=webhook_id,
        message_id=message_id,
        event_id=event_id,
        outcome=outcome,
        since=since,
        until=until,
    )


@post(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}/messages/{message_id:uuid}/replay",
    operation_id="webhooks_replay_message",
    tags=["webhooks"],
    status_code=202,
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def replay_message(
    db: NamedDependency[Db], webhook_id: FromPath[UUID], message_id: FromPath[UUID]
) -> Replayed:
    """Send one message again from its first attempt, with the same `webhook-id`
    (`webhooks.manage`)."""
    await require_tier_entitlement(db, "webhooks")
    await db.execute(Q.webhook_replay_message, id=webhook_id, message_id=message_id)
    return Replayed(replayed=1)


@post(
    "/v1/orgs/{org_id:uuid}/webhooks/{webhook_id:uuid}/replay",
    operation_id="webhooks_replay_since",
    tags=["webhooks"],
    status_code=202,
    opt=MANAGE,
    responses=PAYMENT_REQUIRED,
)
async def replay_since(
    db: NamedDependency[Db], webhook_id: FromPath[UUID], since: FromQuery[datetime]
) -> Replayed:
    """Send again every failed (dead) message of this subscription created since a time
    (`webhooks.manage`)."""
    await require_tier_entitlement(db, "webhooks")
    return Replayed(replayed=await db.scalar(Q.webhook_replay_since, id=webhook_id, since=since))
