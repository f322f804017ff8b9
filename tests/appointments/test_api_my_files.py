"""A patient's own upload of an appointment file (and a booking caregiver's) through
/v1/me and the suite's S3 server, end to end: the form, the browser's upload, the confirm
that reads the bytes back, the clinic and the patient reading the file. Oversize and
mismatched bytes are refused and deleted; wrong types, missing fields, other patients,
caregivers without `book`, other organizations, a cancelled appointment, the 20-file cap and
the clinic's storage limit are refused."""

from __future__ import annotations

import uuid

import pytest

from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.appointments.test_api_appointments import MONDAY_10, _book
from tests.appointments.test_api_files_reviews import ION, MUM, PDF, _read, _with_patient
from tests.s3server import exists, png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server
from tests.s3server import store as store

AUNT = "aunt@home.test"


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


def _files(appointment: str) -> str:
    return f"/v1/me/appointments/{appointment}/files"


def _ask(api: Api, appointment: str, who: str, mime: str):
    return api.post(_files(appointment), as_=who, json={"content_type": mime})


def _upload(api: Api, org: Clinic, appointment: str, who: str, content: bytes, mime: str) -> str:
    response = _ask(api, appointment, who, mime)
    assert response.status_code == 201, response.text
    form = response.json()["upload"]
    assert form["fields"]["key"].startswith(f"orgs/{org.id}/appointment_file/")
    assert (form["max_bytes"], form["content_type"]) == (20 * MiB, mime)
    post_fields(form["url"], form["fields"], content, mime)
    return response.json()["file_id"]


def _principal(api: Api, email: str) -> str:
    return str(api.value("SELECT principal_id FROM iam.humans WHERE email = %s", (email,)))


def _confirm(api: Api, appointment: str, file_id: str, who: str):
    return api.post(f"{_files(appointment)}/{file_id}/confirm", as_=who)


def test_the_patient_and_a_booking_caregiver_upload_and_the_clinic_reads(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    pdf = _upload(api, a, appt, ION, PDF, "application/pdf")
    kept = _confirm(api, appt, pdf, ION)
    assert kept.status_code == 200, kept.text
    body = kept.json()
    assert (body["file_id"], body["content_type"], body["size_bytes"]) == (
        pdf,
        "application/pdf",
        len(PDF),
    )
    assert body["uploaded_by"] == _principal(api, ION)
    assert _read(body["url"]) == PDF
    again = _confirm(api, appt, pdf, ION)
    assert (again.status_code, error_code(again)) == (409, "file_not_pending")

    image = png_bytes(20, 10)
    png = _upload(api, a, appt, MUM, image, "image/png")
    # Only the uploader confirms an upload.
    not_hers = _confirm(api, appt, png, ION)
    assert (not_hers.status_code, error_code(not_hers)) == (404, "file_not_found")
    assert _confirm(api, appt, png, MUM).status_code == 200

    # The clinic reads both, with who uploaded them; the patient lists them.
    clinic_files = api.get(a.url(f"/appointments/{appt}/files"), as_=a.receptionist)
    assert clinic_files.status_code == 200, clinic_files.text
    assert [(f["file_id"], f["uploaded_by"]) for f in clinic_files.json()] == [
        (pdf, _principal(api, ION)),
        (png, _principal(api, MUM)),
    ]
    assert _read(clinic_files.json()[1]["url"]) == image
    mine = api.get(_files(appt), as_=ION)
    assert [f["file_id"] for f in mine.json()] == [pdf, png]
    assert api.sql(
        "SELECT created_by FROM appointments.appointment_files WHERE file_id = %s", (png,)
    ) == [(uuid.UUID(_principal(api, MUM)),)]
    added = api.sql(
        "SELECT payload ->> 'file_id' FROM events.outbox WHERE type = 'appointment.file_added'"
        " AND organization_id = %s ORDER BY position",
        (a.id,),
    )
    assert [f for (f,) in added] == [pdf, png]
    # The clinic removes a patient's file like its own.
    removed = api.delete(a.url(f"/appointments/{appt}/files/{pdf}"), as_=a.owner)
    assert removed.status_code == 204
    assert [f["file_id"] for f in api.get(_files(appt), as_=ION).json()] == [png]


@pytest.mark.parametrize(
    ("content", "declared", "reason"),
    [
        (PDF + b"\x00" * (20 * MiB), "application/pdf", "too_large"),
        (png_bytes(4, 4), "application/pdf", "mime_mismatch"),
        (b"<!doctype html><script>1</script>", "image/png", "type_not_allowed"),
    ],
)
def test_oversize_and_mismatched_bytes_are_rejected_and_deleted(
    api: Api, store, content: bytes, declared: str, reason: str
) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    file_id = _upload(api, a, appt, ION, content, declared)
    key = api.value("SELECT object_key FROM storage.files WHERE id = %s", (file_id,))
    refused = _confirm(api, appt, file_id, ION)
    assert (refused.status_code, error_code(refused)) == (422, "upload_rejected")
    assert refused.json()["error"]["details"]["reason"] == reason
    assert api.sql(
        "SELECT status, rejection_reason FROM storage.files WHERE id = %s", (file_id,)
    ) == [("rejected", reason)]
    assert not exists(store, key)
    assert api.get(_files(appt), as_=ION).json() == []
    assert (
        api.value(
            "SELECT count(*) FROM events.outbox"
            " WHERE type = 'file.rejected' AND organization_id = %s",
            (a.id,),
        )
        == 1
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"content_type": "image/svg+xml"},
        {"content_type": "image/heic"},
        {"content_type": "text/html"},
        {"content_type": 3},
        {"content_type": None},
        {"content_type": "application/pdf" * 100},
        {"content_type": "application/pdf", "x": 1},
        [],
    ],
)
def test_malformed_requests_change_nothing(api: Api, body) -> None:
    _a, _cal, _ana, _patient, appt = _with_patient(api)
    bad = api.post(_files(appt), as_=ION, json=body)
    assert bad.status_code == 400, (body, bad.text)
    assert api.value("SELECT count(*) FROM storage.files") == 0


