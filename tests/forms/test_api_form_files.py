"""Files of forms through the real API, PostgreSQL and a local S3-compatible server: a
patient (or a caregiver with sign_forms) uploads an attachment and a signature image for
their own form under /v1/me/forms, answers and signs with them; staff upload with forms.fill;
other patients, caregivers without sign_forms, signed forms, other organizations, oversize
and wrong types are refused. And the write-back of mapped answers under the field version a
template froze."""

from __future__ import annotations

import urllib.request
import uuid

import pytest

from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.s3server import exists, png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server
from tests.s3server import store as store

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

TEMPLATE = {
    "purpose": "intake",
    "name": "Intake with files",
    "draft": {
        "sections": [
            {
                "key": "main",
                "items": [
                    {"key": "pain", "custom_field": "pain_level", "required": True},
                    {"key": "scan", "type": "file", "required": True},
                ],
            }
        ]
    },
}


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


def _patient(api: Api, org: Clinic, email: str, first: str = "Ana") -> str:
    api.human(email)
    own = api.post("/v1/me/profiles", as_=email, json={"first_name": first, "last_name": "Pop"})
    assert own.status_code == 201, own.text
    return str(
        api.value(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
            " RETURNING id",
            (org.id, own.json()["id"]),
        )
    )


def _template(api: Api, org: Clinic) -> str:
    field = api.post(
        org.url("/custom-fields"),
        as_=org.owner,
        json={
            "entity_type": "patient",
            "key": "pain_level",
            "label": "Pain",
            "type": "integer",
            "rules": {"min": 0, "max": 10},
        },
    )
    assert field.status_code == 201, field.text
    tpl = api.post(org.url("/form-templates"), as_=org.owner, json=TEMPLATE)
    assert tpl.status_code == 201, tpl.text
    published = api.post(org.url(f"/form-templates/{tpl.json()['id']}/publish"), as_=org.owner)
    assert published.status_code == 201, published.text
    return tpl.json()["id"]


def _form(api: Api, org: Clinic, template: str, patient: str) -> str:
    made = api.post(
        org.url("/forms"),
        as_=org.owner,
        json={"form_template_id": template, "patient_id": patient},
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _ask(api: Api, base: str, who: str, purpose: str, content_type: str):
    return api.post(
        f"{base}/files", as_=who, json={"purpose": purpose, "content_type": content_type}
    )


def _upload(api: Api, base: str, who: str, purpose: str, content: bytes, mime: str) -> str:
    """Ask for a form under `base` (a form's URL), POST `content` to S3; the file id."""
    asked = _ask(api, base, who, purpose, mime)
    assert asked.status_code == 201, asked.text
    form = asked.json()["upload"]
    assert post_fields(form["url"], form["fields"], content, mime) < 300
    return asked.json()["file_id"]


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback S3)
        return response.read()


@pytest.fixture
def world(api: Api) -> dict:
    a = clinic(api, "clinic-a")
    template = _template(api, a)
    ana = "ana@pop.test"
    patient = _patient(api, a, ana)
    return {"a": a, "template": template, "ana": ana, "patient": patient}


