"""Provider registries through the real app: credentials are write-only and encrypted at
rest (the raw column is ciphertext, the audit log masks it), only the system side opens them,
resolution prefers an organization's override, and each clinic's accounts are its own."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from app.crypto import FieldCipher, Keyring
from app.crypto.local import LocalKeyProvider
from app.crypto.rotation import Rotator
from app.crypto.store import PostgresKeyStore
from app.domains.integrations.credentials import (
    PLATFORM_KEY_SCOPE,
    integration_credentials,
    provider_credentials,
)
from app.domains.integrations.platform_keys import rotate_platform_key
from tests.api_client import Api
from tests.api_world import clinic, error_code

ROOT = "root@platform.test"
SUPPORT = "support@platform.test"
SECRET = "refresh-token-7f3a9c"
CALENDAR = {
    "kind": "google_calendar",
    "account_label": "calendar@clinic-a.test",
    "scopes": ["https://www.googleapis.com/auth/calendar"],
    "credentials": {"refresh_token": SECRET, "client_id": "cid-1"},
}


@pytest.fixture
def kek(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A key-encryption key made for this test; the app builds its cipher from it."""
    key = os.urandom(32)
    monkeypatch.setenv("ENCRYPTION_PROVIDER", "local")
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK", base64.b64encode(key).decode())
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK_FILE", "")
    return key


def system_cipher(api: Api, kek: bytes) -> FieldCipher:
    """The system side's cipher, its keys read through the system pool as a worker would."""
    store = PostgresKeyStore(lambda: psycopg.connect(api.db.system_url))
    return FieldCipher(Keyring(store, LocalKeyProvider([kek])))


@pytest.fixture
def system_conn(api: Api) -> Iterator[psycopg.Connection]:
    with psycopg.connect(api.db.system_url) as conn:
        yield conn


def raw_rows(api: Api, table: str) -> list[bytes]:
    return [bytes(r[0]) for r in api.sql(f"SELECT credentials_encrypted FROM {table}") if r[0]]


def test_connected_account_credentials_never_leave_the_api(
    api: Api, kek: bytes, system_conn: psycopg.Connection
) -> None:
    a = clinic(api, "clinic-a")
    connected = api.post(a.url("/integrations"), as_=a.admin, json=CALENDAR)
    assert connected.status_code == 201, connected.text
    body = connected.json()
    assert body["has_credentials"] is True and body["status"] == "connected"
    assert "credentials" not in body and SECRET not in connected.text
    listed = api.get(a.url("/integrations"), as_=a.owner)
    assert listed.status_code == 200 and SECRET not in listed.text
    assert [i["id"] for i in listed.json()] == [body["id"]]

    # At rest: version-1 ciphertext, never the plaintext; the audit log names, never shows.
    (raw,) = raw_rows(api, "integrations.organization_integrations")
    assert raw[0] == 1 and SECRET.encode() not in raw and b"refresh_token" not in raw
    audit = api.sql(
        "SELECT new_values::text FROM audit.audit_log"
        " WHERE entity_type = 'integrations.organization_integrations'"
    )
    assert audit and all('"credentials_encrypted": "[redacted]"' in row for (row,) in audit)
    assert not any(SECRET in row for (row,) in audit)

    # The system side opens them, for the organization its transaction names.
    cipher = system_cipher(api, kek)
    opened = integration_credentials(system_conn, cipher, a.id, body["id"])
    assert opened == CALENDAR["credentials"]
    system_conn.rollback()
    assert integration_credentials(system_conn, cipher, str(uuid.uuid4()), body["id"]) is None
    system_conn.rollback()

    replaced = api.patch(
        a.url(f"/integrations/{body['id']}"),
        as_=a.admin,
        json={"credentials": {"refresh_token": "second-token"}, "scopes": []},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["scopes"] == [] and "second-token" not in replaced.text
    (raw_again,) = raw_rows(api, "integrations.organization_integrations")
    assert raw_again != raw
    assert integration_credentials(system_conn, cipher, a.id, body["id"]) == {
        "refresh_token": "second-token"
    }
    system_conn.rollback()

    disconnected = api.patch(
        a.url(f"/integrations/{body['id']}"), as_=a.admin, json={"status": "disconnected"}
    )
    assert disconnected.json()["has_credentials"] is False
    assert raw_rows(api, "integrations.organization_integrations") == []
    removed = api.delete(a.url(f"/integrations/{body['id']}"), as_=a.admin)
    assert removed.status_code == 204
    assert api.get(a.url("/integrations"), as_=a.admin).json() == []


def test_connected_accounts_belong_to_their_clinic(api: Api, kek: bytes) -> None:
    a = clinic(api, "clinic-a")
    b = clinic(api, "clinic-b", roles=("owner",))
    made = api.post(a.url("/integrations"), as_=a.admin, json=CALENDAR).json()
    path = f"/integrations/{made['id']}"

    for response in (
        api.get(a.url("/integrations"), as_=a.receptionist),
        api.post(a.url("/integrations"), as_=a.receptionist, json=CALENDAR),
        api.delete(a.url(path), as_=a.emails["specialist"]),
    ):
        assert response.status_code == 403 and error_code(response) == "permission_denied"
    assert api.get(a.url("/integrations"), as_=b.owner).status_code == 404
    # Clinic A's id through clinic B's URL: not found, and nothing changed.
    assert api.patch(b.url(path), as_=b.owner, json={"status": "disconnected"}).status_code == 404
    assert api.delete(b.url(path), as_=b.owner).status_code == 404
    assert api.get(b.url("/integrations"), as_=b.owner).json() == []
    assert api.get(a.url("/integrations"), as_=a.admin).json()[0]["has_credentials"] is True
    duplicate = api.post(a.url("/integrations"), as_=a.admin, json=CALENDAR)
    assert duplicate.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {**CALENDAR, "password": "x"},
        {**CALENDAR, "kind": "fax_machine"},
        {**CALENDAR, "account_label": ""},
        {**CALENDAR, "scopes": ["has space"]},
        {**CALENDAR, "scopes": [f"s{i}" for i in range(51)]},
        {**CALENDAR, "credentials": {}},
        {**CALENDAR, "credentials": {"token": 42}},
        {**CALENDAR, "credentials": {"token": "x" * 4097}},
        {**CALENDAR, "credentials": {f"k{i}": "x" * 4000 for i in range(5)}},
        {**CALENDAR, "credentials": "plain string"},
    ],
)
def test_bad_integrations_are_refused(api: Api, kek: bytes, body: dict) -> None:
    a = clinic(api, "clinic-a", roles=("admin",))
    response = api.post(a.url("/integrations"), as_=a.admin, json=body)
    assert response.status_code == 400, response.text
    assert error_code(response) == "validation_failed"
    assert api.value("SELECT count(*) FROM integrations.organization_integrations") == 0


