"""Appointment files through the one upload path and the suite's S3 server (upload, check,
list, presigned read, soft removal; oversize and wrong types refused), the patient's and a
booking caregiver's read of them through /v1/me, and reviews: only a done appointment, once,
by the patient or that caregiver; staff read and list them. Wrong types, missing fields,
oversize values, other tenants' ids and roles without the permission throughout."""

from __future__ import annotations

import urllib.request
import uuid

import pytest

from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.appointments.test_api_appointments import MONDAY_10, _book, _world
from tests.s3server import png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ION = "ion@pop.test"
MUM = "mum@home.test"


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback S3)
        return response.read()


def _upload(api: Api, org: Clinic, appointment: str, content: bytes, mime: str) -> str:
    response = api.post(
        org.url(f"/appointments/{appointment}/files"),
        as_=org.receptionist,
        json={"content_type": mime},
    )
    assert response.status_code == 201, response.text
    form = response.json()["upload"]
    assert form["fields"]["key"].startswith(f"orgs/{org.id}/appointment_file/")
    assert form["max_bytes"] == 20 * MiB
    post_fields(form["url"], form["fields"], content, mime)
    return response.json()["file_id"]


def _confirm(api: Api, org: Clinic, appointment: str, file_id: str):
    return api.post(
        org.url(f"/appointments/{appointment}/files/{file_id}/confirm"), as_=org.receptionist
    )


def _with_patient(api: Api):
    """A clinic whose patient Ion signed in (onboarded), with Mum as a booking caregiver and
    one booked appointment of Ion."""
    a, cal, ana, _patient = _world(api)
    onboarded = api.post(
        "/v1/portal/onboard",
        as_=ION,
        json={"slug": "clinic-a", "first_name": "Ion", "last_name": "Pop"},
    )
    assert onboarded.status_code == 201, onboarded.text
    patient = onboarded.json()["patient_id"]
    assert api.get("/v1/me/appointments", as_=MUM).status_code == 200  # Mum signs in once
    added = api.post(
        a.url(f"/patients/{patient}/caregivers"),
        as_=a.owner,
        json={"email": MUM, "relationship": "parent", "permissions": ["book"]},
    )
    assert added.status_code == 201, added.text
    booked = _book(api, a, cal, patient)
    assert booked.status_code == 201, booked.text
    return a, cal, ana, patient, booked.json()["id"]


def _done(api: Api, org: Clinic, appointment: str) -> None:
    one = org.url(f"/appointments/{appointment}/transition")
    for status in ("inprogress", "done"):
        moved = api.post(one, as_=org.owner, json={"status": status})
        assert moved.status_code == 200, moved.text