def test_a_patient_uploads_answers_and_signs_with_her_own_files(api: Api, world: dict) -> None:
    a, ana = world["a"], world["ana"]
    form = _form(api, a, world["template"], world["patient"])
    base = f"/v1/me/forms/{form}"

    asked = _ask(api, base, ana, "form_file", "application/pdf")
    assert asked.status_code == 201, asked.text
    grant = asked.json()["upload"]
    assert grant["fields"]["key"].startswith(f"orgs/{a.id}/form_file/")
    assert grant["max_bytes"] == 10 * MiB
    assert post_fields(grant["url"], grant["fields"], PDF, "application/pdf") < 300
    scan = asked.json()["file_id"]
    kept = api.post(f"{base}/files/{scan}/confirm", as_=ana)
    assert kept.status_code == 200, kept.text
    assert (kept.json()["file_id"], kept.json()["content_type"]) == (scan, "application/pdf")
    assert _read(kept.json()["url"]) == PDF

    signature = _upload(api, base, ana, "form_signature", png_bytes(40, 20), "image/png")
    assert api.post(f"{base}/files/{signature}/confirm", as_=ana).status_code == 200
    row = api.sql(
        "SELECT organization_id::text, uploaded_by::text, status FROM storage.files WHERE id = %s",
        (signature,),
    )
    principal = api.value("SELECT principal_id::text FROM iam.humans WHERE email = %s", (ana,))
    assert row == [(a.id, principal, "ready")]

    # The answer names the checked attachment; a made-up id is an item-level error.
    wrong = api.post(
        f"{base}/complete", as_=ana, json={"answers": {"pain": 3, "scan": str(uuid.uuid4())}}
    )
    assert (wrong.status_code, error_code(wrong)) == (422, "form_invalid")
    assert wrong.json()["error"]["details"]["items"] == [
        {"item": "scan", "reason": "names no file uploaded for this patient's forms"}
    ]
    done = api.post(f"{base}/complete", as_=ana, json={"answers": {"pain": 3, "scan": scan}})
    assert done.status_code == 200, done.text
    assert done.json()["answers"] == {"pain": 3, "scan": scan}

    # An attachment is no signature image.
    bad_sig = api.post(f"{base}/sign", as_=ana, json={"signature_file_id": scan})
    assert (bad_sig.status_code, error_code(bad_sig)) == (404, "file_not_found")
    signed = api.post(f"{base}/sign", as_=ana, json={"signature_file_id": signature})
    assert signed.status_code == 200, signed.text
    assert (signed.json()["status"], signed.json()["signature_file_id"]) == ("signed", signature)

    # Both sides read the files of the form; the clinic through forms.read.
    mine = api.get(f"{base}/files/{scan}", as_=ana)
    assert mine.status_code == 200 and _read(mine.json()["url"]) == PDF
    theirs = api.get(a.url(f"/forms/{form}/files/{signature}"), as_=a.receptionist)
    assert theirs.status_code == 200 and theirs.json()["content_type"] == "image/png"
    billing = api.get(a.url(f"/forms/{form}/files/{signature}"), as_=a.emails["billing"])
    assert billing.status_code == 403

    # A signed form takes no file at all.
    for purpose, mime in (("form_file", "application/pdf"), ("form_signature", "image/png")):
        late = _ask(api, base, ana, purpose, mime)
        assert (late.status_code, error_code(late)) == (409, "form_not_editable")


