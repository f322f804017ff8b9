"""Forms through the real API and database: a clinic builds an intake template with conditional
items, a patient fills and signs it through /v1/me/forms, mapped answers land on the
patient's fields, a consent form opens profile sharing; item-level errors, bad input, other
tenants' ids and roles."""

from __future__ import annotations

import uuid

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.api_client import Api
from tests.api_world import clinic, error_code

INTAKE = {
    "purpose": "intake",
    "name": "Intake",
    "draft": {
        "sections": [
            {
                "key": "main",
                "title": "About you",
                "items": [
                    {"key": "intro", "type": "display", "text": "Tell us about your pain."},
                    {"key": "pain", "custom_field": "pain_level", "required": True},
                    {
                        "key": "where",
                        "type": "single_choice",
                        "required": True,
                        "options": [{"value": "knee"}, {"value": "back"}],
                        "enable_when": {
                            "conditions": [{"item": "pain", "operator": "greater_than", "value": 3}]
                        },
                    },
                    {"key": "smokes", "custom_field": "smoker"},
                ],
            }
        ]
    },
}


def _setup(api: Api, org) -> dict:
    for body in (
        {"entity_type": "patient", "key": "pain_level", "label": "Pain", "type": "scale"},
        {"entity_type": "patient", "key": "smoker", "label": "Smoker", "type": "boolean"},
    ):
        made = api.post(org.url("/custom-fields"), as_=org.owner, json=body)
        assert made.status_code == 201, made.text
    tpl = api.post(org.url("/form-templates"), as_=org.owner, json=INTAKE)
    assert tpl.status_code == 201, tpl.text
    return tpl.json()


def _own_patient(api: Api, org, email: str) -> str:
    api.human(email)
    own = api.post("/v1/me/profiles", as_=email, json={"first_name": "Ana", "last_name": "Pop"})
    return str(
        api.value(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
            " RETURNING id",
            (org.id, own.json()["id"]),
        )
    )


