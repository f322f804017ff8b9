"""Tenancy and billing events leave through webhooks with the fields their columns allow.

`body_of` is what the sender signs and POSTs: the envelope with the payload filtered for
`webhook_egress` by the struct's `CARRIES`. Before every domain declared `CARRIES`, these
events were delivered with an empty `data`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import msgspec
import pytest

from app import classification
from app.domains.billing.events import SubscriptionStarted
from app.domains.tenancy.events import OrganizationUpdated
from tests.api_client import Api
from tests.api_world import clinic
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import World, _hook
from workers.consumers.webhooks import Message, body_of


@pytest.fixture
def world(api: Api, receiver: Receiver) -> Iterator[World]:
    made = World(api, receiver)
    try:
        yield made
    finally:
        made.conn.close()


def _data(event_type: str, payload: dict) -> dict:
    message = Message(
        message_id=uuid.uuid4(),
        subscription_id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        url="https://hooks.example.test/in",
        attempt=1,
        event_id=uuid.uuid4(),
        event_type=event_type,
        event_version=1,
        occurred_at=datetime(2026, 12, 6, 2, 30, tzinfo=UTC),
        payload=msgspec.json.encode(payload).decode(),
        secret_ids=None,
        secrets=None,
    )
    body = msgspec.json.decode(body_of(message))
    assert body["type"] == event_type
    return body["data"]


def test_an_organization_update_leaves_with_its_public_fields_not_its_deletion_time() -> None:
    org = str(uuid.uuid4())
    payload = {
        "organization_id": org,
        "slug": "tour-clinic",
        "name": "Tour Clinic",
        "status": "active",
        "deleted_at": "2026-12-06T02:00:00Z",
        "changed": ["name", "deleted_at"],
    }
    msgspec.json.decode(msgspec.json.encode(payload), type=OrganizationUpdated)
    assert _data("organization.updated", payload) == {
        "organization_id": org,
        "slug": "tour-clinic",
        "name": "Tour Clinic",
        "status": "active",
        "changed": ["name", "deleted_at"],
    }


def test_a_subscription_start_keeps_what_may_leave_and_drops_the_rest() -> None:
    sub, tier_version = str(uuid.uuid4()), str(uuid.uuid4())
    payload = {
        "subscription_id": sub,
        "kind": "base",
        "tier_version_id": tier_version,
        "tier": "pro",
        "version": 3,
    }
    msgspec.json.decode(msgspec.json.encode(payload), type=SubscriptionStarted)
    registry = classification.load_registry()
    # The two dropped fields carry columns the registry keeps off webhooks.
    for field in ("tier_version_id", "version"):
        table, _, column = SubscriptionStarted.CARRIES[field].rpartition(".")
        assert "webhook_egress" not in registry[(table, column)].egress
    assert _data("subscription.started", payload) == {
        "subscription_id": sub,
        "kind": "base",
        "tier": "pro",
    }


def test_a_withheld_field_never_leaves() -> None:
    specialty = str(uuid.uuid4())
    payload = {"specialty_id": specialty, "specialists_unlinked": 4}
    assert _data("specialty.deleted", payload) == {"specialty_id": specialty}


def test_a_custom_domain_reaches_the_clinics_webhook_without_its_verification_time(
    world: World,
) -> None:
    """End to end: the tenancy triggers publish, the sender filters, signs and POSTs."""
    a = clinic(world.api, "clinic-a")
    _hook(world, a, "/a", ["domain.*"])
    (domain_id,) = world.api.sql(
        "INSERT INTO tenancy.organization_domains (organization_id, domain)"
        " VALUES (%s, 'physio-a.ro') RETURNING id",
        (a.id,),
    )[0]
    world.api.sql(
        "UPDATE tenancy.organization_domains SET verified_at = now() WHERE id = %s", (domain_id,)
    )
    world.fan_out()
    world.send()
    got = {d.body["type"]: d.body["data"] for d in world.receiver.at("/a")}
    expected = {"domain_id": str(domain_id), "domain": "physio-a.ro"}
    # verified_at carries tenancy.organization_domains.verified_at, which may not leave.
    assert got == {"domain.added": expected, "domain.verified": expected}
