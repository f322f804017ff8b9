"""Public two-phase booking through the real API, database and Redis: a guest holds a slot
of a public calendar and books it into `requested` (guest profile, consents, signed forms),
the clinic confirms (patient.claim_invited), the guest signs up, claims the profile and sees
the appointment under /v1/me; the refusals (hold of another calendar or organization, an
expired hold, no hold, unknown and private calendars, bad input, consents, forms, an e-mail
with an account), the rate limit, and the expiry worker moving time forward."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import redis
from litestar.testing import TestClient

from app.api.main import create_app
from tests.api_client import TEST_REDIS_DB, Api, api_settings
from tests.api_world import Clinic, clinic, error_code
from tests.databases import ScratchDatabase
from workers.registry import default_registry
from workers.tasks import expire_booking_requests

MONDAY = "2027-01-04"
MONDAY_9 = "2027-01-04T09:00:00+02:00"
MONDAY_10 = "2027-01-04T10:00:00+02:00"
SHA = "ab" * 32
GUEST = {
    "first_name": "Ioana",
    "last_name": "Popescu",
    "email": "ioana@guest.test",
    "phone": "+40 722 000 001",
}


def _calendar(api: Api, a: Clinic, service: str, slug: str, public: bool = True) -> str:
    made = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": slug, "slug": slug, "service_id": service, "public": public},
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _world(api: Api, slug: str = "clinic-a", documents: bool = True):
    """A clinic with one specialist (Mondays 09-12), a public calendar and a private one on
    the same service, and (when `documents`) its terms and privacy notice published."""
    a = clinic(api, slug)
    service = api.post(
        a.url("/services"),
        as_=a.owner,
        json={"name": "Physio", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    ana = api.post(
        a.url("/specialists"),
        as_=a.owner,
        json={"display_name": "Ana", "scheduling_active": True},
    ).json()["id"]
    hours = api.post(
        a.url(f"/specialists/{ana}/weekly-hours"),
        as_=a.owner,
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    assert hours.status_code == 201, hours.text
    cal = _calendar(api, a, service, "physio")
    private = _calendar(api, a, service, "private", public=False)
    for c in (cal, private):
        added = api.put(a.url(f"/calendars/{c}/specialists/{ana}"), as_=a.owner, json={})
        assert added.status_code == 200, added.text
    docs = []
    if documents:
        for purpose in ("org_terms", "org_privacy_notice"):
            published = api.post(
                a.url("/consent-documents"),
                as_=a.owner,
                json={
                    "purpose": purpose,
                    "title": purpose,
                    "url": f"https://docs.test/{slug}/{purpose}",
                    "content_sha256": SHA,
                },
            )
            assert published.status_code == 201, published.text
            docs.append(published.json()["id"])
    return a, cal, private, ana, docs


def _hold(api: Api, cal: str, start: str = MONDAY_9) -> str:
    placed = api.post(f"/v1/public/calendars/{cal}/holds", json={"start": start})
    assert placed.status_code == 201, placed.text
    return placed.json()["token"]


def _book(api: Api, cal: str, token: str, docs: list[str], start: str = MONDAY_9, **extra):
    body = {
        "calendar_id": cal,
        "start": start,
        "hold_token": token,
        "guest": GUEST,
        "consents": docs,
        **extra,
    }
    return api.post("/v1/public/bookings", json=body, headers={"User-Agent": "guest-browser/1"})


def _free(api: Api, cal: str) -> list[str]:
    found = api.get(
        f"/v1/public/calendars/{cal}/availability", params={"from": MONDAY, "to": MONDAY}
    )
    assert found.status_code == 200, found.text
    return [s["start"] for s in found.json()["slots"]]


def _events(api: Api, kind: str) -> list[dict]:
    return [r[0] for r in api.sql("SELECT payload FROM events.outbox WHERE type = %s", (kind,))]


def test_a_guest_books_is_confirmed_claims_the_profile_and_sees_the_appointment(
    api: Api,
) -> None:
    a, cal, _private, ana, docs = _world(api)
    assert "2027-01-04T09:00:00+02:00" in _free(api, cal)
    token = _hold(api, cal)
    assert "2027-01-04T09:00:00+02:00" not in _free(api, cal), "held for everyone else"

    before = datetime.now(UTC)
    booked = _book(api, cal, token, docs, notes="Lower back pain")
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["status"] == "requested"
    expires = datetime.fromisoformat(body["request_expires_at"])
    assert before + timedelta(hours=48) <= expires <= datetime.now(UTC) + timedelta(hours=48)

    # The hold is consumed; the slot is the appointment's now.
    assert "2027-01-04T09:00:00+02:00" not in _free(api, cal)
    gone = api.delete(f"/v1/public/calendars/{cal}/holds", headers={"Hold-Token": token})
    assert gone.status_code == 404

    # The same token again answers the same appointment and books nothing more.
    again = _book(api, cal, token, docs)
    assert (again.status_code, again.json()["appointment_id"]) == (200, body["appointment_id"])
    assert api.value("SELECT count(*) FROM appointments.appointments") == 1

    one = a.url(f"/appointments/{body['appointment_id']}")
    seen = api.get(one, as_=a.receptionist).json()
    assert (seen["status"], seen["specialist_id"], seen["notes"]) == (
        "requested",
        ana,
        "Lower back pain",
    )
    assert (seen["guest_name"], seen["guest_email"], seen["guest_phone"]) == (
        "Ioana Popescu",
        GUEST["email"],
        GUEST["phone"],
    )
    assert datetime.fromisoformat(seen["request_expires_at"]) == expires
    row = api.sql(
        "SELECT a.guest_name, a.guest_email::text, a.guest_phone, a.booked_by, pp.human_id,"
        " pp.email::text, pp.first_name FROM appointments.appointments AS a"
        " JOIN people.patients AS p ON p.id = a.patient_id"
        " JOIN people.patient_profiles AS pp ON pp.id = p.patient_profile_id"
    )
    assert row == [
        (
            "Ioana Popescu",
            GUEST["email"],
            GUEST["phone"],
            None,
            None,
            GUEST["email"],
            "Ioana",
        )
    ]
    consents = api.sql(
        "SELECT c.purpose, c.source, c.subject_principal_id, c.subject_patient_profile_id::text,"
        " c.evidence_user_agent FROM consent.consents AS c ORDER BY c.purpose"
    )
    profile = api.value("SELECT patient_profile_id::text FROM appointments.appointments")
    assert consents == [
        ("org_privacy_notice", "public_booking", None, profile, "guest-browser/1"),
        ("org_terms", "public_booking", None, profile, "guest-browser/1"),
    ]
    # The clinic's consents list (principals only) still answers with guests in the ledger.
    listed = api.get(a.url("/consents"), as_=a.owner)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
    booked_events = _events(api, "appointment.booked")
    assert [e["status"] for e in booked_events] == ["requested"]
    assert len(_events(api, "patient.created")) == 1
    organization = api.value(
        "SELECT organization_id::text FROM events.outbox WHERE type = 'appointment.booked'"
    )
    assert organization == a.id, "the booking's events are the clinic's"

    billing = api.post(f"{one}/confirm", as_=a.emails["billing"])
    assert billing.status_code == 403
    confirmed = api.post(f"{one}/confirm", as_=a.receptionist)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    twice = api.post(f"{one}/confirm", as_=a.receptionist)
    assert (twice.status_code, error_code(twice)) == (409, "invalid_transition")
    (invited,) = _events(api, "patient.claim_invited")
    assert invited["appointment_id"] == body["appointment_id"]
    assert "email" not in invited
    assert invited["patient_profile_id"] == profile

    # The guest signs up with that address (the first request provisions the human) and
    # claims the profile through the portal; the appointment is theirs to see.
    assert api.get("/v1/me/appointments", as_=GUEST["email"]).json()["items"] == []
    claimed = api.post("/v1/portal/onboard", as_=GUEST["email"], json={"slug": "clinic-a"})
    assert claimed.status_code == 200, claimed.text
    assert (claimed.json()["claimed"], claimed.json()["patient_profile_id"]) == (True, profile)
    mine = api.get("/v1/me/appointments", as_=GUEST["email"])
    assert mine.status_code == 200, mine.text
    assert [(x["id"], x["status"]) for x in mine.json()["items"]] == [
        (body["appointment_id"], "confirmed")
    ]
    # Once the e-mail has an account, a guest booking with it asks to sign in.
    token2 = _hold(api, cal, MONDAY_10)
    account = _book(api, cal, token2, docs, start=MONDAY_10)
    assert (account.status_code, error_code(account)) == (409, "sign_in_required")


def test_a_claim_that_merges_the_guest_profile_takes_the_appointment_along(api: Api) -> None:
    _a, cal, _private, _ana, docs = _world(api)
    booked = _book(api, cal, _hold(api, cal), docs)
    assert booked.status_code == 201, booked.text
    # The guest already had a profile of their own (made elsewhere) before signing up here.
    own = api.post(
        "/v1/me/profiles", as_=GUEST["email"], json={"first_name": "Ioana", "last_name": "P"}
    )
    assert own.status_code == 201, own.text
    onboard = api.post("/v1/portal/onboard", as_=GUEST["email"], json={"slug": "clinic-a"})
    assert onboard.status_code in (200, 201), onboard.text
    mine = api.get("/v1/me/appointments", as_=GUEST["email"]).json()["items"]
    assert [x["id"] for x in mine] == [booked.json()["appointment_id"]]


def test_the_claim_matches_the_e_mail_whatever_its_case(api: Api) -> None:
    _a, cal, _private, _ana, docs = _world(api)
    booked = api.post(
        "/v1/public/bookings",
        json={
            "calendar_id": cal,
            "start": MONDAY_9,
            "hold_token": _hold(api, cal),
            "guest": {**GUEST, "email": "Ioana@Guest.TEST"},
            "consents": docs,
        },
    )
    assert booked.status_code == 201, booked.text
    claimed = api.post("/v1/portal/onboard", as_=GUEST["email"], json={"slug": "clinic-a"})
    assert (claimed.status_code, claimed.json()["claimed"]) == (200, True), claimed.text
    mine = api.get("/v1/me/appointments", as_=GUEST["email"]).json()["items"]
    assert [x["id"] for x in mine] == [booked.json()["appointment_id"]]


def test_the_same_guest_is_found_again_a_namesake_e_mail_is_another_patient(api: Api) -> None:
    _a, cal, _private, _ana, docs = _world(api)
    first = _book(api, cal, _hold(api, cal), docs)
    assert first.status_code == 201, first.text
    second = api.post(
        "/v1/public/bookings",
        json={
            "calendar_id": cal,
            "start": MONDAY_10,
            "hold_token": _hold(api, cal, MONDAY_10),
            "guest": {**GUEST, "first_name": "IOANA", "last_name": "Popescú"},
            "consents": docs,
        },
    )
    assert second.status_code == 201, second.text
    assert api.value("SELECT count(DISTINCT patient_id) FROM appointments.appointments") == 1
    other = api.post(
        "/v1/public/bookings",
        json={
            "calendar_id": cal,
            "start": "2027-01-04T11:00:00+02:00",
            "hold_token": _hold(api, cal, "2027-01-04T11:00:00+02:00"),
            "guest": {**GUEST, "first_name": "Mihai"},
            "consents": docs,
        },
    )
    assert other.status_code == 201, other.text
    assert api.value("SELECT count(DISTINCT patient_id) FROM appointments.appointments") == 2
    assert len(_events(api, "patient.created")) == 2


def test_holds_of_another_calendar_organization_or_start_and_expired_holds(api: Api) -> None:
    a, cal, private, _ana, docs = _world(api)
    _b, cal_b, _private_b, _ana_b, docs_b = _world(api, "clinic-b")
    # Another calendar of the same clinic, with another specialist (Bob, same hours).
    second = _calendar(
        api, a, api.value("SELECT service_id::text FROM scheduling.calendars LIMIT 1"), "second"
    )
    bob = api.post(
        a.url("/specialists"), as_=a.owner, json={"display_name": "Bob", "scheduling_active": True}
    ).json()["id"]
    api.post(
        a.url(f"/specialists/{bob}/weekly-hours"),
        as_=a.owner,
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    api.put(a.url(f"/calendars/{second}/specialists/{bob}"), as_=a.owner, json={})
    refusals = []
    # No hold at all, a token that holds nothing.
    refusals.append(_book(api, cal, "n" * 32, docs))
    # A hold of another calendar of the same clinic (its specialist, the same start).
    refusals.append(_book(api, cal, _hold(api, second), docs))
    # A hold of another clinic's calendar.
    refusals.append(_book(api, cal, _hold(api, cal_b), docs))
    # A hold of another start.
    refusals.append(_book(api, cal, _hold(api, cal, MONDAY_10), docs))
    for refused in refusals:
        assert (refused.status_code, error_code(refused)) == (409, "hold_invalid"), refused.text
    # An expired hold: its expiry moved into the past in Redis.
    token = _hold(api, cal, "2027-01-04T11:00:00+02:00")
    store = redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    key = next(k for k in store.scan_iter(match="*scheduling:holds:*") if a.id.encode() in k)
    value = store.hget(key, token).decode().split("|")
    value[3] = str(int(time.time()) - 1)
    store.hset(key, token, "|".join(value))
    expired = _book(api, cal, token, docs, start="2027-01-04T11:00:00+02:00")
    assert (expired.status_code, error_code(expired)) == (409, "hold_invalid")
    # Unknown and private calendars are 404, as on the public availability.
    held = _hold(api, cal, MONDAY_9)
    for missing in (str(uuid.uuid4()), private):
        absent = _book(api, missing, held, docs)
        assert (absent.status_code, error_code(absent)) == (404, "calendar_not_found")
    assert api.value("SELECT count(*) FROM appointments.appointments") == 0
    assert api.value("SELECT count(*) FROM people.patients") == 0
    assert docs_b


def test_bad_input_is_refused_before_anything_is_written(api: Api) -> None:
    _a, cal, _private, _ana, docs = _world(api)
    token = _hold(api, cal)
    base = {
        "calendar_id": cal,
        "start": MONDAY_9,
        "hold_token": token,
        "guest": GUEST,
        "consents": docs,
    }
    bodies = [
        {k: v for k, v in base.items() if k != "hold_token"},
        {k: v for k, v in base.items() if k != "guest"},
        {**base, "calendar_id": 7},
        {**base, "start": "monday"},
        {**base, "start": "2027-01-04T09:00:00"},
        {**base, "hold_token": "short"},
        {**base, "guest": {**GUEST, "email": "not-an-email"}},
        {**base, "guest": {**GUEST, "first_name": "x" * 101}},
        {**base, "guest": {**GUEST, "phone": "call me"}},
        {**base, "guest": {k: v for k, v in GUEST.items() if k != "last_name"}},
        {**base, "guest": {**GUEST, "locale": "fr"}},
        {**base, "guest": {**GUEST, "extra": 1}},
        {**base, "notes": "x" * 4001},
        {**base, "consents": ["nope"]},
        {**base, "consents": [str(uuid.uuid4()) for _ in range(11)]},
        {**base, "forms": {"not-a-uuid": {}}},
        {**base, "extra": True},
    ]
    for body in bodies:
        refused = api.post("/v1/public/bookings", json=body)
        assert refused.status_code == 400, (body, refused.text)
        error_code(refused)
    not_json = api.post(
        "/v1/public/bookings", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    # A document id that is not this clinic's terms or notice, beside the right ones.
    foreign = _book(api, cal, token, [*docs, str(uuid.uuid4())])
    assert (foreign.status_code, error_code(foreign)) == (400, "invalid_field")
    # A start that has begun is never a guest's, whatever the calendar offers.
    begun = _book(api, cal, token, docs, start="2020-01-06T09:00:00+02:00")
    assert (begun.status_code, error_code(begun)) == (409, "slot_taken")
    assert api.value("SELECT count(*) FROM appointments.appointments") == 0
    assert api.value("SELECT count(*) FROM consent.consents") == 0
    ok = _book(api, cal, token, docs)
    assert ok.status_code == 201, ok.text


def test_the_current_terms_and_privacy_notice_must_be_accepted(api: Api) -> None:
    a, cal, _private, _ana, docs = _world(api)
    token = _hold(api, cal)
    none = _book(api, cal, token, [])
    assert (none.status_code, error_code(none)) == (409, "consent_required")
    missing = none.json()["error"]["details"]["consents"]
    assert sorted(m["purpose"] for m in missing) == ["org_privacy_notice", "org_terms"]
    only_terms = _book(api, cal, token, docs[:1])
    assert [m["purpose"] for m in only_terms.json()["error"]["details"]["consents"]] == [
        "org_privacy_notice"
    ]
    newer = api.post(
        a.url("/consent-documents"),
        as_=a.owner,
        json={
            "purpose": "org_terms",
            "title": "v2",
            "url": "https://docs.test/terms/2",
            "content_sha256": SHA,
        },
    ).json()["id"]
    stale = _book(api, cal, token, docs)
    assert (stale.status_code, error_code(stale)) == (409, "consent_required")
    assert stale.json()["error"]["details"]["consents"][0]["document_id"] == newer
    assert api.value("SELECT count(*) FROM appointments.appointments") == 0
    ok = _book(api, cal, token, [newer, docs[1]])
    assert ok.status_code == 201, ok.text
    versions = api.sql("SELECT purpose, document_version FROM consent.consents ORDER BY purpose")
    assert versions == [("org_privacy_notice", 1), ("org_terms", 2)]


def test_a_clinic_without_documents_asks_for_no_consent(api: Api) -> None:
    _a, cal, _private, _ana, _docs = _world(api, documents=False)
    booked = _book(api, cal, _hold(api, cal), [])
    assert booked.status_code == 201, booked.text


def test_unconfirmed_requests_expire_and_free_their_slots(api: Api) -> None:
    a, cal, _private, _ana, docs = _world(api)
    booked = _book(api, cal, _hold(api, cal), docs)
    assert booked.status_code == 201, booked.text
    kept = _book(api, cal, _hold(api, cal, MONDAY_10), docs, start=MONDAY_10)
    assert kept.status_code == 201, kept.text
    assert (
        api.post(
            a.url(f"/appointments/{kept.json()['appointment_id']}/confirm"), as_=a.owner
        ).status_code
        == 200
    )
    with psycopg.connect(api.db.system_url) as conn:
        assert expire_booking_requests.run(conn) == "expired 0 booking requests"
    # Two days and an hour later (util.now() frozen inside the task's transaction).
    later = datetime.now(UTC) + timedelta(hours=49)
    with psycopg.connect(api.db.system_url) as conn:
        conn.execute("SELECT tests.freeze_time(%s)", (later,))
        assert expire_booking_requests.run(conn, batch=1) == "expired 1 booking requests"
    with psycopg.connect(api.db.system_url) as conn:
        conn.execute("SELECT tests.freeze_time(%s)", (later,))
        assert expire_booking_requests.run(conn) == "expired 0 booking requests"
    rows = api.sql(
        "SELECT id::text, status, cancellation_reason, cancelled_by FROM appointments.appointments"
        " ORDER BY lower(period)"
    )
    assert rows == [
        (booked.json()["appointment_id"], "cancelled", "expired", None),
        (kept.json()["appointment_id"], "confirmed", None, None),
    ]
    (expired,) = _events(api, "appointment.request_expired")
    assert expired["appointment_id"] == booked.json()["appointment_id"]
    assert "2027-01-04T09:00:00+02:00" in _free(api, cal), "the slot is free again"
    late = api.post(a.url(f"/appointments/{booked.json()['appointment_id']}/confirm"), as_=a.owner)
    assert (late.status_code, error_code(late)) == (409, "invalid_transition")
    assert "expire_booking_requests" in default_registry().tasks


def test_the_confirm_route_is_the_organization_s(api: Api) -> None:
    _a, cal, _private, _ana, docs = _world(api)
    b = clinic(api, "clinic-b", roles=("owner",))
    booked = _book(api, cal, _hold(api, cal), docs).json()
    other = api.post(b.url(f"/appointments/{booked['appointment_id']}/confirm"), as_=b.owner)
    assert (other.status_code, error_code(other)) == (404, "appointment_not_found")
    unknown = api.post(b.url(f"/appointments/{uuid.uuid4()}/confirm"), as_=b.owner)
    assert unknown.status_code == 404


def test_on_a_patient_choice_calendar_the_held_specialist_is_booked(api: Api) -> None:
    a, _cal, _private, ana, docs = _world(api)
    service = api.value("SELECT service_id::text FROM scheduling.calendars LIMIT 1")
    made = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={
            "name": "Choice",
            "slug": "choice",
            "service_id": service,
            "public": True,
            "assignment_strategy": "patient_choice",
        },
    )
    assert made.status_code == 201, made.text
    choice = made.json()["id"]
    bob = api.post(
        a.url("/specialists"), as_=a.owner, json={"display_name": "Bob", "scheduling_active": True}
    ).json()["id"]
    api.post(
        a.url(f"/specialists/{bob}/weekly-hours"),
        as_=a.owner,
        json={"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
    )
    for who in (ana, bob):
        api.put(a.url(f"/calendars/{choice}/specialists/{who}"), as_=a.owner, json={})
    held = api.post(
        f"/v1/public/calendars/{choice}/holds", json={"start": MONDAY_9, "specialist_id": bob}
    )
    assert held.status_code == 201, held.text
    booked = _book(api, choice, held.json()["token"], docs)
    assert booked.status_code == 201, booked.text
    assert api.value("SELECT specialist_id::text FROM appointments.appointments") == bob


def _call(url: str, sql: str, args: tuple) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchone()


def test_two_requests_with_one_token_at_once_make_one_booking(api: Api) -> None:
    """The second waits on the token's lock while the first is uncommitted, then answers the
    first's appointment (replayed); nothing is booked twice."""
    _a, cal, _private, _ana, docs = _world(api)
    token = _hold(api, cal)
    sha = hashlib.sha256(token.encode()).hexdigest()
    (hold,) = api.sql(
        "SELECT jsonb_build_object('specialist_id', cs.specialist_id::text,"
        " 'start', '2027-01-04T07:00:00+00:00', 'end', '2027-01-04T08:00:00+00:00')"
        " FROM scheduling.calendar_specialists AS cs WHERE cs.calendar_id = %s",
        (cal,),
    )[0]
    call = (
        "SELECT appointment_id::text, replayed FROM appointments.book_guest(%s, %s, %s, %s,"
        " '[]', %s, %s, '{}', NULL, NULL, NULL, NULL)"
    )
    args = (cal, MONDAY_9, sha, json.dumps(hold), json.dumps(GUEST), json.dumps(docs))
    first = psycopg.connect(api.db.system_url)
    try:
        made = first.execute(call, args).fetchone()
        with ThreadPoolExecutor(1) as pool:
            second = pool.submit(_call, api.db.system_url, call, args)
            time.sleep(0.5)
            assert not second.done(), "the second waits for the first"
            first.commit()
            again = second.result(timeout=10)
    finally:
        first.close()
    assert made[1] is False and again == (made[0], True)
    assert api.value("SELECT count(*) FROM appointments.appointments") == 1