def test_who_may_not_upload(api: Api) -> None:
    a, cal, _ana, patient, appt = _with_patient(api)
    assert api.get("/v1/me/appointments", as_=AUNT).status_code == 200  # Aunt signs in once
    added = api.post(
        a.url(f"/patients/{patient}/caregivers"),
        as_=a.owner,
        json={"email": AUNT, "relationship": "relative", "permissions": ["view_records"]},
    )
    assert added.status_code == 201, added.text
    pending = _upload(api, a, appt, ION, PDF, "application/pdf")
    b = clinic(api, "clinic-b")
    other = api.post(
        "/v1/portal/onboard",
        as_="eve@pop.test",
        json={"slug": "clinic-a", "first_name": "Eve", "last_name": "Pop"},
    )
    assert other.status_code == 201, other.text
    theirs = _book(api, a, cal, other.json()["patient_id"], MONDAY_10)
    assert theirs.status_code == 201, theirs.text
    for who in (AUNT, "eve@pop.test", "stranger@x.test", a.owner, a.receptionist, b.owner):
        asked = _ask(api, appt, who, "application/pdf")
        assert (asked.status_code, error_code(asked)) == (404, "appointment_not_found"), who
        confirmed = _confirm(api, appt, pending, who)
        assert (confirmed.status_code, error_code(confirmed)) == (404, "appointment_not_found")
    # Ion's pending upload is not confirmed on someone else's appointment, nor an unknown one.
    elsewhere = _confirm(api, theirs.json()["id"], pending, ION)
    assert (elsewhere.status_code, error_code(elsewhere)) == (404, "appointment_not_found")
    unknown = _ask(api, str(uuid.uuid4()), ION, "application/pdf")
    assert (unknown.status_code, error_code(unknown)) == (404, "appointment_not_found")
    no_file = _confirm(api, appt, str(uuid.uuid4()), ION)
    assert (no_file.status_code, error_code(no_file)) == (404, "file_not_found")
    assert api.post(_files(appt), json={"content_type": "application/pdf"}).status_code == 401
    assert api.post(f"{_files(appt)}/{pending}/confirm").status_code == 401
    not_uuid = api.post("/v1/me/appointments/nope/files", as_=ION, json={})
    assert not_uuid.status_code in (400, 404)
    assert api.value("SELECT status FROM storage.files WHERE id = %s", (pending,)) == "pending"
    assert api.value("SELECT count(*) FROM appointments.appointment_files") == 0


def test_a_cancelled_appointment_takes_no_file(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    pending = _upload(api, a, appt, ION, PDF, "application/pdf")
    cancelled = api.post(
        a.url(f"/appointments/{appt}/cancel"), as_=a.owner, json={"reason": "Closed today"}
    )
    assert cancelled.status_code == 200, cancelled.text
    asked = _ask(api, appt, ION, "application/pdf")
    assert (asked.status_code, error_code(asked)) == (409, "appointment_closed")
    assert asked.json()["error"]["details"] == {"status": "cancelled"}
    late = _confirm(api, appt, pending, MUM)
    assert (late.status_code, error_code(late)) == (409, "appointment_closed")
    late = _confirm(api, appt, pending, ION)
    assert (late.status_code, error_code(late)) == (409, "appointment_closed")
    assert api.value("SELECT status FROM storage.files WHERE id = %s", (pending,)) == "pending"


def test_at_most_twenty_files(api: Api) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    pending = _upload(api, a, appt, ION, PDF, "application/pdf")
    api.sql(
        "WITH f AS ("
        " INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, status,"
        " detected_mime, size_bytes, sha256, verified_at, upload_expires_at)"
        " SELECT %(org)s::uuid, 'appointment_file',"
        " format('orgs/%%s/appointment_file/%%s.pdf', %(org)s::uuid, gen_random_uuid()),"
        " 'application/pdf', 'ready', 'application/pdf', 1, repeat('0', 64),"
        " now(), now() + interval '5 minutes' FROM generate_series(1, 20) RETURNING id)"
        " INSERT INTO appointments.appointment_files (organization_id, appointment_id, file_id)"
        " SELECT %(org)s::uuid, %(appt)s::uuid, id FROM f",
        {"org": a.id, "appt": appt},
    )
    asked = _ask(api, appt, ION, "application/pdf")
    assert (asked.status_code, error_code(asked)) == (422, "too_many_appointment_files")
    late = _confirm(api, appt, pending, ION)
    assert (late.status_code, error_code(late)) == (422, "too_many_appointment_files")
    assert api.value("SELECT status FROM storage.files WHERE id = %s", (pending,)) == "pending"


def test_the_storage_limit_refuses_the_patient_without_telling_the_clinic_usage(
    api: Api,
) -> None:
    a, _cal, _ana, _patient, appt = _with_patient(api)
    api.sql("SELECT billing.grant_override(%s, NULL, 'storage.bytes', NULL, 10, 'tiny')", (a.id,))
    file_id = _upload(api, a, appt, ION, PDF, "application/pdf")
    refused = _confirm(api, appt, file_id, ION)
    assert (refused.status_code, error_code(refused)) == (402, "limit_exceeded")
    assert refused.json()["error"]["details"] == {"kind": "limit", "limit_code": "storage.bytes"}
    assert api.value("SELECT rejection_reason FROM storage.files WHERE id = %s", (file_id,)) == (
        "quota_exceeded"
    )
    assert api.get(_files(appt), as_=ION).json() == []