def test_platform_providers_resolve_overrides_and_keep_their_secrets(
    api: Api, kek: bytes, system_conn: psycopg.Connection
) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    api.platform(api.human(ROOT))
    api.platform(api.human(SUPPORT), "support")

    daily = api.post(
        "/v1/console/service-providers",
        as_=ROOT,
        json={
            "category": "video",
            "provider": "daily",
            "config": {"domain": "restartix.daily.co"},
            "credentials": {"api_key": SECRET},
            "is_default": True,
        },
    )
    assert daily.status_code == 201, daily.text
    assert daily.json()["has_credentials"] is True and SECRET not in daily.text
    override = api.post(
        "/v1/console/service-providers",
        as_=ROOT,
        json={
            "category": "video",
            "provider": "daily",
            "organization_id": a.id,
            "config": {"domain": "clinic-a.daily.co"},
            "credentials": {"api_key": "clinic-a-key"},
        },
    ).json()

    resolved_a = api.get(f"/v1/console/orgs/{a.id}/providers", as_=SUPPORT).json()
    video_a = next(r for r in resolved_a if r["category"] == "video")
    assert (video_a["provider_id"], video_a["source"]) == (override["id"], "organization")
    assert next(r for r in resolved_a if r["category"] == "sms")["provider_id"] is None
    resolved_b = api.get(f"/v1/console/orgs/{b.id}/providers", as_=ROOT).json()
    video_b = next(r for r in resolved_b if r["category"] == "video")
    assert (video_b["provider_id"], video_b["source"]) == (daily.json()["id"], "platform")

    # The platform row is sealed under the platform key scope, the override under clinic A's.
    scopes = {
        str(r[0])
        for r in api.sql("SELECT DISTINCT organization_id FROM crypto.organization_data_keys")
    }
    assert scopes == {str(PLATFORM_KEY_SCOPE), a.id}
    for raw in raw_rows(api, "integrations.platform_service_providers"):
        assert raw[0] == 1 and SECRET.encode() not in raw
    cipher = system_cipher(api, kek)
    assert provider_credentials(system_conn, cipher, daily.json()["id"]) == {"api_key": SECRET}
    assert provider_credentials(system_conn, cipher, override["id"]) == {"api_key": "clinic-a-key"}
    listed = api.get("/v1/console/service-providers", as_=SUPPORT, params={"category": "video"})
    assert len(listed.json()) == 2 and SECRET not in listed.text

    # A new default takes over; the old one stays, no longer the default.
    whereby = api.post(
        "/v1/console/service-providers",
        as_=ROOT,
        json={"category": "video", "provider": "whereby", "is_default": True},
    ).json()
    defaults = api.get(
        "/v1/console/service-providers", as_=ROOT, params={"category": "video"}
    ).json()
    assert [p["id"] for p in defaults if p["is_default"]] == [whereby["id"]]
    disabled = api.patch(
        f"/v1/console/service-providers/{override['id']}", as_=ROOT, json={"enabled": False}
    )
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    video_a = next(
        r
        for r in api.get(f"/v1/console/orgs/{a.id}/providers", as_=ROOT).json()
        if r["category"] == "video"
    )
    assert (video_a["provider_id"], video_a["source"]) == (whereby["id"], "platform")

    # Rotating the platform key re-seals the platform rows; the secrets still open.
    with psycopg.connect(api.db.owner_url, options="-c role=restartix_owner") as owner:
        result = rotate_platform_key(cipher, owner, say=lambda _line: None)
    assert (result.version, result.moved, result.retired) == (2, 1, [1])
    system_conn.rollback()
    assert provider_credentials(system_conn, cipher, daily.json()["id"]) == {"api_key": SECRET}

    audit = api.sql(
        "SELECT coalesce(new_values, old_values)::text FROM audit.audit_log"
        " WHERE entity_type = 'integrations.platform_service_providers'"
    )
    assert audit and not any(SECRET in row or "clinic-a-key" in row for (row,) in audit)

    # Staff read, only admins write; clinics never see the console.
    for who, method, path, body in (
        (SUPPORT, "post", "/v1/console/service-providers", {"category": "sms", "provider": "tw"}),
        (SUPPORT, "delete", f"/v1/console/service-providers/{whereby['id']}", None),
        (a.owner, "get", "/v1/console/service-providers", None),
        (a.owner, "get", f"/v1/console/orgs/{a.id}/providers", None),
    ):
        kwargs = {"json": body} if body else {}
        response = getattr(api, method)(path, as_=who, **kwargs)
        assert response.status_code == 403, (who, path, response.text)
    gone = api.delete(f"/v1/console/service-providers/{override['id']}", as_=ROOT)
    assert gone.status_code == 204
    assert (
        api.delete(f"/v1/console/service-providers/{override['id']}", as_=ROOT).status_code == 404
    )