def test_other_patients_caregivers_and_other_organizations_are_refused(
    api: Api, world: dict
) -> None:
    a, ana = world["a"], world["ana"]
    form = _form(api, a, world["template"], world["patient"])
    base = f"/v1/me/forms/{form}"
    scan = _upload(api, base, ana, "form_file", PDF, "application/pdf")

    # Another patient of the same clinic: the form does not exist for him.
    ion = "ion@rus.test"
    ion_patient = _patient(api, a, ion, "Ion")
    for response in (
        _ask(api, base, ion, "form_file", "application/pdf"),
        api.post(f"{base}/files/{scan}/confirm", as_=ion),
        api.get(f"{base}/files/{scan}", as_=ion),
    ):
        assert (response.status_code, error_code(response)) == (404, "form_not_found")
    # Nor does her file answer his form.
    his = _form(api, a, world["template"], ion_patient)
    stolen = api.post(
        f"/v1/me/forms/{his}/complete", as_=ion, json={"answers": {"pain": 1, "scan": scan}}
    )
    assert (stolen.status_code, error_code(stolen)) == (422, "form_invalid")
    assert api.value("SELECT status FROM storage.files WHERE id = %s", (scan,)) == "pending"

    # A caregiver: with sign_forms uploads for the child, without is refused.
    mum, aunt = "mum@pop.test", "aunt@pop.test"
    api.human(mum)
    child = api.post(
        "/v1/me/profiles",
        as_=mum,
        json={"first_name": "Matei", "last_name": "Pop", "relationship": "parent"},
    ).json()
    child_patient = str(
        api.value(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
            " RETURNING id",
            (a.id, child["id"]),
        )
    )
    api.human(aunt)
    api.sql(
        "INSERT INTO people.patient_caregivers"
        " (patient_profile_id, caregiver_human_id, relationship, permissions)"
        " SELECT %s, principal_id, 'relative', ARRAY['view_records'] FROM iam.humans"
        " WHERE email = %s",
        (child["id"], aunt),
    )
    child_form = _form(api, a, world["template"], child_patient)
    child_base = f"/v1/me/forms/{child_form}"
    by_mum = _upload(api, child_base, mum, "form_signature", png_bytes(8, 8), "image/png")
    assert api.post(f"{child_base}/files/{by_mum}/confirm", as_=mum).status_code == 200
    refused = _ask(api, child_base, aunt, "form_signature", "image/png")
    assert (refused.status_code, error_code(refused)) == (403, "permission_denied")
    confirm = api.post(f"{child_base}/files/{by_mum}/confirm", as_=aunt)
    assert confirm.status_code == 403

    # Another organization: its owner and its URL know nothing of A's form.
    b = clinic(api, "clinic-b")
    for response in (
        _ask(api, b.url(f"/forms/{form}"), b.owner, "form_file", "application/pdf"),
        api.post(b.url(f"/forms/{form}/files/{scan}/confirm"), as_=b.owner),
        api.get(b.url(f"/forms/{form}/files/{scan}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "form_not_found")
    outside = _ask(api, a.url(f"/forms/{form}"), b.owner, "form_file", "application/pdf")
    assert (outside.status_code, error_code(outside)) == (404, "organization_not_found")
    # A patient has no business in the clinic's URL.
    as_patient = _ask(api, a.url(f"/forms/{form}"), ana, "form_file", "application/pdf")
    assert as_patient.status_code == 404
    assert api.value("SELECT count(*) FROM forms.form_files WHERE form_id = %s", (form,)) == 1


def test_staff_upload_with_forms_fill_only(api: Api, world: dict) -> None:
    a = world["a"]
    form = _form(api, a, world["template"], world["patient"])
    base = a.url(f"/forms/{form}")
    scan = _upload(api, base, a.receptionist, "form_file", png_bytes(4, 4), "image/png")
    kept = api.post(f"{base}/files/{scan}/confirm", as_=a.receptionist)
    assert kept.status_code == 200, kept.text
    for who in (a.emails["billing"],):
        denied = _ask(api, base, who, "form_file", "image/png")
        assert (denied.status_code, error_code(denied)) == (403, "permission_denied")
    done = api.post(
        a.url(f"/forms/{form}/complete"),
        as_=a.receptionist,
        json={"answers": {"pain": 2, "scan": scan}},
    )
    assert done.status_code == 200, done.text


@pytest.mark.parametrize(
    ("purpose", "content_type"),
    [
        ("form_signature", "application/pdf"),  # a signature is an image
        ("form_file", "image/gif"),
        ("form_file", "text/html"),
        ("logo", "image/png"),
    ],
)
def test_types_outside_the_purpose_are_refused(
    api: Api, world: dict, purpose: str, content_type: str
) -> None:
    form = _form(api, world["a"], world["template"], world["patient"])
    response = _ask(api, f"/v1/me/forms/{form}", world["ana"], purpose, content_type)
    assert (response.status_code, error_code(response)) == (400, "validation_failed")
    assert api.value("SELECT count(*) FROM storage.files") == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"purpose": "form_file"}, {"content_type": "image/png"}, [], {"purpose": 1}],
)
def test_malformed_requests_change_nothing(api: Api, world: dict, body) -> None:
    form = _form(api, world["a"], world["template"], world["patient"])
    response = api.post(f"/v1/me/forms/{form}/files", as_=world["ana"], json=body)
    assert response.status_code == 400
    unknown = api.post(f"/v1/me/forms/{form}/files/{uuid.uuid4()}/confirm", as_=world["ana"])
    assert (unknown.status_code, error_code(unknown)) == (404, "file_not_found")
    assert api.post(f"/v1/me/forms/{form}/files/nope/confirm", as_=world["ana"]).status_code in (
        400,
        404,
    )
    assert api.value("SELECT count(*) FROM storage.files") == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"purpose": "form_file"},
        {"purpose": "form_signature", "content_type": "application/pdf"},
        {"purpose": "form_file", "content_type": "image/png", "extra": 1},
        {"purpose": "form_file", "content_type": "image/png" * 100},
    ],
)
def test_the_clinic_side_refuses_malformed_requests(api: Api, world: dict, body) -> None:
    a = world["a"]
    form = _form(api, a, world["template"], world["patient"])
    response = api.post(a.url(f"/forms/{form}/files"), as_=a.receptionist, json=body)
    assert (response.status_code, error_code(response)) == (400, "validation_failed")
    missing = api.post(a.url(f"/forms/{uuid.uuid4()}/files"), as_=a.receptionist, json=body)
    assert missing.status_code in (400, 404)
    assert api.value("SELECT count(*) FROM storage.files") == 0


