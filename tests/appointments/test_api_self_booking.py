"""Patients book for themselves and consent and forms gate every booking, through the real API,
database and Redis: /v1/me/appointments with and without auto_confirm and with a hold token,
a caregiver with and without `book`, patients of another clinic, a plan session used by a
self-booking and given back on an early cancellation; consent_required and forms_required
from both doors, the pending form made once and kept after the refused booking, optional and
other patients' forms not counting; the calendar's booking settings; bad input, roles and
other tenants' ids."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code
from tests.appointments.test_api_appointments import MONDAY_9, MONDAY_10, _book, _world

MONDAY_11 = "2027-01-04T11:00:00+02:00"
SHA = "ab" * 32
ION = "ion@pop.test"


def _onboard(api: Api, slug: str = "clinic-a", email: str = ION) -> str:
    made = api.post(
        "/v1/portal/onboard",
        as_=email,
        json={"slug": slug, "first_name": "Ion", "last_name": "Pop"},
    )
    assert made.status_code == 201, made.text
    return made.json()["patient_id"]


def _book_mine(api: Api, cal: str, start: str = MONDAY_9, as_: str = ION, **extra):
    return api.post(
        "/v1/me/appointments", as_=as_, json={"calendar_id": cal, "start": start, **extra}
    )


def _caregiver(api: Api, patient: str, email: str, permissions: list[str]) -> None:
    api.human(email)
    api.sql(
        "INSERT INTO people.patient_caregivers"
        " (patient_profile_id, caregiver_human_id, relationship, permissions)"
        " SELECT p.patient_profile_id, h.principal_id, 'parent', %s FROM people.patients AS p,"
        " iam.humans AS h WHERE p.id = %s AND h.email = %s",
        (permissions, patient, email),
    )


def _template(api: Api, org, body: dict) -> str:
    made = api.post(org.url("/form-templates"), as_=org.owner, json=body)
    assert made.status_code == 201, made.text
    published = api.post(org.url(f"/form-templates/{made.json()['id']}/publish"), as_=org.owner)
    assert published.status_code in (200, 201), published.text
    return made.json()["id"]


def _sign(api: Api, form_id: str, answers: dict, as_: str = ION) -> None:
    done = api.post(f"/v1/me/forms/{form_id}/complete", as_=as_, json={"answers": answers})
    assert done.status_code == 200, done.text
    signed = api.post(f"/v1/me/forms/{form_id}/sign", as_=as_, json={})
    assert signed.status_code == 200, signed.text


def test_a_patient_books_requested_then_confirmed_with_auto_confirm(api: Api) -> None:
    a, cal, ana, _patient = _world(api)
    ion = _onboard(api)
    ready = api.get(f"/v1/me/calendars/{cal}/requirements", as_=ION)
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"ready": True, "consents": [], "forms": [], "patient_id": ion}

    held = api.post(f"/v1/public/calendars/{cal}/holds", json={"start": MONDAY_9})
    token = held.json()["token"]
    assert (_book_mine(api, cal).status_code, error_code(_book_mine(api, cal))) == (
        409,
        "slot_taken",
    ), "someone's hold blocks the slot"
    booked = _book_mine(api, cal, hold_token=token)
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert (body["status"], body["patient_id"], body["specialist_id"]) == ("requested", ion, ana)
    assert "notes" not in body
    again = api.post(f"/v1/public/calendars/{cal}/holds", json={"start": MONDAY_10, "token": token})
    assert again.status_code == 201, "the hold token was released after booking"
    released = api.delete(f"/v1/public/calendars/{cal}/holds", headers={"Hold-Token": token})
    assert released.status_code == 204

    settings = api.patch(a.url(f"/calendars/{cal}"), as_=a.owner, json={"auto_confirm": True})
    assert settings.status_code == 200, settings.text
    assert settings.json()["auto_confirm"] is True
    confirmed = _book_mine(api, cal, start=MONDAY_10)
    assert (confirmed.status_code, confirmed.json()["status"]) == (201, "confirmed")
    taken = _book_mine(api, cal, start=MONDAY_10)
    assert (taken.status_code, error_code(taken)) == (409, "slot_taken")
    mine = api.get("/v1/me/appointments", as_=ION).json()["items"]
    assert {(x["id"], x["status"]) for x in mine} == {
        (body["id"], "requested"),
        (confirmed.json()["id"], "confirmed"),
    }
    staff_view = api.get(a.url(f"/appointments/{body['id']}"), as_=a.owner).json()
    assert staff_view["status"] == "requested"
    confirm = api.post(
        a.url(f"/appointments/{body['id']}/transition"), as_=a.owner, json={"status": "confirmed"}
    )
    assert confirm.json()["status"] == "confirmed", "the clinic confirms a requested booking"


def test_a_plan_session_is_used_and_given_back_on_an_early_cancellation(api: Api) -> None:
    a, cal, _ana, _patient = _world(api)
    ion = _onboard(api)
    service = api.get(a.url(f"/calendars/{cal}"), as_=a.owner).json()["service_id"]
    plan = api.post(
        a.url("/service-plans"),
        as_=a.owner,
        json={
            "plan_type": "session_pack",
            "name": "3 sessions",
            "price_amount": 30000,
            "currency": "RON",
            "sessions_total": 3,
            "validity_days": 90,
            "service_ids": [service],
        },
    )
    assert plan.status_code == 201, plan.text
    enrolled = api.post(
        a.url(f"/patients/{ion}/plans"),
        as_=a.receptionist,
        json={"service_plan_id": plan.json()["id"]},
    )
    assert enrolled.status_code == 201, enrolled.text
    booked = _book_mine(api, cal)
    assert booked.status_code == 201, booked.text
    used = api.value(
        "SELECT sessions_used FROM catalog.patient_service_plans WHERE id = %s",
        (enrolled.json()["id"],),
    )
    assert used == 1, "a patient without plans.enroll uses the session of her plan"
    cancelled = api.post(f"/v1/me/appointments/{booked.json()['id']}/cancel", as_=ION, json={})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["session_returned"] is True
    assert (
        api.value(
            "SELECT sessions_used FROM catalog.patient_service_plans WHERE id = %s",
            (enrolled.json()["id"],),
        )
        == 0
    )


def test_caregivers_need_book_and_strangers_book_nothing(api: Api) -> None:
    a, cal, _ana, child = _world(api)
    _caregiver(api, child, "mum@pop.test", ["book", "sign_forms"])
    _caregiver(api, child, "aunt@pop.test", ["sign_forms", "view_records"])
    booked = _book_mine(api, cal, as_="mum@pop.test", patient_id=child)
    assert booked.status_code == 201, booked.text
    assert booked.json()["patient_id"] == child
    own = _book_mine(api, cal, start=MONDAY_10, as_="mum@pop.test")
    assert (own.status_code, error_code(own)) == (404, "patient_not_found")
    aunt = _book_mine(api, cal, start=MONDAY_10, as_="aunt@pop.test", patient_id=child)
    assert (aunt.status_code, error_code(aunt)) == (404, "patient_not_found")
    asked = api.get(
        f"/v1/me/calendars/{cal}/requirements", as_="aunt@pop.test", params={"patient_id": child}
    )
    assert (asked.status_code, error_code(asked)) == (404, "patient_not_found")

    # Ion is a patient of clinic A only; clinic B's calendar and patients are not his.
    _onboard(api)
    b = clinic(api, "clinic-b", roles=("owner", "receptionist"))
    service_b = api.post(
        b.url("/services"),
        as_=b.owner,
        json={"name": "Physio", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    cal_b = api.post(
        b.url("/calendars"),
        as_=b.owner,
        json={"name": "B", "slug": "b", "service_id": service_b, "public": True},
    ).json()["id"]
    other_clinic = _book_mine(api, cal_b)
    assert (other_clinic.status_code, error_code(other_clinic)) == (404, "patient_not_found")
    b_patient = api.post(
        b.url("/patients"), as_=b.receptionist, json={"first_name": "B", "last_name": "Pop"}
    ).json()["id"]
    theirs = _book_mine(api, cal, start=MONDAY_10, patient_id=b_patient)
    assert (theirs.status_code, error_code(theirs)) == (404, "patient_not_found")
    service = api.get(a.url(f"/calendars/{cal}"), as_=a.owner).json()["service_id"]
    inside = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "Inside", "slug": "inside", "service_id": service},
    ).json()["id"]
    private = _book_mine(api, inside, start=MONDAY_10)
    assert (private.status_code, error_code(private)) == (404, "calendar_not_found")
    unknown = _book_mine(api, str(uuid.uuid4()), start=MONDAY_10)
    assert (unknown.status_code, error_code(unknown)) == (404, "calendar_not_found")
    assert api.get(a.url("/appointments"), as_=a.owner).json()["items"][0]["patient_id"] == child


def test_self_booking_bad_input_and_anonymous(api: Api) -> None:
    _a, cal, _ana, _patient = _world(api)
    _onboard(api)
    for body in (
        {"start": MONDAY_9},
        {"calendar_id": cal},
        {"calendar_id": 7, "start": MONDAY_9},
        {"calendar_id": cal, "start": "monday"},
        {"calendar_id": cal, "start": MONDAY_9, "modality": "teleport"},
        {"calendar_id": cal, "start": MONDAY_9, "hold_token": ""},
        {"calendar_id": cal, "start": MONDAY_9, "hold_token": "x" * 129},
        {"calendar_id": cal, "start": MONDAY_9, "patient_id": "abc"},
        {"calendar_id": cal, "start": MONDAY_9, "notes": "mine"},
    ):
        got = api.post("/v1/me/appointments", as_=ION, json=body)
        assert got.status_code == 400, (body, got.text)
    naive = _book_mine(api, cal, start="2027-01-04T09:00:00")
    assert (naive.status_code, error_code(naive)) == (400, "invalid_field")
    assert _book_mine(api, cal, as_=None).status_code == 401
    assert api.get(f"/v1/me/calendars/{cal}/requirements").status_code == 401
    bad = api.get(f"/v1/me/calendars/{cal}/requirements", as_=ION, params={"patient_id": "abc"})
    assert bad.status_code == 400
    assert api.get("/v1/me/calendars/7/requirements", as_=ION).status_code in (400, 404)


def test_the_calendar_booking_settings(api: Api) -> None:
    a, cal, _ana, _patient = _world(api)
    url = a.url(f"/calendars/{cal}")
    got = api.get(url, as_=a.owner).json()
    assert (got["auto_confirm"], got["cancellation_window_hours"]) == (False, 24)
    for body in (
        {"cancellation_window_hours": 721},
        {"cancellation_window_hours": -1},
        {"cancellation_window_hours": 1.5},
        {"cancellation_window_hours": "a day"},
        {"cancellation_window_hours": None},
        {"auto_confirm": "yes"},
        {"auto_confirm": None},
    ):
        refused = api.patch(url, as_=a.owner, json=body)
        assert refused.status_code == 400, (body, refused.text)
    changed = api.patch(
        url, as_=a.owner, json={"auto_confirm": True, "cancellation_window_hours": 0}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["auto_confirm"], changed.json()["cancellation_window_hours"]) == (
        True,
        0,
    )
    service = got["service_id"]
    made = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={
            "name": "Two",
            "slug": "two",
            "service_id": service,
            "auto_confirm": True,
            "cancellation_window_hours": 720,
        },
    )
    assert made.status_code == 201, made.text
    assert (made.json()["auto_confirm"], made.json()["cancellation_window_hours"]) == (True, 720)
    too_long = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "X", "slug": "x", "service_id": service, "cancellation_window_hours": 1000},
    )
    assert too_long.status_code == 400
    billing = api.patch(url, as_=a.emails["billing"], json={"auto_confirm": False})
    assert billing.status_code == 403
    b = clinic(api, "clinic-b", roles=("owner",))
    theirs = api.patch(b.url(f"/calendars/{cal}"), as_=b.owner, json={"auto_confirm": False})
    assert (theirs.status_code, error_code(theirs)) == (404, "calendar_not_found")
    assert api.get(url, as_=a.owner).json()["auto_confirm"] is True, "B changed nothing"


def test_consent_and_forms_gate_both_doors_and_pending_forms_survive(api: Api) -> None:
    a, cal, _ana, _patient = _world(api)
    ion = _onboard(api)
    documents = {}
    for purpose in ("org_terms", "org_privacy_notice"):
        published = api.post(
            a.url("/consent-documents"),
            as_=a.owner,
            json={
                "purpose": purpose,
                "title": purpose,
                "url": f"https://docs.test/{purpose}",
                "content_sha256": SHA,
            },
        )
        assert published.status_code == 201, published.text
        documents[purpose] = published.json()["id"]
    expected = [
        {"purpose": p, "document_id": documents[p], "document_version": 1}
        for p in ("org_privacy_notice", "org_terms")
    ]
    staff = _book(api, a, cal, ion)
    assert (staff.status_code, error_code(staff)) == (409, "consent_required")
    assert staff.json()["error"]["details"] == {"consents": expected}
    mine = _book_mine(api, cal)
    assert (mine.status_code, error_code(mine)) == (409, "consent_required")
    assert api.get(f"/v1/me/calendars/{cal}/requirements", as_=ION).json()["consents"] == expected

    # Ion signs the terms and the privacy notice through consent forms.
    for purpose in ("org_terms", "org_privacy_notice"):
        tpl = _template(
            api,
            a,
            {
                "purpose": "consent",
                "consent_purpose": purpose,
                "consent_document_id": documents[purpose],
                "name": purpose,
                "draft": {
                    "sections": [
                        {
                            "key": "s",
                            "items": [{"key": "agree", "type": "boolean", "required": True}],
                        }
                    ]
                },
            },
        )
        form = api.post(
            a.url("/forms"), as_=a.owner, json={"form_template_id": tpl, "patient_id": ion}
        ).json()
        _sign(api, form["id"], {"agree": True})

    # A required intake form and an optional one; Ana's signed intake does not count for Ion.
    intake = _template(
        api,
        a,
        {
            "purpose": "intake",
            "name": "Intake",
            "draft": {
                "sections": [
                    {"key": "s", "items": [{"key": "pain", "type": "integer", "required": True}]}
                ]
            },
        },
    )
    habits = _template(
        api,
        a,
        {
            "purpose": "questionnaire",
            "name": "Habits",
            "draft": {"sections": [{"key": "s", "items": [{"key": "sport", "type": "boolean"}]}]},
        },
    )
    service = api.get(a.url(f"/calendars/{cal}"), as_=a.owner).json()["service_id"]
    for template, required in ((intake, True), (habits, False)):
        asked = api.post(
            a.url(f"/services/{service}/forms"),
            as_=a.owner,
            json={"form_template_id": template, "required": required, "stage": "before_booking"},
        )
        assert asked.status_code == 200, asked.text
    ana = _onboard(api, email="ana@pop.test")
    ana_form = api.post(
        a.url("/forms"), as_=a.owner, json={"form_template_id": intake, "patient_id": ana}
    ).json()
    _sign(api, ana_form["id"], {"pain": 1}, as_="ana@pop.test")

    refused = _book(api, a, cal, ion)
    assert (refused.status_code, error_code(refused)) == (409, "forms_required")
    (missing,) = refused.json()["error"]["details"]["forms"]
    assert missing["form_template_id"] == intake
    pending = missing["form_id"]
    assert pending is not None, "the refusal made the pending form and names it"
    # The refused booking rolled back; the pending form stayed, and Ion sees it.
    assert pending in [f["id"] for f in api.get("/v1/me/forms", as_=ION).json()]
    mine = _book_mine(api, cal)
    assert (mine.status_code, error_code(mine)) == (409, "forms_required")
    assert mine.json()["error"]["details"]["forms"][0]["form_id"] == pending, "made once"
    listed = api.get(
        a.url(f"/calendars/{cal}/requirements"), as_=a.receptionist, params={"patient_id": ion}
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["ready"] is False and listed.json()["consents"] == []
    assert [f["form_id"] for f in listed.json()["forms"]] == [pending]
    assert (
        api.value(
            "SELECT count(*) FROM forms.forms"
            " WHERE patient_id = %s AND form_template_id IN (%s, %s)",
            (ion, intake, habits),
        )
        == 1
    ), "one pending intake form, none for the optional template"
    assert api.value("SELECT count(*) FROM appointments.appointments") == 0

    _sign(api, pending, {"pain": 3})
    assert api.get(f"/v1/me/calendars/{cal}/requirements", as_=ION).json()["ready"] is True
    booked = _book_mine(api, cal)
    assert booked.status_code == 201, booked.text
    assert _book(api, a, cal, ion, start=MONDAY_11).status_code == 201


def test_requirements_roles_and_other_tenants(api: Api) -> None:
    a, cal, _ana, patient = _world(api)
    url = a.url(f"/calendars/{cal}/requirements")
    assert api.get(url, as_=a.receptionist, params={"patient_id": patient}).json()["ready"]
    assert api.get(url, as_=a.receptionist).status_code == 400
    assert api.get(url, as_=a.receptionist, params={"patient_id": "abc"}).status_code == 400
    assert api.get(url, params={"patient_id": patient}).status_code == 401
    billing = api.get(url, as_=a.emails["billing"], params={"patient_id": patient})
    assert billing.status_code == 403
    unknown = api.get(url, as_=a.owner, params={"patient_id": str(uuid.uuid4())})
    assert (unknown.status_code, error_code(unknown)) == (404, "patient_not_found")
    b = clinic(api, "clinic-b", roles=("owner", "receptionist"))
    theirs = api.get(
        b.url(f"/calendars/{cal}/requirements"), as_=b.owner, params={"patient_id": patient}
    )
    assert (theirs.status_code, error_code(theirs)) == (404, "calendar_not_found")
    b_patient = api.post(
        b.url("/patients"), as_=b.receptionist, json={"first_name": "B", "last_name": "Pop"}
    ).json()["id"]
    cross = api.get(url, as_=a.owner, params={"patient_id": b_patient})
    assert (cross.status_code, error_code(cross)) == (404, "patient_not_found")
    other = api.get(
        a.url(f"/calendars/{cal}/requirements"), as_=b.owner, params={"patient_id": patient}
    )
    assert other.status_code == 404, "B's owner is no member of A"
