"""A patient's subscription through the real API and database: the default tier snapshot,
tier change, overrides with expiry, end; other tenants' ids, roles, bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import msgspec

from app.domains.events.catalog import CATALOG
from tests.api_client import Api
from tests.api_world import clinic, error_code

ANA = {"first_name": "Ana", "last_name": "Pop"}


def _premium(api: Api, org) -> None:
    made = api.post(
        org.url("/patient-tiers"),
        as_=org.owner,
        json={
            "code": "premium",
            "name": "Premium",
            "entitlements": {"priority_booking": True},
            "limits": {"bookings.monthly": 12},
        },
    )
    assert made.status_code == 201, made.text


def _value(body: dict, kind: str, code: str) -> dict:
    return next(item for item in body[kind] if item["code"] == code)


def test_staff_read_change_override_and_end_a_subscription(api: Api) -> None:
    a = clinic(api, "clinic-a")
    _premium(api, a)
    patient = api.post(a.url("/patients"), as_=a.receptionist, json=ANA).json()["id"]
    url = a.url(f"/patients/{patient}/subscription")

    current = api.get(url, as_=a.emails["specialist"])
    assert current.status_code == 200, current.text
    body = current.json()
    assert (body["tier_code"], body["version"], body["status"]) == ("standard", 1, "active")
    assert body["limits"] == [{"code": "bookings.monthly", "value": 4, "source": "subscription"}]
    assert _value(body, "entitlements", "priority_booking") == {
        "code": "priority_booking",
        "enabled": False,
        "source": "none",
    }
    assert body["current_period_end"] > body["current_period_start"]

    # A new version of the default tier leaves the snapshot alone.
    standard = next(
        t for t in api.get(a.url("/patient-tiers"), as_=a.owner).json() if t["code"] == "standard"
    )
    edited = api.patch(
        a.url(f"/patient-tiers/{standard['id']}"),
        as_=a.owner,
        json={"limits": {"bookings.monthly": 9}},
    )
    assert edited.status_code == 200, edited.text
    assert api.get(url, as_=a.owner).json()["limits"][0]["value"] == 4

    changed = api.put(url, as_=a.receptionist, json={"tier": "premium"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["tier_code"], changed.json()["limits"][0]["value"]) == ("premium", 12)
    assert _value(changed.json(), "entitlements", "priority_booking")["enabled"] is True
    assert changed.json()["id"] != body["id"]

    expires = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    granted = api.post(
        f"{url}/overrides",
        as_=a.receptionist,
        json={
            "limit": "bookings.monthly",
            "value": 30,
            "reason": "post-surgery",
            "expires_at": expires,
        },
    )
    assert granted.status_code == 201, granted.text
    perk = api.post(
        f"{url}/overrides",
        as_=a.receptionist,
        json={"entitlement": "exercise_library", "enabled": True, "reason": "pilot"},
    )
    assert perk.status_code == 201, perk.text
    seen = api.get(url, as_=a.owner).json()
    assert seen["limits"] == [{"code": "bookings.monthly", "value": 30, "source": "override"}]
    assert _value(seen, "entitlements", "exercise_library")["source"] == "override"
    assert {o["id"] for o in seen["overrides"]} == {granted.json()["id"], perk.json()["id"]}
    # The override expires: simulated by moving its expiry into the past.
    api.sql(
        "UPDATE people.patient_subscription_overrides SET created_at = now() - interval '2 days',"
        " expires_at = now() - interval '1 day' WHERE id = %s",
        (granted.json()["id"],),
    )
    assert api.get(url, as_=a.owner).json()["limits"][0] == {
        "code": "bookings.monthly",
        "value": 12,
        "source": "subscription",
    }
    revoked = api.delete(f"{url}/overrides/{perk.json()['id']}", as_=a.receptionist)
    assert revoked.status_code == 204
    assert (
        _value(api.get(url, as_=a.owner).json(), "entitlements", "exercise_library")["enabled"]
        is False
    )
    again = api.delete(f"{url}/overrides/{perk.json()['id']}", as_=a.receptionist)
    assert (again.status_code, error_code(again)) == (404, "patient_override_not_found")

    assert api.delete(url, as_=a.receptionist).status_code == 204
    gone = api.get(url, as_=a.owner)
    assert (gone.status_code, error_code(gone)) == (404, "patient_subscription_not_found")
    twice = api.delete(url, as_=a.receptionist)
    assert (twice.status_code, error_code(twice)) == (404, "patient_subscription_not_found")
    changes = [
        c
        for (c,) in api.sql(
            "SELECT payload ->> 'change' FROM events.outbox"
            " WHERE type = 'patient_subscription.changed' AND organization_id = %s"
            " ORDER BY position",
            (a.id,),
        )
    ]
    assert changes == [
        "started",
        "tier_changed",
        "override_granted",
        "override_granted",
        "override_revoked",
        "ended",
    ]
    decode_people_events(api)


def decode_people_events(api: Api) -> None:
    """Every people event published so far decodes strictly into its catalogued struct."""
    rows = api.sql(
        "SELECT type, version, payload::text FROM events.outbox"
        " WHERE type LIKE 'patient%%' ORDER BY position"
    )
    assert rows
    for event_type, version, payload in rows:
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])


def test_other_tenants_ids_are_404_and_unauthorized_roles_403(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    _premium(api, a)
    patient = api.post(a.url("/patients"), as_=a.receptionist, json=ANA).json()["id"]
    perk = api.post(
        a.url(f"/patients/{patient}/subscription/overrides"),
        as_=a.owner,
        json={"entitlement": "priority_booking", "enabled": True, "reason": "loyal"},
    ).json()["id"]
    for response in (
        api.get(b.url(f"/patients/{patient}/subscription"), as_=b.owner),
        api.put(b.url(f"/patients/{patient}/subscription"), as_=b.owner, json={"tier": "standard"}),
        api.delete(b.url(f"/patients/{patient}/subscription"), as_=b.owner),
        api.post(
            b.url(f"/patients/{patient}/subscription/overrides"),
            as_=b.owner,
            json={"entitlement": "priority_booking", "enabled": True, "reason": "steal"},
        ),
        api.delete(b.url(f"/patients/{patient}/subscription/overrides/{perk}"), as_=b.owner),
        api.get(a.url(f"/patients/{uuid.uuid4()}/subscription"), as_=a.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "patient_not_found")
    # B's own patient cannot revoke A's override either.
    own_b = api.post(b.url("/patients"), as_=b.owner, json=ANA).json()["id"]
    cross = api.delete(b.url(f"/patients/{own_b}/subscription/overrides/{perk}"), as_=b.owner)
    assert (cross.status_code, error_code(cross)) == (404, "patient_override_not_found")
    # B's tier codes do not exist in A.
    unknown = api.put(
        a.url(f"/patients/{patient}/subscription"), as_=a.owner, json={"tier": "gold"}
    )
    assert (unknown.status_code, error_code(unknown)) == (404, "patient_tier_not_found")
    billing = a.emails["billing"]
    url = a.url(f"/patients/{patient}/subscription")
    assert api.get(url, as_=billing).status_code == 403
    assert api.put(url, as_=billing, json={"tier": "premium"}).status_code == 403
    assert api.delete(url, as_=billing).status_code == 403
    specialist = a.emails["specialist"]
    # The specialist role manages patients too; support, without a break-glass grant, holds no
    # patient-data permission.
    assert api.get(url, as_=specialist).status_code == 200
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    assert api.get(url, as_=support).status_code == 403
    assert api.put(url, as_=support, json={"tier": "premium"}).status_code == 403
    assert api.get(url, as_=a.owner).json()["tier_code"] == "standard"


def test_bad_input_is_400_in_the_envelope(api: Api) -> None:
    a = clinic(api, "clinic-a")
    patient = api.post(a.url("/patients"), as_=a.receptionist, json=ANA).json()["id"]
    url = a.url(f"/patients/{patient}/subscription")
    for body in ({}, {"tier": 5}, {"tier": "x" * 64}, {"tier": "Premium!"}, {"tier": "a", "x": 1}):
        response = api.put(url, as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    for body in (
        {"reason": "no target"},
        {"entitlement": "priority_booking", "reason": "no enabled"},
        {
            "entitlement": "priority_booking",
            "limit": "bookings.monthly",
            "enabled": True,
            "reason": "two",
        },
        {"limit": "bookings.monthly", "value": -1, "reason": "negative"},
        {"limit": "bookings.monthly", "value": 1, "reason": "x" * 501},
        {"limit": "bookings.monthly", "value": 1},
        {"limit": "bookings.monthly", "value": "many", "reason": "wrong type"},
    ):
        response = api.post(f"{url}/overrides", as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    not_perk = api.post(
        f"{url}/overrides",
        as_=a.owner,
        json={"entitlement": "custom_domains", "enabled": True, "reason": "not a perk"},
    )
    assert (not_perk.status_code, error_code(not_perk)) == (422, "unknown_entitlement")
    past = api.post(
        f"{url}/overrides",
        as_=a.owner,
        json={
            "limit": "bookings.monthly",
            "value": 1,
            "reason": "late",
            "expires_at": "2020-01-01T00:00:00Z",
        },
    )
    assert past.status_code == 422
    assert api.value("SELECT count(*) FROM people.patient_subscription_overrides") == 0
    assert api.get(url, as_=a.owner).json()["tier_code"] == "standard"