@pytest.fixture
def limited(fresh_database: ScratchDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The real app with the public limit at 3 requests per 2 seconds."""
    monkeypatch.setenv("RATE_LIMIT_PUBLIC", "3/2s")
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}").flushdb()
    app = create_app(api_settings(fresh_database, TEST_REDIS_DB))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, fresh_database)


def test_public_booking_is_rate_limited(limited: Api) -> None:
    body = {
        "calendar_id": str(uuid.uuid4()),
        "start": MONDAY_9,
        "hold_token": "t" * 32,
        "guest": GUEST,
    }
    answers = [limited.post("/v1/public/bookings", json=body).status_code for _ in range(3)]
    assert answers == [404, 404, 404]
    refused = limited.post("/v1/public/bookings", json=body)
    assert (refused.status_code, error_code(refused)) == (429, "rate_limited")
    assert refused.json()["error"]["details"]["bucket"] == "public"


def _template(api: Api, a: Clinic, body: dict) -> str:
    made = api.post(a.url("/form-templates"), as_=a.owner, json=body)
    assert made.status_code == 201, made.text
    published = api.post(a.url(f"/form-templates/{made.json()['id']}/publish"), as_=a.owner)
    assert published.status_code == 201, published.text
    return made.json()["id"]


def test_the_calendar_s_forms_are_answered_validated_and_signed(api: Api) -> None:
    a, cal, _private, _ana, docs = _world(api)
    made = api.post(
        a.url("/custom-fields"),
        as_=a.owner,
        json={"entity_type": "patient", "key": "pain_level", "label": "Pain", "type": "scale"},
    )
    assert made.status_code == 201, made.text
    intake = _template(
        api,
        a,
        {
            "purpose": "intake",
            "name": "Intake",
            "draft": {
                "sections": [
                    {
                        "key": "main",
                        "items": [
                            {"key": "pain", "custom_field": "pain_level", "required": True},
                            {"key": "where", "type": "text", "required": True},
                        ],
                    }
                ]
            },
        },
    )
    sharing = _template(
        api,
        a,
        {
            "purpose": "consent",
            "consent_purpose": "telemedicine",
            "name": "Video care",
            "draft": {
                "sections": [
                    {"key": "s", "items": [{"key": "agree", "type": "boolean", "required": True}]}
                ]
            },
        },
    )
    for template, required in ((intake, True), (sharing, False)):
        asked = api.post(
            a.url(f"/calendars/{cal}/forms"),
            as_=a.owner,
            json={"form_template_id": template, "required": required},
        )
        assert asked.status_code == 200, asked.text
    token = _hold(api, cal)
    missing = _book(api, cal, token, docs)
    assert (missing.status_code, error_code(missing)) == (409, "forms_required")
    assert [f["form_template_id"] for f in missing.json()["error"]["details"]["forms"]] == [intake]
    invalid = _book(api, cal, token, docs, forms={intake: {"pain": 42}})
    assert (invalid.status_code, error_code(invalid)) == (422, "form_invalid")
    details = invalid.json()["error"]["details"]
    assert details["form_template_id"] == intake
    assert sorted(i["item"] for i in details["items"]) == ["pain", "where"]
    unknown = _book(api, cal, token, docs, forms={intake: {"pain": 2, "where": "knee", "x": 1}})
    assert (unknown.status_code, error_code(unknown)) == (422, "form_invalid")
    stranger = _book(api, cal, token, docs, forms={str(uuid.uuid4()): {}})
    assert (stranger.status_code, error_code(stranger)) == (400, "invalid_field")
    assert api.value("SELECT count(*) FROM forms.forms") == 0

    booked = _book(
        api,
        cal,
        token,
        docs,
        forms={intake: {"pain": 6, "where": "lower back"}, sharing: {"agree": True}},
    )
    assert booked.status_code == 201, booked.text
    forms = api.sql(
        "SELECT f.form_template_id::text, f.status, f.filler_kind, f.evidence_user_agent,"
        " f.signature_sha256 = forms.canonical_digest(f.form_template_version_id, f.answers,"
        " f.signed_by, f.signed_at), f.answers FROM forms.forms AS f ORDER BY f.created_at, f.id"
    )
    assert sorted(forms) == sorted(
        [
            (
                intake,
                "signed",
                "patient",
                "guest-browser/1",
                True,
                {"pain": 6, "where": "lower back"},
            ),
            (sharing, "signed", "patient", "guest-browser/1", True, {"agree": True}),
        ]
    )
    assert api.value("SELECT value FROM forms.custom_field_values") == 6
    ledger = api.sql(
        "SELECT purpose, source, form_id IS NOT NULL FROM consent.consents ORDER BY purpose"
    )
    assert ledger == [
        ("org_privacy_notice", "public_booking", False),
        ("org_terms", "public_booking", False),
        ("telemedicine", "form", True),
    ]
    staff = api.get(a.url("/forms"), as_=a.owner, params={"status": "signed"})
    assert staff.status_code == 200, staff.text
    assert len(staff.json()["items"]) == 2
