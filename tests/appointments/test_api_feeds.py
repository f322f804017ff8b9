"""Specialists' ICS feeds through the real API, database and Redis: the token shown once and
stored only as its SHA-256, the public feed parsed back with icalendar (UID, UTC times,
service as summary, status), patient names hidden unless the feed asks and the clinic
allows, revocation and replacement, the specialist themself versus other members, other
tenants, and bad input."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import icalendar

from tests.api_client import Api
from tests.api_world import clinic, error_code

MONDAY_9 = "2027-01-04T09:00:00+02:00"
MONDAY_10 = "2027-01-04T10:00:00+02:00"


def _world(api: Api, slug: str = "clinic-a"):
    a = clinic(api, slug)
    service = api.post(
        a.url("/services"),
        as_=a.owner,
        json={"name": "Physio, knee; rehab", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    # The specialist record of the billing member: themself, without appointments.manage.
    ana = api.post(
        a.url("/specialists"),
        as_=a.owner,
        json={
            "display_name": "Ana",
            "scheduling_timezone": "Europe/Bucharest",
            "scheduling_active": True,
            "human_id": a.principals["billing"],
        },
    )
    assert ana.status_code == 201, ana.text
    ana = ana.json()["id"]
    hours = api.post(
        a.url(f"/specialists/{ana}/weekly-hours"),
        as_=a.owner,
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    assert hours.status_code == 201, hours.text
    cal = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "Physio", "slug": "physio", "service_id": service},
    ).json()["id"]
    assert api.put(a.url(f"/calendars/{cal}/specialists/{ana}"), as_=a.owner, json={}).is_success
    patient = api.post(
        a.url("/patients"), as_=a.receptionist, json={"first_name": "Ion", "last_name": "Pop"}
    ).json()["id"]
    return a, cal, ana, patient


def _book(api: Api, org, cal, patient, start):
    booked = api.post(
        org.url("/appointments"),
        as_=org.receptionist,
        json={"calendar_id": cal, "patient_id": patient, "start": start},
    )
    assert booked.status_code == 201, booked.text
    return booked.json()


def _fetch(api: Api, token: str):
    return api.get(f"/v1/public/calendar-feeds/{token}.ics")


def _events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["version"]) == "2.0"
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_the_feed_renders_the_specialists_appointments(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    first = _book(api, a, cal, patient, MONDAY_9)
    second = _book(api, a, cal, patient, MONDAY_10)
    cancelled = api.post(
        a.url(f"/appointments/{second['id']}/cancel"), as_=a.owner, json={"reason": "Ill"}
    )
    assert cancelled.status_code == 200, cancelled.text

    url = a.url(f"/specialists/{ana}/calendar.ics")
    made = api.post(url, as_=a.owner, json={})
    assert made.status_code == 201, made.text
    body = made.json()
    token = body["token"]
    assert body["url"].endswith(f"/v1/public/calendar-feeds/{token}.ics")
    assert (body["feed"]["include_patient_names"], body["feed"]["patient_names_shown"]) == (
        False,
        False,
    )
    shown = api.get(url, as_=a.receptionist)
    assert shown.status_code == 200, shown.text
    assert "token" not in shown.json() and shown.json()["id"] == body["feed"]["id"]

    events = _events(_fetch(api, token))
    assert set(events) == {
        f"{first['id']}@appointments.restartix",
        f"{second['id']}@appointments.restartix",
    }
    one = events[f"{first['id']}@appointments.restartix"]
    assert one.decoded("dtstart") == datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    assert one.decoded("dtend") == datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
    assert one["dtstart"].to_ical() == b"20270104T070000Z", "UTC, not a floating time"
    assert str(one["summary"]) == "Physio, knee; rehab", "escaped and unescaped by the rules"
    assert str(one["status"]) == "CONFIRMED"
    assert str(events[f"{second['id']}@appointments.restartix"]["status"]) == "CANCELLED"
    raw = _fetch(api, token).content
    assert b"Physio\\, knee\\; rehab" in raw, "RFC 5545 text escaping"
    assert b"Ion" not in raw and b"Pop" not in raw, "no patient name by default"

    # Stored as a hash only: neither the table nor the audit log holds the token.
    assert (
        api.value(
            "SELECT count(*) FROM appointments.calendar_feeds WHERE token_hash = %s",
            (hashlib.sha256(token.encode()).digest(),),
        )
        == 1
    )
    assert (
        api.value(
            "SELECT count(*) FROM appointments.calendar_feeds WHERE position(%s in token_hash) > 0",
            (token.encode(),),
        )
        == 0
    )
    assert api.value(
        "SELECT count(*) FROM audit.audit_log WHERE entity_type LIKE %s", ("%calendar_feeds",)
    ), "the feed's creation is audited"
    assert (
        api.value(
            "SELECT count(*) FROM audit.audit_log AS l"
            " WHERE position(%s in row_to_json(l)::text) > 0",
            (token,),
        )
        == 0
    )
    assert (
        api.value(
            "SELECT count(*) FROM events.outbox WHERE position(%s in payload::text) > 0", (token,)
        )
        == 0
    )
    assert api.value("SELECT count(*) FROM events.outbox WHERE type = 'calendar_feed.created'") == 1


def test_patient_names_need_the_feed_and_the_clinic(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    _book(api, a, cal, patient, MONDAY_9)
    url = a.url(f"/specialists/{ana}/calendar.ics")
    token = api.post(url, as_=a.owner, json={"include_patient_names": True}).json()["token"]
    (event,) = _events(_fetch(api, token)).values()
    assert str(event["summary"]) == "Physio, knee; rehab", "the clinic has not allowed names"
    allowed = api.patch(a.url("/settings"), as_=a.owner, json={"calendar_feed_patient_names": True})
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["calendar_feed_patient_names"] is True
    (event,) = _events(_fetch(api, token)).values()
    assert str(event["summary"]) == "Physio, knee; rehab: Ion Pop"
    assert api.get(url, as_=a.owner).json()["patient_names_shown"] is True
    # A feed that does not ask shows none, whatever the clinic allows.
    plain = api.post(url, as_=a.owner, json={"include_patient_names": False}).json()["token"]
    (event,) = _events(_fetch(api, plain)).values()
    assert "Ion" not in str(event["summary"])
    bad = api.patch(a.url("/settings"), as_=a.owner, json={"calendar_feed_patient_names": "yes"})
    assert bad.status_code == 400


def test_revocation_and_replacement(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    _book(api, a, cal, patient, MONDAY_9)
    url = a.url(f"/specialists/{ana}/calendar.ics")
    old = api.post(url, as_=a.owner, json={}).json()["token"]
    new = api.post(url, as_=a.owner, json={}).json()["token"]
    assert old != new
    gone = _fetch(api, old)
    assert (gone.status_code, error_code(gone)) == (404, "calendar_feed_not_found")
    assert len(_events(_fetch(api, new))) == 1
    assert api.delete(url, as_=a.owner).status_code == 204
    assert _fetch(api, new).status_code == 404
    missing = api.get(url, as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "calendar_feed_not_found")
    again = api.delete(url, as_=a.owner)
    assert (again.status_code, error_code(again)) == (404, "calendar_feed_not_found")
    assert api.value("SELECT count(*) FROM events.outbox WHERE type = 'calendar_feed.revoked'") == 2
    for shape in ("x.ics", f"{new}", f"{new.upper()}.ics", f"{'0' * 64}.ics", f"{new}.ics.ics"):
        unknown = api.get(f"/v1/public/calendar-feeds/{shape}")
        assert (unknown.status_code, error_code(unknown)) == (404, "calendar_feed_not_found")


def test_who_may_manage_a_feed(api: Api) -> None:
    a, _cal, ana, _patient = _world(api)
    url = a.url(f"/specialists/{ana}/calendar.ics")
    assert api.post(url, json={}).status_code == 401
    # The billing member is Ana herself: her own feed, without appointments.manage.
    own = api.post(url, as_=a.emails["billing"], json={})
    assert own.status_code == 201, own.text
    assert api.get(url, as_=a.emails["billing"]).status_code == 200
    bob = api.post(a.url("/specialists"), as_=a.owner, json={"display_name": "Bob"}).json()["id"]
    other = a.url(f"/specialists/{bob}/calendar.ics")
    denied = api.post(other, as_=a.emails["billing"], json={})
    assert (denied.status_code, error_code(denied)) == (403, "permission_denied")
    assert api.get(other, as_=a.emails["billing"]).status_code == 403
    assert api.delete(other, as_=a.emails["billing"]).status_code == 403
    assert api.post(other, as_=a.receptionist, json={}).status_code == 201
    assert api.delete(url, as_=a.receptionist).status_code == 204
    for body in ({"include_patient_names": "yes"}, {"extra": 1}, {"include_patient_names": None}):
        assert api.post(url, as_=a.owner, json=body).status_code == 400, body
    unknown = api.post(a.url(f"/specialists/{uuid.uuid4()}/calendar.ics"), as_=a.owner, json={})
    assert (unknown.status_code, error_code(unknown)) == (404, "specialist_not_found")
    assert api.post(a.url("/specialists/7/calendar.ics"), as_=a.owner, json={}).status_code in (
        400,
        404,
    )


def test_other_tenants_see_nothing(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    _book(api, a, cal, patient, MONDAY_9)
    b, cal_b, ana_b, patient_b = _world(api, "clinic-b")
    _book(api, b, cal_b, patient_b, MONDAY_10)
    theirs = b.url(f"/specialists/{ana}/calendar.ics")
    cross = api.post(theirs, as_=b.owner, json={})
    assert (cross.status_code, error_code(cross)) == (404, "specialist_not_found")
    assert api.get(theirs, as_=b.owner).status_code == 404
    assert api.delete(theirs, as_=b.owner).status_code == 404
    token_a = api.post(a.url(f"/specialists/{ana}/calendar.ics"), as_=a.owner, json={}).json()
    token_b = api.post(b.url(f"/specialists/{ana_b}/calendar.ics"), as_=b.owner, json={}).json()
    events_a = _events(_fetch(api, token_a["token"]))
    events_b = _events(_fetch(api, token_b["token"]))
    assert len(events_a) == len(events_b) == 1
    assert not set(events_a) & set(events_b), "each feed holds its own specialist's only"
    api.sql("UPDATE tenancy.organizations SET status = 'suspended' WHERE id = %s", (b.id,))
    assert _fetch(api, token_b["token"]).status_code == 404, "a suspended clinic's feed is off"
    assert _fetch(api, token_a["token"]).status_code == 200
