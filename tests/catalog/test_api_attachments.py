"""Service attachments through the one upload path and the suite's S3 server: a PDF and an
image are uploaded, checked, listed with read links and removed; oversize and wrong types are
refused; other organizations' ids are 404; roles without catalog.manage are 403."""

from __future__ import annotations

import urllib.request
import uuid

import pytest

from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.s3server import png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


def _service(api: Api, org: Clinic) -> str:
    made = api.post(
        org.url("/services"),
        as_=org.owner,
        json={"name": "Physio", "duration_minutes": 50, "currency": "RON"},
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _upload(api: Api, org: Clinic, service: str, content: bytes, mime: str) -> str:
    response = api.post(
        org.url(f"/services/{service}/attachments"), as_=org.admin, json={"content_type": mime}
    )
    assert response.status_code == 201, response.text
    form = response.json()["upload"]
    assert form["fields"]["key"].startswith(f"orgs/{org.id}/service_attachment/")
    assert form["max_bytes"] == 10 * MiB
    post_fields(form["url"], form["fields"], content, mime)
    return response.json()["file_id"]


def _confirm(api: Api, org: Clinic, service: str, file_id: str):
    return api.post(org.url(f"/services/{service}/attachments/{file_id}/confirm"), as_=org.admin)


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback S3)
        return response.read()


def test_attachments_are_uploaded_listed_read_and_removed(api: Api) -> None:
    a = clinic(api, "clinic-a")
    service = _service(api, a)
    pdf = _upload(api, a, service, PDF, "application/pdf")
    kept = _confirm(api, a, service, pdf)
    assert kept.status_code == 200, kept.text
    assert kept.json()["content_type"] == "application/pdf"
    image = png_bytes(20, 10)
    png = _upload(api, a, service, image, "image/png")
    assert _confirm(api, a, service, png).status_code == 200
    listed = api.get(a.url(f"/services/{service}/attachments"), as_=a.receptionist)
    assert listed.status_code == 200, listed.text
    assert [f["file_id"] for f in listed.json()] == [pdf, png]
    assert _read(listed.json()[1]["url"]) == image
    assert (
        api.delete(a.url(f"/services/{service}/attachments/{pdf}"), as_=a.owner).status_code == 204
    )
    again = api.delete(a.url(f"/services/{service}/attachments/{pdf}"), as_=a.owner)
    assert (again.status_code, error_code(again)) == (404, "attachment_not_found")
    assert [
        f["file_id"] for f in api.get(a.url(f"/services/{service}/attachments"), as_=a.owner).json()
    ] == [png]
    assert api.value("SELECT deleted_at IS NOT NULL FROM storage.files WHERE id = %s", (pdf,))
    changed = api.sql(
        "SELECT payload->'changed' FROM events.outbox WHERE type = 'service.updated'"
        " AND organization_id = %s ORDER BY position",
        (a.id,),
    )
    assert [c for (c,) in changed] == [["attachments"]] * 3


def test_oversize_and_wrong_types_are_refused(api: Api) -> None:
    a = clinic(api, "clinic-a")
    service = _service(api, a)
    big = _upload(api, a, service, PDF + b"\x00" * (10 * MiB), "application/pdf")
    refused = _confirm(api, a, service, big)
    assert (refused.status_code, error_code(refused)) == (422, "upload_rejected")
    assert refused.json()["error"]["details"]["reason"] == "too_large"
    lying = _upload(api, a, service, png_bytes(4, 4), "application/pdf")
    refused = _confirm(api, a, service, lying)
    assert refused.json()["error"]["details"]["reason"] == "mime_mismatch"
    for body in (
        {},
        {"content_type": "image/svg+xml"},
        {"content_type": 3},
        {"content_type": "application/pdf", "x": 1},
    ):
        bad = api.post(a.url(f"/services/{service}/attachments"), as_=a.owner, json=body)
        assert bad.status_code == 400, (body, bad.text)
    assert api.get(a.url(f"/services/{service}/attachments"), as_=a.owner).json() == []


def test_other_tenants_and_roles(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    service = _service(api, a)
    pdf = _upload(api, a, service, PDF, "application/pdf")
    assert _confirm(api, a, service, pdf).status_code == 200
    url = f"/services/{service}/attachments"
    for response in (
        api.get(b.url(url), as_=b.owner),
        api.post(b.url(url), as_=b.owner, json={"content_type": "application/pdf"}),
        api.post(b.url(f"{url}/{pdf}/confirm"), as_=b.owner),
        api.delete(b.url(f"{url}/{pdf}"), as_=b.owner),
        api.get(a.url(f"/services/{uuid.uuid4()}/attachments"), as_=a.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "service_not_found")
    # B's own service cannot take A's file.
    b_service = _service(api, b)
    stolen = api.post(b.url(f"/services/{b_service}/attachments/{pdf}/confirm"), as_=b.owner)
    assert (stolen.status_code, error_code(stolen)) == (404, "file_not_found")
    assert api.get(a.url(url)).status_code == 401
    assert (
        api.post(
            a.url(url), as_=a.receptionist, json={"content_type": "application/pdf"}
        ).status_code
        == 403
    )
    assert api.delete(a.url(f"{url}/{pdf}"), as_=a.emails["specialist"]).status_code == 403
    assert api.get(a.url(url), as_=a.emails["billing"]).status_code == 200
    assert [f["file_id"] for f in api.get(a.url(url), as_=a.owner).json()] == [pdf]