def test_rotating_a_clinic_key_moves_its_secrets(
    api: Api, kek: bytes, system_conn: psycopg.Connection
) -> None:
    """`restartix crypto rotate --org` finds both columns through the registry: the clinic's
    connected accounts and its Cat A override are sealed under its keys."""
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    api.platform(api.human(ROOT))
    calendar = api.post(a.url("/integrations"), as_=a.admin, json=CALENDAR).json()
    override = api.post(
        "/v1/console/service-providers",
        as_=ROOT,
        json={
            "category": "sms",
            "provider": "twilio",
            "organization_id": a.id,
            "credentials": {"auth_token": "sms-secret"},
        },
    ).json()
    before = raw_rows(api, "integrations.organization_integrations") + raw_rows(
        api, "integrations.platform_service_providers"
    )
    cipher = system_cipher(api, kek)
    with psycopg.connect(
        api.db.owner_url, autocommit=True, options="-c role=restartix_owner"
    ) as conn:
        result = Rotator(cipher, conn, say=lambda _line: None).rotate(uuid.UUID(a.id))
    assert (result.version, result.done, result.retired) == (2, 2, [1])
    after = raw_rows(api, "integrations.organization_integrations") + raw_rows(
        api, "integrations.platform_service_providers"
    )
    assert not set(before) & set(after)
    assert (
        integration_credentials(system_conn, cipher, a.id, calendar["id"])
        == (CALENDAR["credentials"])
    )
    system_conn.rollback()
    assert provider_credentials(system_conn, cipher, override["id"]) == {"auth_token": "sms-secret"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"category": "fax", "provider": "x1"}, 400),
        ({"category": "video", "provider": "Has Caps"}, 400),
        ({"category": "video", "provider": "daily", "api_key": "oops"}, 400),
        ({"category": "video", "provider": "daily", "config": {"x": "y" * 9000}}, 400),
        ({"category": "video", "provider": "daily", "organization_id": "{org}",
          "is_default": True}, 422),
        ({"category": "video", "provider": "daily", "organization_id": str(uuid.uuid4())}, 422),
    ],
)  # fmt: skip
def test_bad_providers_are_refused(api: Api, kek: bytes, body: dict, status: int) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    api.platform(api.human(ROOT))
    filled = {k: v.format(org=a.id) if isinstance(v, str) else v for k, v in body.items()}
    response = api.post("/v1/console/service-providers", as_=ROOT, json=filled)
    assert response.status_code == status, response.text
    assert api.value("SELECT count(*) FROM integrations.platform_service_providers") == 0
