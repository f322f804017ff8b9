"""Appointments through the real API, database and Redis: booking a slot availability
offers, slot_taken for the same slot, a hold of someone else and one's own hold token, the
state machine's moves and refusals (409 invalid_transition naming both states), reschedule,
the clinic's cancellation, filters, bad input, unauthorized roles and other tenants' ids."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code

MONDAY_9 = "2027-01-04T09:00:00+02:00"
MONDAY_10 = "2027-01-04T10:00:00+02:00"


def _world(api: Api):
    a = clinic(api, "clinic-a")
    service = api.post(
        a.url("/services"),
        as_=a.owner,
        json={"name": "Physio", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    ana = api.post(
        a.url("/specialists"),
        as_=a.owner,
        json={
            "display_name": "Ana",
            "scheduling_timezone": "Europe/Bucharest",
            "scheduling_active": True,
        },
    ).json()["id"]
    hours = api.post(
        a.url(f"/specialists/{ana}/weekly-hours"),
        as_=a.owner,
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    assert hours.status_code == 201, hours.text
    cal = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "Physio", "slug": "physio", "service_id": service, "public": True},
    ).json()
    assert (
        api.put(
            a.url(f"/calendars/{cal['id']}/specialists/{ana}"), as_=a.owner, json={}
        ).status_code
        == 200
    )
    patient = api.post(
        a.url("/patients"), as_=a.receptionist, json={"first_name": "Ion", "last_name": "Pop"}
    )
    assert patient.status_code == 201, patient.text
    return a, cal["id"], ana, patient.json()["id"]


def _book(api: Api, org, cal, patient, start=MONDAY_9, as_=None, **extra):
    return api.post(
        org.url("/appointments"),
        as_=as_ or org.receptionist,
        json={"calendar_id": cal, "patient_id": patient, "start": start, **extra},
    )


def test_book_move_and_cancel(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    booked = _book(api, a, cal, patient)
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert (body["status"], body["specialist_id"], body["modality"]) == (
        "confirmed",
        ana,
        "in_clinic",
    )
    assert body["ends_at"].startswith("2027-01-04T08:00:00")
    again = _book(api, a, cal, patient)
    assert (again.status_code, error_code(again)) == (409, "slot_taken")
    off_grid = _book(api, a, cal, patient, start="2027-01-04T09:30:00+02:00")
    assert (off_grid.status_code, error_code(off_grid)) == (409, "slot_taken")

    one = a.url(f"/appointments/{body['id']}")
    illegal = api.post(f"{one}/transition", as_=a.owner, json={"status": "done"})
    assert (illegal.status_code, error_code(illegal)) == (409, "invalid_transition")
    assert illegal.json()["error"]["details"] == {"from": "confirmed", "to": "done"}
    assert "confirmed to done" in illegal.json()["error"]["message"]

    moved = api.post(f"{one}/reschedule", as_=a.owner, json={"start": MONDAY_10})
    assert moved.status_code == 200, moved.text
    assert moved.json()["starts_at"].startswith("2027-01-04T08:00:00")
    assert _book(api, a, cal, patient).status_code == 201, "the old slot is free again"

    listed = api.get(
        a.url("/appointments"), as_=a.emails["specialist"], params={"status": "confirmed"}
    )
    assert listed.status_code == 200, listed.text
    assert len(listed.json()["items"]) == 2
    by_patient = api.get(
        a.url("/appointments"), as_=a.owner, params={"patient_id": str(uuid.uuid4())}
    )
    assert by_patient.json()["items"] == []
    ranged = api.get(
        a.url("/appointments"),
        as_=a.owner,
        params={"from": "2027-01-04T07:30:00Z", "to": "2027-01-04T09:00:00Z"},
    )
    assert [x["id"] for x in ranged.json()["items"]] == [body["id"]]

    started = api.post(
        f"{one}/transition", as_=a.emails["specialist"], json={"status": "inprogress"}
    )
    assert (started.status_code, started.json()["status"]) == (200, "inprogress")
    late = api.post(f"{one}/cancel", as_=a.owner, json={"reason": "x"})
    assert (late.status_code, error_code(late)) == (409, "invalid_transition")
    done = api.post(f"{one}/transition", as_=a.owner, json={"status": "done"})
    assert done.json()["status"] == "done"

    other = (
        listed.json()["items"][0]["id"]
        if listed.json()["items"][0]["id"] != body["id"]
        else listed.json()["items"][1]["id"]
    )
    cancelled = api.post(
        a.url(f"/appointments/{other}/cancel"), as_=a.owner, json={"reason": "Therapist ill"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["appointment"]["status"] == "cancelled"
    assert cancelled.json()["session_returned"] is False


def test_bad_input(api: Api) -> None:
    a, cal, _ana, patient = _world(api)
    url = a.url("/appointments")
    for body in (
        {"patient_id": patient, "start": MONDAY_9},
        {"calendar_id": cal, "patient_id": patient, "start": "monday"},
        {"calendar_id": 7, "patient_id": patient, "start": MONDAY_9},
        {"calendar_id": cal, "patient_id": patient, "start": MONDAY_9, "notes": "x" * 4001},
        {"calendar_id": cal, "patient_id": patient, "start": MONDAY_9, "modality": "teleport"},
        {"calendar_id": cal, "patient_id": patient, "start": MONDAY_9, "extra": 1},
    ):
        got = api.post(url, as_=a.owner, json=body)
        assert got.status_code in (400, 422), (body, got.text)
    naive = _book(api, a, cal, patient, start="2027-01-04T09:00:00")
    assert (naive.status_code, error_code(naive)) == (400, "invalid_field")
    unknown = _book(api, a, cal, str(uuid.uuid4()))
    assert (unknown.status_code, error_code(unknown)) == (404, "patient_not_found")
    assert api.get(url, as_=a.owner, params={"from": "soon"}).status_code == 400
    assert api.get(url, as_=a.owner, params={"status": "lost"}).status_code == 400
    booked = _book(api, a, cal, patient).json()
    one = a.url(f"/appointments/{booked['id']}")
    assert (
        api.post(f"{one}/transition", as_=a.owner, json={"status": "cancelled"}).status_code == 400
    )
    assert api.post(f"{one}/cancel", as_=a.owner, json={"reason": "  "}).status_code == 400
    assert api.post(f"{one}/cancel", as_=a.owner, json={"reason": "x" * 1001}).status_code == 400
    assert api.post(f"{one}/cancel", as_=a.owner, json={}).status_code == 400


def test_roles_and_other_tenants(api: Api) -> None:
    a, cal, _ana, patient = _world(api)
    booked = _book(api, a, cal, patient).json()
    one = a.url(f"/appointments/{booked['id']}")
    assert api.get(a.url("/appointments")).status_code == 401
    billing = a.emails["billing"]
    assert _book(api, a, cal, patient, start=MONDAY_10, as_=billing).status_code == 403
    assert api.get(a.url("/appointments"), as_=billing).status_code == 403
    assert api.post(f"{one}/cancel", as_=billing, json={"reason": "no"}).status_code == 403

    b = clinic(api, "clinic-b")
    theirs = b.url(f"/appointments/{booked['id']}")
    assert api.get(theirs, as_=b.owner).status_code == 404
    moved = api.post(f"{theirs}/transition", as_=b.owner, json={"status": "inprogress"})
    assert (moved.status_code, error_code(moved)) == (404, "appointment_not_found")
    cancel = api.post(f"{theirs}/cancel", as_=b.owner, json={"reason": "x"})
    assert cancel.status_code == 404
    cross = _book(api, b, cal, patient, as_=b.owner, start=MONDAY_10)
    assert (cross.status_code, error_code(cross)) == (404, "calendar_not_found")
    assert api.get(b.url("/appointments"), as_=b.owner).json()["items"] == []
    assert api.get(one, as_=a.owner).json()["status"] == "confirmed", "B changed nothing"


def test_the_patient_sees_and_cancels_their_own(api: Api) -> None:
    a, cal, _ana, _patient = _world(api)
    ion = "ion@pop.test"
    onboarded = api.post(
        "/v1/portal/onboard",
        as_=ion,
        json={"slug": "clinic-a", "first_name": "Ion", "last_name": "Pop"},
    )
    assert onboarded.status_code == 201, onboarded.text
    patient = onboarded.json()["patient_id"]
    booked = _book(api, a, cal, patient).json()
    mine = api.get("/v1/me/appointments", as_=ion)
    assert mine.status_code == 200, mine.text
    assert [(x["id"], x["status"]) for x in mine.json()["items"]] == [(booked["id"], "confirmed")]
    assert "notes" not in mine.json()["items"][0]
    assert api.get("/v1/me/appointments", as_=ion, params={"when": "past"}).json()["items"] == []
    assert api.get("/v1/me/appointments", as_=ion, params={"when": "soon"}).status_code == 400
    assert api.get("/v1/me/appointments").status_code == 401

    stranger = "eve@pop.test"
    assert api.get("/v1/me/appointments", as_=stranger).json()["items"] == []
    theirs = api.post(f"/v1/me/appointments/{booked['id']}/cancel", as_=stranger, json={})
    assert (theirs.status_code, error_code(theirs)) == (404, "appointment_not_found")
    assert (
        api.post(
            f"/v1/me/appointments/{booked['id']}/cancel", as_=ion, json={"reason": "x" * 1001}
        ).status_code
        == 400
    )

    cancelled = api.post(
        f"/v1/me/appointments/{booked['id']}/cancel", as_=ion, json={"reason": "ill"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (
        cancelled.json()["appointment"]["status"],
        cancelled.json()["appointment"]["cancelled_by"],
    ) == (
        "cancelled",
        "patient",
    )
    again = api.post(f"/v1/me/appointments/{booked['id']}/cancel", as_=ion, json={})
    assert (again.status_code, error_code(again)) == (409, "invalid_transition")
    seen = api.get(a.url(f"/appointments/{booked['id']}"), as_=a.owner).json()
    assert (seen["status"], seen["cancellation_reason"]) == ("cancelled", "ill")


def test_a_hold_blocks_others_and_its_own_token_books_and_is_released(api: Api) -> None:
    a, cal, _ana, patient = _world(api)
    held = api.post(f"/v1/public/calendars/{cal}/holds", json={"start": MONDAY_9})
    assert held.status_code == 201, held.text
    token = held.json()["token"]
    blocked = _book(api, a, cal, patient)
    assert (blocked.status_code, error_code(blocked)) == (409, "slot_taken")
    wrong = _book(api, a, cal, patient, hold_token="not-the-token")
    assert (wrong.status_code, error_code(wrong)) == (409, "slot_taken")
    booked = _book(api, a, cal, patient, hold_token=token)
    assert booked.status_code == 201, booked.text
    # Released: the same token may hold another slot (one live hold per token).
    again = api.post(f"/v1/public/calendars/{cal}/holds", json={"start": MONDAY_10, "token": token})
    assert again.status_code == 201, again.text