@pytest.mark.parametrize(
    ("purpose", "content", "declared", "reason"),
    [
        ("form_signature", png_bytes(1024, 720, noise=True), "image/png", "too_large"),
        ("form_file", png_bytes(4, 4), "application/pdf", "mime_mismatch"),
        ("form_signature", b"<!doctype html><script>1</script>", "image/png", "type_not_allowed"),
    ],
)
def test_oversize_and_wrong_content_are_rejected_and_deleted(
    api: Api, world: dict, store, purpose: str, content: bytes, declared: str, reason: str
) -> None:
    form = _form(api, world["a"], world["template"], world["patient"])
    base = f"/v1/me/forms/{form}"
    file_id = _upload(api, base, world["ana"], purpose, content, declared)
    key = api.value("SELECT object_key FROM storage.files WHERE id = %s", (file_id,))

    response = api.post(f"{base}/files/{file_id}/confirm", as_=world["ana"])

    assert (response.status_code, error_code(response)) == (422, "upload_rejected")
    assert response.json()["error"]["details"]["reason"] == reason
    assert api.sql(
        "SELECT status, rejection_reason FROM storage.files WHERE id = %s", (file_id,)
    ) == [("rejected", reason)]
    assert not exists(store, key)
    again = api.post(f"{base}/files/{file_id}/confirm", as_=world["ana"])
    assert (again.status_code, error_code(again)) == (409, "file_not_pending")
    answer = api.patch(base, as_=world["ana"], json={"answers": {"scan": file_id}})
    assert answer.json()["warnings"][-1] == {
        "item": "scan",
        "reason": "names no file uploaded for this patient's forms",
    }


def test_the_storage_limit_refuses_a_patient_without_telling_the_clinic_usage(
    api: Api, world: dict
) -> None:
    a, ana = world["a"], world["ana"]
    api.sql("SELECT billing.grant_override(%s, NULL, 'storage.bytes', NULL, 10, 'tiny')", (a.id,))
    form = _form(api, a, world["template"], world["patient"])
    base = f"/v1/me/forms/{form}"
    file_id = _upload(api, base, ana, "form_file", PDF, "application/pdf")
    response = api.post(f"{base}/files/{file_id}/confirm", as_=ana)
    assert (response.status_code, error_code(response)) == (402, "limit_exceeded")
    assert response.json()["error"]["details"] == {"kind": "limit", "limit_code": "storage.bytes"}
    assert api.value("SELECT rejection_reason FROM storage.files WHERE id = %s", (file_id,)) == (
        "quota_exceeded"
    )


# --- the write-back under the template's frozen field version ---------------------------


def test_write_back_follows_the_field_version_the_template_froze(api: Api, world: dict) -> None:
    a, ana, patient = world["a"], world["ana"], world["patient"]
    # The template above froze pain_level v1 (0-10) and needs a file; a second template
    # asks only for the pain.
    simple = api.post(
        a.url("/form-templates"),
        as_=a.owner,
        json={
            "purpose": "questionnaire",
            "name": "Pain",
            "draft": {
                "sections": [{"key": "s", "items": [{"key": "pain", "custom_field": "pain_level"}]}]
            },
        },
    ).json()
    first = api.post(a.url(f"/form-templates/{simple['id']}/publish"), as_=a.owner)
    assert first.status_code == 201, first.text
    field = api.get(a.url("/custom-fields"), as_=a.owner).json()["items"][0]
    stricter = api.patch(
        a.url(f"/custom-fields/{field['id']}"), as_=a.owner, json={"rules": {"min": 0, "max": 5}}
    )
    assert stricter.status_code == 200, stricter.text
    versions = {
        v["version"]: v["id"]
        for v in api.get(a.url(f"/custom-fields/{field['id']}/versions"), as_=a.owner).json()
    }
    assert set(versions) == {1, 2}

    old = _form(api, a, simple["id"], patient)
    done = api.post(f"/v1/me/forms/{old}/complete", as_=ana, json={"answers": {"pain": 8}})
    assert done.status_code == 200, done.text
    [value] = api.get(a.url(f"/patients/{patient}/fields"), as_=a.owner).json()
    assert (value["value"], value["custom_field_version_id"], value["source_form_id"]) == (
        8,
        versions[1],
        old,
    )

    # Published again, the template freezes v2: 8 is now an item-level error, 4 lands on v2.
    second = api.post(a.url(f"/form-templates/{simple['id']}/publish"), as_=a.owner)
    assert second.status_code == 201, second.text
    new = _form(api, a, simple["id"], patient)
    refused = api.post(f"/v1/me/forms/{new}/complete", as_=ana, json={"answers": {"pain": 8}})
    assert (refused.status_code, error_code(refused)) == (422, "form_invalid")
    [error] = refused.json()["error"]["details"]["items"]
    assert error["item"] == "pain" and error["reason"].startswith("is above the maximum 5")
    kept = api.post(f"/v1/me/forms/{new}/complete", as_=ana, json={"answers": {"pain": 4}})
    assert kept.status_code == 200, kept.text
    [value] = api.get(a.url(f"/patients/{patient}/fields"), as_=a.owner).json()
    assert (value["value"], value["custom_field_version_id"], value["source_form_id"]) == (
        4,
        versions[2],
        new,
    )