def test_files_are_uploaded_listed_read_and_removed(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    pdf = _upload(api, a, appt, PDF, "application/pdf")
    kept = _confirm(api, a, appt, pdf)
    assert kept.status_code == 200, kept.text
    assert (kept.json()["file_id"], kept.json()["content_type"]) == (pdf, "application/pdf")
    image = png_bytes(20, 10)
    png = _upload(api, a, appt, image, "image/png")
    assert _confirm(api, a, appt, png).status_code == 200
    files = a.url(f"/appointments/{appt}/files")
    listed = api.get(files, as_=a.emails["specialist"])
    assert listed.status_code == 200, listed.text
    assert [f["file_id"] for f in listed.json()] == [pdf, png]
    assert _read(listed.json()[1]["url"]) == image
    one = api.get(f"{files}/{pdf}", as_=a.receptionist)
    assert one.status_code == 200, one.text
    assert _read(one.json()["url"]) == PDF

    # The patient and the booking caregiver read them through /v1/me.
    mine = api.get(f"/v1/me/appointments/{appt}/files", as_=ION)
    assert mine.status_code == 200, mine.text
    assert [f["file_id"] for f in mine.json()] == [pdf, png]
    assert _read(mine.json()[0]["url"]) == PDF
    theirs = api.get(f"/v1/me/appointments/{appt}/files/{png}", as_=MUM)
    assert theirs.status_code == 200, theirs.text
    assert _read(theirs.json()["url"]) == image

    assert api.delete(f"{files}/{pdf}", as_=a.owner).status_code == 204
    again = api.delete(f"{files}/{pdf}", as_=a.owner)
    assert (again.status_code, error_code(again)) == (404, "file_not_found")
    gone = api.get(f"{files}/{pdf}", as_=a.owner)
    assert (gone.status_code, error_code(gone)) == (404, "file_not_found")
    assert [f["file_id"] for f in api.get(files, as_=a.owner).json()] == [png]
    assert [f["file_id"] for f in api.get(f"/v1/me/appointments/{appt}/files", as_=ION).json()] == [
        png
    ]
    assert api.value("SELECT deleted_at IS NOT NULL FROM storage.files WHERE id = %s", (pdf,))
    assert api.value(
        "SELECT deleted_at IS NOT NULL FROM appointments.appointment_files WHERE file_id = %s",
        (pdf,),
    ), "the link is kept, soft-deleted"
    types = api.sql(
        "SELECT type FROM events.outbox WHERE type LIKE 'appointment.file_%%'"
        " AND organization_id = %s ORDER BY position",
        (a.id,),
    )
    assert [t for (t,) in types] == [
        "appointment.file_added",
        "appointment.file_added",
        "appointment.file_removed",
    ]


def test_oversize_wrong_types_and_bad_bodies_are_refused(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    big = _upload(api, a, appt, PDF + b"\x00" * (20 * MiB), "application/pdf")
    refused = _confirm(api, a, appt, big)
    assert (refused.status_code, error_code(refused)) == (422, "upload_rejected")
    assert refused.json()["error"]["details"]["reason"] == "too_large"
    lying = _upload(api, a, appt, png_bytes(4, 4), "application/pdf")
    refused = _confirm(api, a, appt, lying)
    assert refused.json()["error"]["details"]["reason"] == "mime_mismatch"
    url = a.url(f"/appointments/{appt}/files")
    for body in (
        {},
        {"content_type": "image/svg+xml"},
        {"content_type": "text/html"},
        {"content_type": 3},
        {"content_type": "application/pdf", "x": 1},
    ):
        bad = api.post(url, as_=a.owner, json=body)
        assert bad.status_code == 400, (body, bad.text)
    assert api.get(url, as_=a.owner).json() == []
    not_uuid = api.get(a.url("/appointments/nope/files"), as_=a.owner)
    assert not_uuid.status_code in (400, 404)


def test_files_of_other_tenants_and_roles(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    pdf = _upload(api, a, appt, PDF, "application/pdf")
    assert _confirm(api, a, appt, pdf).status_code == 200
    b = clinic(api, "clinic-b")
    url = f"/appointments/{appt}/files"
    for response in (
        api.get(b.url(url), as_=b.owner),
        api.get(b.url(f"{url}/{pdf}"), as_=b.owner),
        api.post(b.url(url), as_=b.owner, json={"content_type": "application/pdf"}),
        api.post(b.url(f"{url}/{pdf}/confirm"), as_=b.owner),
        api.delete(b.url(f"{url}/{pdf}"), as_=b.owner),
        api.get(a.url(f"/appointments/{uuid.uuid4()}/files"), as_=a.owner),
        api.get(f"/v1/me/appointments/{appt}/files", as_="eve@pop.test"),
        api.get(f"/v1/me/appointments/{appt}/files/{pdf}", as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "appointment_not_found")
    unknown = api.get(a.url(f"{url}/{uuid.uuid4()}"), as_=a.owner)
    assert (unknown.status_code, error_code(unknown)) == (404, "file_not_found")
    billing = a.emails["billing"]
    assert api.get(a.url(url)).status_code == 401
    assert api.get(f"/v1/me/appointments/{appt}/files").status_code == 401
    assert api.get(a.url(url), as_=billing).status_code == 403
    assert api.get(a.url(f"{url}/{pdf}"), as_=billing).status_code == 403
    assert (
        api.post(a.url(url), as_=billing, json={"content_type": "application/pdf"}).status_code
        == 403
    )
    assert api.delete(a.url(f"{url}/{pdf}"), as_=billing).status_code == 403
    # The patient reads but neither uploads nor removes: those routes are the clinic's.
    patient_upload = api.post(a.url(url), as_=ION, json={"content_type": "application/pdf"})
    assert (patient_upload.status_code, error_code(patient_upload)) == (
        404,
        "organization_not_found",
    )
    assert [f["file_id"] for f in api.get(a.url(url), as_=a.owner).json()] == [pdf]


def test_reviews_by_the_patient_after_done_once(api: Api) -> None:
    a, cal, ana, patient, appt = _with_patient(api)
    mine = f"/v1/me/appointments/{appt}/review"
    early = api.post(mine, as_=ION, json={"stars": 5})
    assert (early.status_code, error_code(early)) == (409, "appointment_not_done")
    _done(api, a, appt)
    for body in (
        {},
        {"stars": 0},
        {"stars": 6},
        {"stars": "five"},
        {"stars": 4.5},
        {"stars": 4, "comment": "x" * 2001},
        {"stars": 4, "comment": 7},
        {"stars": 4, "extra": True},
    ):
        bad = api.post(mine, as_=ION, json=body)
        assert bad.status_code == 400, (body, bad.text)
    stranger = api.post(mine, as_="eve@pop.test", json={"stars": 1})
    assert (stranger.status_code, error_code(stranger)) == (404, "appointment_not_found")
    none_yet = api.get(mine, as_=ION)
    assert (none_yet.status_code, error_code(none_yet)) == (404, "review_not_found")

    written = api.post(mine, as_=ION, json={"stars": 5, "comment": "Much better, thank you."})
    assert written.status_code == 201, written.text
    assert (written.json()["stars"], written.json()["comment"]) == (5, "Much better, thank you.")
    twice = api.post(mine, as_=MUM, json={"stars": 1})
    assert (twice.status_code, error_code(twice)) == (409, "review_exists")
    assert api.get(mine, as_=MUM).json()["id"] == written.json()["id"]
    hidden = api.get(mine, as_="eve@pop.test")
    assert (hidden.status_code, error_code(hidden)) == (404, "review_not_found")

    # A second done appointment, rated low by the booking caregiver.
    second = _book(api, a, cal, patient, start=MONDAY_10).json()["id"]
    _done(api, a, second)
    low = api.post(f"/v1/me/appointments/{second}/review", as_=MUM, json={"stars": 2})
    assert low.status_code == 201, low.text
    assert low.json()["comment"] is None

    staff = api.get(a.url(f"/appointments/{appt}/review"), as_=a.emails["specialist"])
    assert staff.status_code == 200, staff.text
    assert (staff.json()["specialist_id"], staff.json()["patient_id"]) == (ana, patient)
    listed = api.get(a.url("/reviews"), as_=a.receptionist)
    assert listed.status_code == 200, listed.text
    assert [r["stars"] for r in listed.json()["items"]] == [5, 2]
    low_only = api.get(a.url("/reviews"), as_=a.owner, params={"max_stars": 2})
    assert [r["appointment_id"] for r in low_only.json()["items"]] == [second]
    fives = api.get(a.url("/reviews"), as_=a.owner, params={"stars": 5, "specialist_id": ana})
    assert [r["appointment_id"] for r in fives.json()["items"]] == [appt]
    other = api.get(a.url("/reviews"), as_=a.owner, params={"specialist_id": str(uuid.uuid4())})
    assert other.json()["items"] == []
    future = api.get(a.url("/reviews"), as_=a.owner, params={"from": "2099-01-01T00:00:00Z"})
    assert future.json()["items"] == []
    for params in ({"stars": 0}, {"stars": "many"}, {"max_stars": 6}, {"from": "soon"}):
        assert api.get(a.url("/reviews"), as_=a.owner, params=params).status_code == 400, params

    types = api.sql(
        "SELECT type, payload FROM events.outbox WHERE type LIKE 'appointment.review%%'"
        " AND organization_id = %s ORDER BY position",
        (a.id,),
    )
    assert [(t, p["stars"]) for t, p in types] == [
        ("appointment.reviewed", 5),
        ("appointment.reviewed", 2),
        ("appointment.review_low", 2),
    ]
    assert all("comment" not in p for _t, p in types)


def test_reviews_of_other_tenants_and_roles(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    _done(api, a, appt)
    assert api.post(
        f"/v1/me/appointments/{appt}/review", as_=ION, json={"stars": 3}
    ).status_code == (201)
    b = clinic(api, "clinic-b")
    gone = api.get(b.url(f"/appointments/{appt}/review"), as_=b.owner)
    assert (gone.status_code, error_code(gone)) == (404, "review_not_found")
    assert api.get(b.url("/reviews"), as_=b.owner).json()["items"] == []
    unknown = api.get(a.url(f"/appointments/{uuid.uuid4()}/review"), as_=a.owner)
    assert (unknown.status_code, error_code(unknown)) == (404, "review_not_found")
    ghost = api.post(f"/v1/me/appointments/{uuid.uuid4()}/review", as_=ION, json={"stars": 3})
    assert (ghost.status_code, error_code(ghost)) == (404, "appointment_not_found")
    billing = a.emails["billing"]
    assert api.get(a.url("/reviews"), as_=billing).status_code == 403
    assert api.get(a.url(f"/appointments/{appt}/review"), as_=billing).status_code == 403
    assert api.get(a.url("/reviews")).status_code == 401
    assert api.post(f"/v1/me/appointments/{appt}/review", json={"stars": 3}).status_code == 401
    # A clinic member is not the patient: reviewing from /v1/me is refused.
    member = api.post(f"/v1/me/appointments/{appt}/review", as_=a.owner, json={"stars": 1})
    assert (member.status_code, error_code(member)) == (404, "appointment_not_found")
    assert [r["stars"] for r in api.get(a.url("/reviews"), as_=a.owner).json()["items"]] == [3]
