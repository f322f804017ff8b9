"""The organization logo through the real app, a real S3-compatible server and PostgreSQL:
upload form, browser-style POST to S3, confirm (kept or refused and deleted), read link,
replace, remove, the storage limit, tenants and roles, and the worker's sweep."""

from __future__ import annotations

import hashlib
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from app.domains.storage.client import ObjectStore
from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.s3server import exists, png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server
from tests.s3server import store as store
from workers.tasks.sweep_uploads import sweep

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


@pytest.fixture
def acme(api: Api) -> Clinic:
    return clinic(api, "acme-physio")


def request_upload(api: Api, org: Clinic, content_type: str = "image/png", as_: str = ""):
    return api.post(org.url("/logo"), as_=as_ or org.owner, json={"content_type": content_type})


def upload(api: Api, org: Clinic, content: bytes, content_type: str = "image/png") -> str:
    """Ask for a form, POST `content` to S3 with it; returns the file id to confirm."""
    response = request_upload(api, org, content_type)
    assert response.status_code == 201, response.text
    body = response.json()
    form = body["upload"]
    assert post_fields(form["url"], form["fields"], content, content_type) < 300
    return body["file_id"]


def confirm(api: Api, org: Clinic, file_id: str, as_: str = ""):
    return api.post(org.url(f"/logo/{file_id}/confirm"), as_=as_ or org.owner)


def file_row(api: Api, file_id: str) -> dict:
    columns = [
        "status",
        "rejection_reason",
        "object_key",
        "detected_mime",
        "size_bytes",
        "sha256",
        "deleted_at",
        "object_removed_at",
        "uploaded_by",
    ]
    rows = api.sql(
        f"SELECT {', '.join(columns)} FROM storage.files WHERE id = %s",
        (file_id,),
    )
    return dict(zip(columns, rows[0], strict=True))


def events(api: Api, org: Clinic, event_type: str) -> list[dict]:
    return [
        row[0]
        for row in api.sql(
            "SELECT payload FROM events.outbox WHERE organization_id = %s AND type = %s"
            " ORDER BY position",
            (org.id, event_type),
        )
    ]


def read(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback S3)
        return response.read(), response.headers["Content-Type"]


# --- the happy path ------------------------------------------------------------------------


def test_upload_form_is_bound_to_the_org_type_and_five_minutes(api: Api, acme: Clinic):
    before = datetime.now(UTC)
    response = request_upload(api, acme, "image/webp")

    assert response.status_code == 201
    body = response.json()
    form = body["upload"]
    assert form["fields"]["key"].startswith(f"orgs/{acme.id}/logo/")
    assert form["fields"]["Content-Type"] == "image/webp"
    assert form["content_type"] == "image/webp"
    assert form["max_bytes"] == 2 * MiB
    expires = datetime.fromisoformat(form["expires_at"])
    assert before + timedelta(minutes=4) < expires <= datetime.now(UTC) + timedelta(minutes=5)
    row = file_row(api, body["file_id"])
    assert row["status"] == "pending"
    assert row["object_key"] == form["fields"]["key"]
    assert str(row["uploaded_by"]) == acme.principals["owner"]


def test_confirmed_png_becomes_the_logo_with_a_read_link(api: Api, acme: Clinic):
    content = png_bytes(32, 32)
    file_id = upload(api, acme, content)

    response = confirm(api, acme, file_id)

    assert response.status_code == 200, response.text
    logo = response.json()
    assert logo["file_id"] == file_id
    assert logo["content_type"] == "image/png"
    assert logo["size_bytes"] == len(content)
    assert logo["sha256"] == hashlib.sha256(content).hexdigest()
    assert read(logo["url"]) == (content, "image/png")
    row = file_row(api, file_id)
    assert row["status"] == "ready"
    assert row["object_key"].endswith(".png")
    [event] = events(api, acme, "file.uploaded")
    assert event["file_id"] == file_id and event["size_bytes"] == len(content)
    assert event["replaces_file_id"] is None
    audited = api.value(
        "SELECT count(*) FROM audit.audit_log"
        " WHERE entity_type = 'storage.files' AND entity_id = %s",
        (file_id,),
    )
    assert audited == 2  # the grant and the confirmation

    # Every member sees the logo, whatever the role.
    shown = api.get(acme.url("/logo"), as_=acme.emails["specialist"])
    assert shown.status_code == 200
    assert read(shown.json()["url"])[0] == content


def test_a_new_logo_replaces_the_previous_one(api: Api, acme: Clinic, store: ObjectStore):
    first = upload(api, acme, png_bytes(8, 8))
    assert confirm(api, acme, first).status_code == 200
    second_content = JPEG
    second = upload(api, acme, second_content, "image/jpeg")

    response = confirm(api, acme, second)

    assert response.status_code == 200
    assert api.get(acme.url("/logo"), as_=acme.owner).json()["file_id"] == second
    assert file_row(api, first)["deleted_at"] is not None
    assert events(api, acme, "file.deleted") == [
        {"file_id": first, "purpose": "logo", "reason": "replaced"}
    ]
    assert events(api, acme, "file.uploaded")[-1]["replaces_file_id"] == first
    # The replaced bytes stay until the sweep, which removes them and only them.
    old_key = file_row(api, first)["object_key"]
    assert exists(store, old_key)
    with psycopg.connect(api.db.system_url) as conn:
        note = sweep(conn, store)
    assert note == "expired 0 uploads, removed the bytes of 1 files"
    assert not exists(store, old_key)
    assert exists(store, file_row(api, second)["object_key"])
    assert file_row(api, first)["object_removed_at"] is not None