def test_a_patient_fills_and_signs_an_intake_and_a_consent_opens_sharing(api: Api) -> None:
    a = clinic(api, "clinic-a")
    tpl = _setup(api, a)
    published = api.post(a.url(f"/form-templates/{tpl['id']}/publish"), as_=a.owner)
    assert published.status_code == 201, published.text
    assert published.json()["version"] == 1
    preview = api.post(
        a.url(f"/form-templates/{tpl['id']}/preview-validate"),
        as_=a.owner,
        json={"answers": {"pain": 8}},
    ).json()
    assert preview["errors"] == [{"item": "where", "reason": "is required"}]

    ana = "ana@pop.test"
    patient = _own_patient(api, a, ana)
    made = api.post(
        a.url("/forms"),
        as_=a.owner,
        json={"form_template_id": tpl["id"], "patient_id": patient},
    )
    assert made.status_code == 201, made.text
    form = made.json()
    assert form["status"] == "draft"

    mine = api.get("/v1/me/forms", as_=ana).json()
    assert [f["id"] for f in mine] == [form["id"]]
    shown = api.get(f"/v1/me/forms/{form['id']}", as_=ana).json()
    assert shown["template"]["definition"]["sections"][0]["items"][1]["type"] == "scale"

    saved = api.patch(f"/v1/me/forms/{form['id']}", as_=ana, json={"answers": {"pain": 8}})
    assert saved.status_code == 200, saved.text
    assert saved.json()["warnings"] == [{"item": "where", "reason": "is required"}]
    bad = api.post(
        f"/v1/me/forms/{form['id']}/complete",
        as_=ana,
        json={"answers": {"where": "elbow", "smokes": "no"}},
    )
    assert (bad.status_code, error_code(bad)) == (422, "form_invalid")
    assert bad.json()["error"]["details"]["items"] == [
        {"item": "where", "reason": "is not one of the options"},
        {"item": "smokes", "reason": "expects true or false"},
    ]
    done = api.post(
        f"/v1/me/forms/{form['id']}/complete",
        as_=ana,
        json={"answers": {"where": "knee", "smokes": False}},
    )
    assert done.status_code == 200, done.text
    assert done.json()["answers"] == {"pain": 8, "where": "knee", "smokes": False}
    signed = api.post(
        f"/v1/me/forms/{form['id']}/sign", as_=ana, json={}, headers={"User-Agent": "forms-test"}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed"
    assert len(signed.json()["signature_sha256"]) == 64
    assert (
        api.value("SELECT evidence_user_agent FROM forms.forms WHERE id = %s", (form["id"],))
        == "forms-test"
    )
    again = api.patch(f"/v1/me/forms/{form['id']}", as_=ana, json={"answers": {"pain": 1}})
    assert (again.status_code, error_code(again)) == (409, "form_not_editable")
    cancel = api.post(a.url(f"/forms/{form['id']}/cancel"), as_=a.owner)
    assert (cancel.status_code, error_code(cancel)) == (409, "form_not_editable")

    fields = api.get(a.url(f"/patients/{patient}/fields"), as_=a.owner).json()
    assert {f["key"]: f["value"] for f in fields} == {"pain_level": 8, "smoker": False}
    assert {f["source_form_id"] for f in fields} == {form["id"]}

    fhir = api.get(a.url(f"/forms/{form['id']}/fhir"), as_=a.owner).json()
    QuestionnaireResponse.model_validate(fhir)  # raises on anything R4 does not allow
    assert fhir["status"] == "completed"
    answers = {i["linkId"]: i["answer"] for i in fhir["item"][0]["item"]}
    assert answers["pain"] == [{"valueInteger": 8}]
    assert answers["where"] == [{"valueCoding": {"code": "knee"}}]
    q = api.get(
        a.url(f"/form-template-versions/{form['form_template_version_id']}/fhir"), as_=a.owner
    )
    questionnaire = q.json()
    Questionnaire.model_validate(questionnaire)
    where = questionnaire["item"][0]["item"][2]
    assert where["enableWhen"] == [{"question": "pain", "operator": ">", "answerInteger": 3}]

    amended = api.post(a.url(f"/forms/{form['id']}/amend"), as_=a.owner)
    assert amended.status_code == 201, amended.text
    assert (amended.json()["amends_form_id"], amended.json()["answers"]) == (
        form["id"],
        form["answers"] | {"pain": 8, "where": "knee", "smokes": False},
    )
    listed = api.get(a.url("/forms"), as_=a.owner, params={"status": "signed"}).json()["items"]
    assert [f["id"] for f in listed] == [form["id"]]
    by_patient = api.get(a.url("/forms"), as_=a.owner, params={"patient_id": patient}).json()
    assert len(by_patient["items"]) == 2

    # A consent form for profile sharing opens Ana's profile to the clinic.
    consent = api.post(
        a.url("/form-templates"),
        as_=a.owner,
        json={
            "purpose": "consent",
            "consent_purpose": "profile_sharing",
            "name": "Share my profile",
            "draft": {
                "sections": [
                    {"key": "s", "items": [{"key": "agree", "type": "boolean", "required": True}]}
                ]
            },
        },
    ).json()
    api.post(a.url(f"/form-templates/{consent['id']}/publish"), as_=a.owner)
    cform = api.post(
        a.url("/forms"),
        as_=a.owner,
        json={"form_template_id": consent["id"], "patient_id": patient},
    ).json()
    assert (
        api.value("SELECT profile_shared FROM people.patients WHERE id = %s", (patient,)) is False
    )
    api.post(f"/v1/me/forms/{cform['id']}/complete", as_=ana, json={"answers": {"agree": True}})
    assert api.post(f"/v1/me/forms/{cform['id']}/sign", as_=ana, json={}).status_code == 200
    assert api.value("SELECT profile_shared FROM people.patients WHERE id = %s", (patient,)) is True
    assert (
        api.value(
            "SELECT source FROM consent.consents WHERE form_id = %s AND action = 'grant'",
            (cform["id"],),
        )
        == "form"
    )


def test_bad_input_other_tenants_and_roles(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    tpl = _setup(api, a)
    patient = _own_patient(api, a, "ana@pop.test")

    # Wrong types, missing fields, oversize values: 400 in the envelope, nothing stored.
    wrong = api.post(
        a.url("/custom-fields"),
        as_=a.owner,
        json={"entity_type": "patient", "key": "x", "label": "X", "type": 5},
    )
    assert wrong.status_code == 400
    missing = api.post(a.url("/custom-fields"), as_=a.owner, json={"entity_type": "patient"})
    assert missing.status_code == 400
    oversize = api.post(
        a.url("/custom-fields"),
        as_=a.owner,
        json={"entity_type": "patient", "key": "x", "label": "X" * 201, "type": "text"},
    )
    assert oversize.status_code == 400
    bad_key = api.post(
        a.url("/custom-fields"),
        as_=a.owner,
        json={"entity_type": "patient", "key": "Bad Key", "label": "X", "type": "text"},
    )
    assert bad_key.status_code == 400
    assert api.value("SELECT count(*) FROM forms.custom_fields WHERE key = 'x'") == 0
    value = api.patch(
        a.url(f"/patients/{patient}/fields"), as_=a.owner, json={"pain_level": "high"}
    )
    assert (value.status_code, error_code(value)) == (422, "invalid_value")
    assert value.json()["error"]["details"] == {"field": "pain_level", "reason": "expects a number"}
    broken = api.patch(
        a.url(f"/form-templates/{tpl['id']}"),
        as_=a.owner,
        json={"draft": {"sections": [{"key": "s", "items": [{"key": "q", "type": "colour"}]}]}},
    )
    assert broken.status_code == 200
    unpublishable = api.post(a.url(f"/form-templates/{tpl['id']}/publish"), as_=a.owner)
    assert (unpublishable.status_code, error_code(unpublishable)) == (422, "invalid_template")
    assert unpublishable.json()["error"]["details"] == {"item": "q"}
    api.patch(a.url(f"/form-templates/{tpl['id']}"), as_=a.owner, json={"draft": INTAKE["draft"]})
    api.post(a.url(f"/form-templates/{tpl['id']}/publish"), as_=a.owner)
    too_many = api.patch(
        a.url(f"/forms/{uuid.uuid4()}"),
        as_=a.owner,
        json={"answers": {f"k{i}": i for i in range(501)}},
    )
    assert too_many.status_code == 400

    form = api.post(
        a.url("/forms"), as_=a.owner, json={"form_template_id": tpl["id"], "patient_id": patient}
    ).json()

    # A service asks for the template; another clinic cannot attach it or see it.
    service = api.post(
        a.url("/services"),
        as_=a.owner,
        json={"name": "Physio", "duration_minutes": 50, "currency": "RON"},
    ).json()
    asked = api.post(
        a.url(f"/services/{service['id']}/forms"),
        as_=a.owner,
        json={"form_template_id": tpl["id"], "stage": "after_visit", "required": False},
    )
    assert asked.status_code == 200, asked.text
    assert [(f["stage"], f["required"]) for f in asked.json()] == [("after_visit", False)]
    bad_stage = api.post(
        a.url(f"/services/{service['id']}/forms"),
        as_=a.owner,
        json={"form_template_id": tpl["id"], "stage": "whenever"},
    )
    assert bad_stage.status_code == 400
    foreign = api.post(
        b.url(f"/services/{service['id']}/forms"),
        as_=b.owner,
        json={"form_template_id": tpl["id"]},
    )
    assert (foreign.status_code, error_code(foreign)) == (404, "service_not_found")
    assert api.get(b.url(f"/services/{service['id']}/forms"), as_=b.owner).json() == []
    assert (
        api.post(
            a.url(f"/services/{service['id']}/forms"),
            as_=a.receptionist,
            json={"form_template_id": tpl["id"]},
        ).status_code
        == 403
    )
    sf_id = asked.json()[0]["id"]
    gone = api.delete(a.url(f"/services/{service['id']}/forms/{sf_id}"), as_=a.owner)
    assert gone.status_code == 204
    assert api.get(a.url(f"/services/{service['id']}/forms"), as_=a.owner).json() == []

    # Other tenants' ids are 404.
    for path in (
        f"/custom-fields/{uuid.uuid4()}",
        f"/form-templates/{tpl['id']}",
        f"/forms/{form['id']}",
    ):
        other = api.get(b.url(path), as_=b.owner)
        assert other.status_code == 404, path
    other_save = api.patch(
        b.url(f"/forms/{form['id']}"), as_=b.owner, json={"answers": {"pain": 1}}
    )
    assert (other_save.status_code, error_code(other_save)) == (404, "form_not_found")
    other_create = api.post(
        b.url("/forms"), as_=b.owner, json={"form_template_id": tpl["id"], "patient_id": patient}
    )
    assert (other_create.status_code, error_code(other_create)) == (404, "form_template_not_found")
    stranger = "stranger@x.test"
    api.human(stranger)
    assert api.get(f"/v1/me/forms/{form['id']}", as_=stranger).status_code == 404
    assert api.get("/v1/me/forms", as_=stranger).json() == []

    # Roles without the permission are 403.
    billing = a.emails["billing"]
    assert api.get(a.url("/forms"), as_=billing).status_code == 403
    assert api.post(a.url("/form-templates"), as_=a.receptionist, json=INTAKE).status_code == 403
    assert (
        api.post(
            a.url("/custom-fields"),
            as_=a.emails["specialist"],
            json={"entity_type": "patient", "key": "y", "label": "Y", "type": "text"},
        ).status_code
        == 403
    )
    assert (
        api.patch(a.url(f"/forms/{form['id']}"), as_=billing, json={"answers": {}}).status_code
        == 403
    )
    # The front desk fills at the counter.
    desk = api.patch(
        a.url(f"/forms/{form['id']}"), as_=a.receptionist, json={"answers": {"pain": 2}}
    )
    assert desk.status_code == 200, desk.text
    assert desk.json()["form"]["answers"] == {"pain": 2}


def test_a_parent_fills_and_signs_for_a_child_and_consents_to_sharing(api: Api) -> None:
    a = clinic(api, "clinic-a")
    mum = "mum@pop.test"
    api.human(mum)
    child = api.post(
        "/v1/me/profiles",
        as_=mum,
        json={"first_name": "Matei", "last_name": "Pop", "relationship": "parent"},
    ).json()
    patient = str(
        api.value(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
            " RETURNING id",
            (a.id, child["id"]),
        )
    )
    consent = api.post(
        a.url("/form-templates"),
        as_=a.owner,
        json={
            "purpose": "consent",
            "consent_purpose": "profile_sharing",
            "name": "Share the profile",
            "draft": {
                "sections": [
                    {"key": "s", "items": [{"key": "agree", "type": "boolean", "required": True}]}
                ]
            },
        },
    ).json()
    api.post(a.url(f"/form-templates/{consent['id']}/publish"), as_=a.owner)
    form = api.post(
        a.url("/forms"),
        as_=a.owner,
        json={"form_template_id": consent["id"], "patient_id": patient},
    ).json()
    assert [f["id"] for f in api.get("/v1/me/forms", as_=mum).json()] == [form["id"]]
    missing = api.post(f"/v1/me/forms/{form['id']}/complete", as_=mum, json={"answers": {}})
    assert (missing.status_code, error_code(missing)) == (422, "form_invalid")
    assert missing.json()["error"]["details"]["items"] == [
        {"item": "agree", "reason": "is required"}
    ]
    done = api.post(
        f"/v1/me/forms/{form['id']}/complete", as_=mum, json={"answers": {"agree": True}}
    )
    assert (done.status_code, done.json()["filler_kind"]) == (200, "caregiver")
    # Staff never sign a consent for the family.
    staff = api.post(a.url(f"/forms/{form['id']}/sign"), as_=a.receptionist, json={})
    assert staff.status_code == 403
    signed = api.post(f"/v1/me/forms/{form['id']}/sign", as_=mum, json={})
    assert signed.status_code == 200, signed.text
    assert api.value("SELECT profile_shared FROM people.patients WHERE id = %s", (patient,))
    assert (
        api.value(
            "SELECT subject_patient_profile_id::text FROM consent.consents WHERE form_id = %s",
            (form["id"],),
        )
        == child["id"]
    )
    # A link without sign_forms fills nothing.
    aunt = "aunt@pop.test"
    api.human(aunt)
    api.sql(
        "INSERT INTO people.patient_caregivers"
        " (patient_profile_id, caregiver_human_id, relationship, permissions)"
        " SELECT %s, principal_id, 'relative', ARRAY['view_records'] FROM iam.humans"
        " WHERE email = %s",
        (child["id"], aunt),
    )
    other = api.post(
        a.url("/forms"),
        as_=a.owner,
        json={"form_template_id": consent["id"], "patient_id": patient},
    ).json()
    refused = api.patch(f"/v1/me/forms/{other['id']}", as_=aunt, json={"answers": {"agree": True}})
    assert refused.status_code == 403
