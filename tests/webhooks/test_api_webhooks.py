"""Webhook subscriptions through the real API and database: create (secret shown once), list,
change, enable/disable, rotate, test, replay; bad input, unsafe targets, other tenants' ids,
roles and the Free plan."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code

HOOK = {"url": "https://hooks.example.com/restartix", "event_types": ["patient.*"]}


def _hook(api: Api, org, body: dict | None = None) -> dict:
    made = api.post(org.url("/webhooks"), as_=org.owner, json=body or HOOK)
    assert made.status_code == 201, made.text
    return made.json()


def test_managers_create_list_change_rotate_test_and_delete_a_webhook(api: Api) -> None:
    a = clinic(api, "clinic-a")
    hook = _hook(api, a, {**HOOK, "description": "CRM"})
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) >= 6 + 32
    assert (hook["status"], hook["event_types"], hook["description"]) == (
        "active",
        ["patient.*"],
        "CRM",
    )
    got = api.get(a.url(f"/webhooks/{hook['id']}"), as_=a.admin)
    assert got.status_code == 200 and "secret" not in got.json()
    listed = api.get(a.url("/webhooks"), as_=a.owner).json()["items"]
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]

    off = api.patch(a.url(f"/webhooks/{hook['id']}"), as_=a.owner, json={"status": "disabled"})
    assert (off.json()["status"], off.json()["disabled_reason"]) == ("disabled", "manual")
    on = api.patch(
        a.url(f"/webhooks/{hook['id']}"),
        as_=a.owner,
        json={"status": "active", "event_types": ["*"]},
    )
    assert (on.json()["status"], on.json()["disabled_reason"], on.json()["event_types"]) == (
        "active",
        None,
        ["*"],
    )
    rotated = api.post(a.url(f"/webhooks/{hook['id']}/rotate-secret"), as_=a.owner)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != hook["secret"]
    test = api.post(a.url(f"/webhooks/{hook['id']}/test"), as_=a.owner)
    assert test.status_code == 202 and uuid.UUID(test.json()["event_id"])
    attempts = api.get(a.url(f"/webhooks/{hook['id']}/attempts"), as_=a.owner)
    assert attempts.status_code == 200 and attempts.json()["items"] == []
    replay = api.post(
        a.url(f"/webhooks/{hook['id']}/replay"),
        as_=a.owner,
        params={"since": "2020-01-01T00:00:00Z"},
    )
    assert (replay.status_code, replay.json()) == (202, {"replayed": 0})
    missing = api.post(a.url(f"/webhooks/{hook['id']}/messages/{uuid.uuid4()}/replay"), as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "message_not_found")
    # The secret is sealed: no row holds it in clear.
    sealed = api.sql("SELECT secret_encrypted FROM webhooks.webhook_secrets")
    assert len(sealed) == 2 and all(hook["secret"].encode() not in bytes(s) for (s,) in sealed)
    assert api.delete(a.url(f"/webhooks/{hook['id']}"), as_=a.owner).status_code == 204
    assert api.get(a.url(f"/webhooks/{hook['id']}"), as_=a.owner).status_code == 404
    types = api.sql(
        "SELECT type FROM events.outbox WHERE organization_id = %s AND type LIKE 'webhook.%%'"
        " ORDER BY position",
        (a.id,),
    )
    assert [t for (t,) in types] == [
        "webhook.created",
        "webhook.updated",
        "webhook.disabled",
        "webhook.updated",
        "webhook.secret_rotated",
        "webhook.test",
        "webhook.deleted",
    ]


def test_bad_input_and_unsafe_targets_are_400_and_change_nothing(api: Api) -> None:
    a = clinic(api, "clinic-a")
    for body in (
        {"event_types": ["*"]},  # missing url
        {"url": "https://hooks.example.com/"},  # missing event types
        {"url": 5, "event_types": ["*"]},  # wrong type
        {"url": "https://hooks.example.com/", "event_types": "*"},  # wrong type
        {"url": "https://hooks.example.com/", "event_types": []},
        {"url": "https://hooks.example.com/" + "x" * 2100, "event_types": ["*"]},  # oversize
        {"url": "https://hooks.example.com/", "event_types": ["*"], "description": "d" * 501},
        {"url": "https://hooks.example.com/", "event_types": ["Patient Created"]},
        {"url": "http://hooks.example.com/", "event_types": ["*"]},  # not https
        {"url": "ftp://hooks.example.com/", "event_types": ["*"]},
        {"url": "https://127.0.0.1/", "event_types": ["*"]},  # loopback
        {"url": "https://10.1.2.3/", "event_types": ["*"]},  # private
        {"url": "https://169.254.169.254/latest/meta-data", "event_types": ["*"]},  # metadata
        {"url": "https://[::1]/", "event_types": ["*"]},
        {"url": "https://localhost/", "event_types": ["*"]},  # resolves to loopback
        {"url": "https://user:pw@hooks.example.com/", "event_types": ["*"]},
        {**HOOK, "extra": 1},
    ):
        made = api.post(a.url("/webhooks"), as_=a.owner, json=body)
        assert (made.status_code, error_code(made)) == (400, "validation_failed"), (body, made.text)
    assert api.get(a.url("/webhooks"), as_=a.owner).json()["items"] == []
    hook = _hook(api, a)
    bad = api.patch(
        a.url(f"/webhooks/{hook['id']}"), as_=a.owner, json={"url": "https://10.0.0.1/"}
    )
    assert bad.status_code == 400
    wrong = api.patch(a.url(f"/webhooks/{hook['id']}"), as_=a.owner, json={"status": "gone"})
    assert wrong.status_code == 400
    assert api.get(a.url(f"/webhooks/{hook['id']}"), as_=a.owner).json()["url"] == HOOK["url"]
    no_since = api.post(a.url(f"/webhooks/{hook['id']}/replay"), as_=a.owner)
    assert no_since.status_code == 400


def test_other_tenants_ids_are_404_roles_403_and_the_free_plan_402(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    hook = _hook(api, a)
    base = f"/webhooks/{hook['id']}"
    for response in (
        api.get(b.url(base), as_=b.owner),
        api.patch(b.url(base), as_=b.owner, json={"description": "x"}),
        api.delete(b.url(base), as_=b.owner),
        api.post(b.url(base + "/rotate-secret"), as_=b.owner),
        api.post(b.url(base + "/test"), as_=b.owner),
        api.get(b.url(base + "/attempts"), as_=b.owner),
        api.post(b.url(base + f"/messages/{uuid.uuid4()}/replay"), as_=b.owner),
        api.post(b.url(base + "/replay"), as_=b.owner, params={"since": "2020-01-01T00:00:00Z"}),
    ):
        assert (response.status_code, error_code(response)) == (404, "webhook_not_found"), (
            response.text
        )
    assert api.get(b.url("/webhooks"), as_=b.owner).json()["items"] == []
    for role in ("specialist", "receptionist", "billing"):
        member = a.emails[role]
        assert api.get(a.url("/webhooks"), as_=member).status_code == 403
        assert api.post(a.url("/webhooks"), as_=member, json=HOOK).status_code == 403
        assert api.delete(a.url(base), as_=member).status_code == 403
    free = clinic(api, "clinic-free", tier=None)
    refused = api.post(free.url("/webhooks"), as_=free.owner, json=HOOK)
    assert (refused.status_code, error_code(refused)) == (402, "tier_entitlement_unavailable")