def test_remove_the_logo(api: Api, acme: Clinic, store: ObjectStore):
    file_id = upload(api, acme, png_bytes())
    assert confirm(api, acme, file_id).status_code == 200

    assert api.delete(acme.url("/logo"), as_=acme.emails["specialist"]).status_code == 403
    assert api.delete(acme.url("/logo"), as_=acme.admin).status_code == 204

    missing = api.get(acme.url("/logo"), as_=acme.owner)
    assert missing.status_code == 404 and error_code(missing) == "logo_not_set"
    assert error_code(api.delete(acme.url("/logo"), as_=acme.admin)) == "logo_not_set"
    assert events(api, acme, "file.deleted")[0]["reason"] == "removed"
    with psycopg.connect(api.db.system_url) as conn:
        sweep(conn, store)
    assert not exists(store, file_row(api, file_id)["object_key"])


# --- refusals: each one recorded, answered, and leaving nothing in the bucket ---------------


@pytest.mark.parametrize(
    ("content", "declared", "reason", "detected"),
    [
        (JPEG, "image/png", "mime_mismatch", "image/jpeg"),
        (b"<!doctype html><script>alert(1)</script>", "image/png", "type_not_allowed", "text/html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/webp", "type_not_allowed", None),
    ],
)
def test_wrong_content_is_rejected_and_deleted(
    api: Api, acme: Clinic, store: ObjectStore, content, declared, reason, detected
):
    file_id = upload(api, acme, content, declared)
    key = file_row(api, file_id)["object_key"]

    response = confirm(api, acme, file_id)

    assert response.status_code == 422
    assert error_code(response) == "upload_rejected"
    details = response.json()["error"]["details"]
    assert details["reason"] == reason and details["file_id"] == file_id
    if detected:
        assert details["detected_mime"] == detected
    row = file_row(api, file_id)
    assert (row["status"], row["rejection_reason"]) == ("rejected", reason)
    assert row["object_removed_at"] is not None
    assert not exists(store, key)
    assert not exists(store, f"{key}.png") and not exists(store, f"{key}.webp")
    assert events(api, acme, "file.rejected")[0]["reason"] == reason
    assert api.get(acme.url("/logo"), as_=acme.owner).status_code == 404

    again = confirm(api, acme, file_id)
    assert again.status_code == 409 and error_code(again) == "file_not_pending"


def test_oversize_upload_is_rejected(api: Api, acme: Clinic, store: ObjectStore):
    content = png_bytes(1024, 720, noise=True)
    assert len(content) > 2 * MiB
    file_id = upload(api, acme, content)

    response = confirm(api, acme, file_id)

    assert response.status_code == 422
    assert response.json()["error"]["details"]["reason"] == "too_large"
    assert response.json()["error"]["details"]["size_bytes"] == len(content)
    assert not exists(store, file_row(api, file_id)["object_key"])


def test_confirm_without_an_upload_is_rejected_as_missing(api: Api, acme: Clinic):
    file_id = request_upload(api, acme).json()["file_id"]

    response = confirm(api, acme, file_id)

    assert response.status_code == 422
    assert response.json()["error"]["details"]["reason"] == "missing"
    assert file_row(api, file_id)["status"] == "rejected"


def test_the_storage_limit_refuses_and_deletes_the_upload(
    api: Api, acme: Clinic, store: ObjectStore
):
    content = png_bytes(16, 16)
    api.sql(
        "SELECT billing.grant_override(%s, NULL, 'storage.bytes', NULL, %s, 'test quota')",
        (acme.id, len(content) - 1),
    )
    file_id = upload(api, acme, content)
    key = file_row(api, file_id)["object_key"]

    response = confirm(api, acme, file_id)

    assert response.status_code == 402
    assert error_code(response) == "limit_exceeded"
    assert response.json()["error"]["details"]["limit_code"] == "storage.bytes"
    row = file_row(api, file_id)
    assert (row["status"], row["rejection_reason"]) == ("rejected", "quota_exceeded")
    assert not exists(store, key) and not exists(store, f"{key}.png")
    assert events(api, acme, "file.uploaded") == []


# --- who may do what ----------------------------------------------------------------------


