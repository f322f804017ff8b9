"""Appointment series through the real API, database and Redis: a weekly rule at 09:00 on the
calendar's wall clock across a daylight-saving change, one specialist kept on a round-robin
calendar, all-or-nothing refusals listing every refused start and why, partial series,
cancelling the rest, bad input, unauthorized roles and other tenants' ids."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code

# Europe/Bucharest moves from +02:00 to +03:00 on Sunday 2027-03-28.
RULE = {"weekdays": [1, 4], "time": "09:00", "from": "2027-03-22", "count": 4}


def _specialist(api: Api, org, name: str) -> str:
    made = api.post(
        org.url("/specialists"),
        as_=org.owner,
        json={
            "display_name": name,
            "scheduling_timezone": "Europe/Bucharest",
            "scheduling_active": True,
        },
    )
    assert made.status_code == 201, made.text
    for weekday in (1, 4):
        hours = api.post(
            org.url(f"/specialists/{made.json()['id']}/weekly-hours"),
            as_=org.owner,
            json={"weekday": weekday, "start_time": "09:00", "end_time": "12:00"},
        )
        assert hours.status_code == 201, hours.text
    return made.json()["id"]


def _world(api: Api, slug: str = "clinic-a", specialists: int = 1):
    a = clinic(api, slug)
    service = api.post(
        a.url("/services"),
        as_=a.owner,
        json={"name": "Physio", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    people = [_specialist(api, a, name) for name in ("Ana", "Bob", "Cris")[:specialists]]
    cal = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={
            "name": "Physio",
            "slug": "physio",
            "service_id": service,
            "assignment_strategy": "round_robin",
        },
    )
    assert cal.status_code == 201, cal.text
    for person in people:
        put = api.put(
            a.url(f"/calendars/{cal.json()['id']}/specialists/{person}"), as_=a.owner, json={}
        )
        assert put.status_code == 200, put.text
    patient = api.post(
        a.url("/patients"), as_=a.receptionist, json={"first_name": "Ion", "last_name": "Pop"}
    )
    assert patient.status_code == 201, patient.text
    return a, cal.json()["id"], people, patient.json()["id"]


def _series(api: Api, org, cal, patient, as_=None, **body):
    return api.post(
        org.url("/appointment-series"),
        as_=as_ or org.receptionist,
        json={"calendar_id": cal, "patient_id": patient, **body},
    )


def _count(api: Api, org_id: str) -> int:
    return api.value(
        "SELECT count(*) FROM appointments.appointments WHERE organization_id = %s", (org_id,)
    )


def test_a_weekly_rule_keeps_the_wall_clock_across_daylight_saving(api: Api) -> None:
    a, cal, (ana,), patient = _world(api)
    booked = _series(api, a, cal, patient, rule=RULE)
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["failed"] == []
    starts = [x["starts_at"] for x in body["appointments"]]
    # 09:00 in Bucharest: 07:00 UTC before the change, 06:00 UTC after it.
    assert [s[:19] for s in starts] == [
        "2027-03-22T07:00:00",
        "2027-03-25T07:00:00",
        "2027-03-29T06:00:00",
        "2027-04-01T06:00:00",
    ]
    assert {x["specialist_id"] for x in body["appointments"]} == {ana}
    assert {x["status"] for x in body["appointments"]} == {"confirmed"}
    series = body["series"]
    assert (series["weekdays"], series["time"], series["from"], series["count"]) == (
        [1, 4],
        "09:00",
        "2027-03-22",
        4,
    )
    assert (series["timezone"], series["mode"], series["specialist_id"]) == (
        "Europe/Bucharest",
        "all_or_nothing",
        ana,
    )
    got = api.get(a.url(f"/appointment-series/{series['id']}"), as_=a.emails["specialist"])
    assert got.status_code == 200, got.text
    assert [x["id"] for x in got.json()["appointments"]] == [x["id"] for x in body["appointments"]]
    assert api.value(
        "SELECT count(*) FROM events.outbox WHERE type = 'appointment_series.booked'"
        " AND payload ->> 'series_id' = %s AND (payload ->> 'sessions_booked')::int = 4",
        (series["id"],),
    )
    assert (
        api.value(
            "SELECT count(*) FROM appointments.appointments WHERE series_id = %s", (series["id"],)
        )
        == 4
    )


def test_round_robin_keeps_the_first_sessions_specialist(api: Api) -> None:
    a, cal, people, patient = _world(api, specialists=2)
    booked = _series(api, a, cal, patient, rule={**RULE, "count": 6})
    assert booked.status_code == 201, booked.text
    kept = {x["specialist_id"] for x in booked.json()["appointments"]}
    assert len(kept) == 1 and kept <= set(people), "one specialist for the whole course"
    # Single bookings on that calendar still rotate: the strategy itself is untouched.
    singles = [
        api.post(
            a.url("/appointments"),
            as_=a.receptionist,
            json={"calendar_id": cal, "patient_id": patient, "start": start},
        )
        for start in ("2027-05-03T09:00:00+03:00", "2027-05-03T10:00:00+03:00")
    ]
    assert [x.status_code for x in singles] == [201, 201]
    assert len({x.json()["specialist_id"] for x in singles}) == 2
    # Asked for the other specialist, every session is theirs even if round robin would not.
    chosen = next(p for p in people if p not in kept)
    asked = _series(
        api,
        a,
        cal,
        patient,
        specialist_id=chosen,
        rule={"weekdays": [1], "time": "11:00", "from": "2027-06-07", "count": 3},
    )
    assert asked.status_code == 201, asked.text
    assert {x["specialist_id"] for x in asked.json()["appointments"]} == {chosen}


def test_all_or_nothing_refuses_with_every_failing_date_and_partial_books_the_rest(
    api: Api,
) -> None:
    a, cal, _people, patient = _world(api)
    taken = api.post(
        a.url("/appointments"),
        as_=a.receptionist,
        json={"calendar_id": cal, "patient_id": patient, "start": "2027-03-29T09:00:00+03:00"},
    )
    assert taken.status_code == 201, taken.text
    closed = api.post(
        a.url("/closures"), as_=a.owner, json={"closure_date": "2027-03-25", "reason": "Holiday"}
    )
    assert closed.status_code == 201, closed.text
    before = _count(api, a.id)

    refused = _series(api, a, cal, patient, rule=RULE)
    assert (refused.status_code, error_code(refused)) == (409, "series_unavailable")
    failed = refused.json()["error"]["details"]["failed"]
    assert [(f["start"], f["code"], f["reason"]) for f in failed] == [
        ("2027-03-25T09:00:00+02:00", "slot_taken", "closed"),
        ("2027-03-29T09:00:00+03:00", "slot_taken", "unavailable"),
    ]
    assert _count(api, a.id) == before, "nothing was booked"
    assert api.value("SELECT count(*) FROM appointments.series") == 0, "no series was kept"

    partial = _series(api, a, cal, patient, rule=RULE, mode="partial")
    assert partial.status_code == 201, partial.text
    body = partial.json()
    assert [x["starts_at"][:10] for x in body["appointments"]] == ["2027-03-22", "2027-04-01"]
    assert [f["reason"] for f in body["failed"]] == ["closed", "unavailable"]
    assert body["series"]["mode"] == "partial"

    none_left = _series(api, a, cal, patient, starts=["2027-03-22T09:00:00+02:00"], mode="partial")
    assert (none_left.status_code, error_code(none_left)) == (409, "series_unavailable")
    past = _series(api, a, cal, patient, starts=["2020-01-06T09:00:00+02:00"])
    assert past.json()["error"]["details"]["failed"][0]["reason"] == "outside_booking_window"


def test_cancelling_the_rest_of_a_series(api: Api) -> None:
    a, cal, _people, patient = _world(api)
    booked = _series(api, a, cal, patient, rule=RULE).json()
    series = booked["series"]["id"]
    url = a.url(f"/appointment-series/{series}/cancel")
    cancelled = api.post(
        url, as_=a.owner, json={"reason": "Course changed", "from": "2027-03-26T00:00:00Z"}
    )
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert (body["sessions_cancelled"], body["sessions_returned"]) == (2, 0)
    assert [x["status"] for x in body["appointments"]] == [
        "confirmed",
        "confirmed",
        "cancelled",
        "cancelled",
    ]
    assert body["appointments"][3]["cancellation_reason"] == "Course changed"
    assert body["series"]["cancelled_at"] is not None
    assert body["series"]["cancellation_reason"] == "Course changed"
    assert (
        api.value(
            "SELECT count(*) FROM events.outbox WHERE type = 'appointment.cancelled'"
            " AND payload ->> 'appointment_id' = ANY (%s)",
            ([x["id"] for x in body["appointments"]],),
        )
        == 2
    ), "each session is cancelled through appointments.cancel"
    rest = api.post(url, as_=a.owner, json={"reason": "All of it"})
    assert rest.status_code == 200, rest.text
    assert rest.json()["sessions_cancelled"] == 2
    assert {x["status"] for x in rest.json()["appointments"]} == {"cancelled"}
    again = api.post(url, as_=a.owner, json={"reason": "Again"})
    assert again.json()["sessions_cancelled"] == 0
    assert (
        api.value("SELECT count(*) FROM events.outbox WHERE type = 'appointment_series.cancelled'")
        == 3
    )


def test_bad_input(api: Api) -> None:
    a, cal, _people, patient = _world(api)
    url = a.url("/appointment-series")
    base = {"calendar_id": cal, "patient_id": patient}
    for extra in (
        {},
        {"rule": RULE, "starts": ["2027-03-22T09:00:00+02:00"]},
        {"rule": {**RULE, "weekdays": [0]}},
        {"rule": {**RULE, "weekdays": [8]}},
        {"rule": {**RULE, "weekdays": []}},
        {"rule": {**RULE, "weekdays": [1, 1]}},
        {"rule": {**RULE, "weekdays": ["monday"]}},
        {"rule": {**RULE, "time": "25:00"}},
        {"rule": {**RULE, "time": "9"}},
        {"rule": {**RULE, "count": 53}},
        {"rule": {**RULE, "count": 0}},
        {"rule": {**RULE, "until": "2027-04-30"}},
        {"rule": {k: v for k, v in RULE.items() if k != "count"}},
        {"rule": {**{k: v for k, v in RULE.items() if k != "count"}, "until": "2027-03-01"}},
        {
            "rule": {
                "weekdays": [1, 2, 3, 4, 5, 6, 7],
                "time": "09:00",
                "from": "2027-03-22",
                "until": "2027-06-30",
            }
        },
        {"rule": {**RULE, "from": "monday"}},
        {"starts": []},
        {"starts": [f"2027-03-22T{h:02d}:00:00+02:00" for h in range(24)] * 3},
        {"starts": ["2027-03-22T09:00:00+02:00", "2027-03-22T09:00:00+02:00"]},
        {"starts": ["2027-03-22T09:00:00"]},
        {"rule": RULE, "mode": "some"},
        {"rule": RULE, "notes": "x" * 4001},
        {"rule": RULE, "modality": "teleport"},
        {"rule": RULE, "specialist_id": str(uuid.uuid4())},
        {"rule": RULE, "extra": 1},
    ):
        got = api.post(url, as_=a.owner, json={**base, **extra})
        assert got.status_code in (400, 422), (extra, got.text)
    wrong = api.post(url, as_=a.owner, json={**base, "calendar_id": 7, "rule": RULE})
    assert wrong.status_code == 400
    unknown = _series(api, a, cal, str(uuid.uuid4()), rule=RULE)
    assert (unknown.status_code, error_code(unknown)) == (404, "patient_not_found")
    missing = api.get(a.url(f"/appointment-series/{uuid.uuid4()}"), as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "series_not_found")
    booked = _series(api, a, cal, patient, rule=RULE).json()["series"]["id"]
    cancel = a.url(f"/appointment-series/{booked}/cancel")
    for body in ({}, {"reason": " "}, {"reason": "x" * 1001}, {"reason": "x", "from": "soon"}):
        assert api.post(cancel, as_=a.owner, json=body).status_code == 400, body
    naive = api.post(cancel, as_=a.owner, json={"reason": "x", "from": "2027-03-26T00:00:00"})
    assert (naive.status_code, error_code(naive)) == (400, "invalid_field")
    gone = api.post(
        a.url(f"/appointment-series/{uuid.uuid4()}/cancel"), as_=a.owner, json={"reason": "x"}
    )
    assert (gone.status_code, error_code(gone)) == (404, "series_not_found")


def test_roles_and_other_tenants(api: Api) -> None:
    a, cal, _people, patient = _world(api)
    booked = _series(api, a, cal, patient, rule=RULE).json()["series"]["id"]
    one = a.url(f"/appointment-series/{booked}")
    assert api.get(one).status_code == 401
    billing = a.emails["billing"]
    assert _series(api, a, cal, patient, as_=billing, rule=RULE).status_code == 403
    assert api.get(one, as_=billing).status_code == 403
    assert api.post(f"{one}/cancel", as_=billing, json={"reason": "no"}).status_code == 403

    b = clinic(api, "clinic-b")
    theirs = b.url(f"/appointment-series/{booked}")
    assert api.get(theirs, as_=b.owner).status_code == 404
    cancel = api.post(f"{theirs}/cancel", as_=b.owner, json={"reason": "x"})
    assert (cancel.status_code, error_code(cancel)) == (404, "series_not_found")
    cross = _series(api, b, cal, patient, as_=b.owner, rule=RULE)
    assert (cross.status_code, error_code(cross)) == (404, "calendar_not_found")
    assert {x["status"] for x in api.get(one, as_=a.owner).json()["appointments"]} == {
        "confirmed"
    }, "B changed nothing"