def test_roles_and_other_tenants(api: Api, acme: Clinic):
    other = clinic(api, "other-clinic", roles=("owner",))
    file_id = upload(api, acme, png_bytes())

    # Uploading a logo edits the organization's profile.
    for role in ("specialist", "receptionist", "billing"):
        refused = request_upload(api, acme, as_=acme.emails[role])
        assert refused.status_code == 403, role
        assert error_code(refused) == "permission_denied"
    assert confirm(api, acme, file_id, as_=acme.receptionist).status_code == 403
    # Another clinic's owner: the organization is not found, nor is the file from their own.
    assert request_upload(api, acme, as_=other.owner).status_code == 404
    assert confirm(api, acme, file_id, as_=other.owner).status_code == 404
    foreign = api.post(other.url(f"/logo/{file_id}/confirm"), as_=other.owner)
    assert foreign.status_code == 404 and error_code(foreign) == "file_not_found"
    assert file_row(api, file_id)["status"] == "pending"
    assert api.get(acme.url("/logo"), as_=other.owner).status_code == 404
    # Unauthenticated.
    assert api.post(acme.url("/logo"), json={"content_type": "image/png"}).status_code == 401


def test_platform_support_reads_but_does_not_upload(api: Api, acme: Clinic):
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    assert confirm(api, acme, upload(api, acme, png_bytes())).status_code == 200

    assert api.get(acme.url("/logo"), as_=support).status_code == 200
    assert request_upload(api, acme, as_=support).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"content_type": "image/svg+xml"},
        {"content_type": "text/html"},
        {"content_type": 42},
        {"content_type": None},
        {"content_type": "image/png", "key": "orgs/../x"},
        {"content_type": "image/png" + "x" * 10_000},
    ],
)
def test_bad_requests_change_nothing(api: Api, acme: Clinic, body):
    response = api.post(acme.url("/logo"), as_=acme.owner, json=body)

    assert response.status_code == 400
    assert error_code(response) == "validation_failed"
    assert api.value("SELECT count(*) FROM storage.files") == 0


def test_confirm_of_an_unknown_or_malformed_file_id(api: Api, acme: Clinic):
    unknown_id = "6f1c1a52-3d6e-4c8e-9a0b-1c2d3e4f5a6b"
    unknown = api.post(acme.url(f"/logo/{unknown_id}/confirm"), as_=acme.owner)
    assert unknown.status_code == 404 and error_code(unknown) == "file_not_found"
    assert api.post(acme.url("/logo/not-a-uuid/confirm"), as_=acme.owner).status_code in (
        400,
        404,
    )


# --- the sweep of uploads never confirmed -------------------------------------------------


def test_sweep_refuses_abandoned_uploads_and_deletes_their_bytes(
    api: Api, acme: Clinic, store: ObjectStore
):
    abandoned = upload(api, acme, png_bytes())
    recent = upload(api, acme, png_bytes())
    key = file_row(api, abandoned)["object_key"]
    api.sql(
        "UPDATE storage.files SET upload_expires_at = now() - interval '2 hours' WHERE id = %s",
        (abandoned,),
    )

    with psycopg.connect(api.db.system_url) as conn:
        note = sweep(conn, store)

    assert note == "expired 1 uploads, removed the bytes of 0 files"
    row = file_row(api, abandoned)
    assert (row["status"], row["rejection_reason"]) == ("rejected", "expired")
    assert row["object_removed_at"] is not None
    assert not exists(store, key)
    assert file_row(api, recent)["status"] == "pending"
    assert exists(store, file_row(api, recent)["object_key"])
    assert events(api, acme, "file.rejected")[0]["reason"] == "expired"
    # A late confirm of the swept upload finds nothing to confirm.
    assert error_code(confirm(api, acme, abandoned)) == "file_not_pending"


def test_concurrent_confirmations_in_one_org_serialize(api: Api, acme: Clinic):
    """Two logos confirmed at once: the second waits for the first, then replaces it."""
    first, second = (request_upload(api, acme).json()["file_id"] for _ in range(2))

    def open_as_owner() -> psycopg.Connection:
        conn = psycopg.connect(api.db.app_url)
        conn.execute(
            "SELECT set_config('app.current_principal_id', %s, true),"
            " set_config('app.current_org_id', %s, true)",
            (acme.principals["owner"], acme.id),
        )
        return conn

    def complete(conn: psycopg.Connection, file_id: str) -> None:
        key = file_row(api, file_id)["object_key"]
        conn.execute(
            "SELECT storage.complete_upload(%s, %s, 'image/png', 100, %s)",
            (file_id, f"{key}.png", "a" * 64),
        )

    with open_as_owner() as one, open_as_owner() as two:
        complete(one, first)
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(lambda: (complete(two, second), two.commit()))
            time.sleep(0.5)
            assert not waiting.done(), "the second completion waits for the first"
            one.commit()
            waiting.result(timeout=30)

    assert file_row(api, first)["deleted_at"] is not None
    assert file_row(api, second)["status"] == "ready"
    assert file_row(api, second)["deleted_at"] is None
    assert events(api, acme, "file.uploaded")[-1]["replaces_file_id"] == first


def test_storage_without_credentials_answers_503_and_records_nothing(
    api: Api, acme: Clinic, monkeypatch: pytest.MonkeyPatch, tmp_path
):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    response = request_upload(api, acme)

    assert response.status_code == 503
    assert error_code(response) == "storage_unavailable"
    assert api.value("SELECT count(*) FROM storage.files") == 0
    # Reading needs no store while there is nothing to read.
    assert error_code(api.get(acme.url("/logo"), as_=acme.owner)) == "logo_not_set"
