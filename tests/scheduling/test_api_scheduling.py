"""Scheduling through the real API, database and Redis: hours, overrides, closures and
calendars with their validation and events; availability for members and the public page;
holds (one wins a race, the per-token and per-address limits, release); other tenants' ids
and unauthorized roles."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime

import httpx
import msgspec
import pytest
import redis as sync_redis
import redis.asyncio as aioredis
import uvicorn

from app.api.main import create_app
from app.domains.events.catalog import CATALOG
from app.domains.scheduling import holds
from tests.api_client import TEST_REDIS_DB, Api, api_settings
from tests.api_world import clinic, error_code

MONDAY = "2027-01-04"


def _service(api: Api, org, duration: int = 60) -> str:
    made = api.post(
        org.url("/services"),
        as_=org.owner,
        json={"name": "Physio", "duration_minutes": duration, "currency": "RON"},
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _specialist(api: Api, org, name: str, zone: str = "Europe/Bucharest") -> str:
    made = api.post(
        org.url("/specialists"),
        as_=org.owner,
        json={"display_name": name, "scheduling_timezone": zone, "scheduling_active": True},
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _calendar(api: Api, org, service: str, **extra) -> dict:
    made = api.post(
        org.url("/calendars"),
        as_=org.owner,
        json={"name": "Physio", "slug": "physio", "service_id": service, **extra},
    )
    assert made.status_code == 201, made.text
    return made.json()


def _hours(api: Api, org, specialist: str, weekday=1, start="09:00", end="11:00"):
    return api.post(
        org.url(f"/specialists/{specialist}/weekly-hours"),
        as_=org.owner,
        json={"weekday": weekday, "start_time": start, "end_time": end},
    )


def _world(api: Api, strategy: str = "round_robin", public: bool = True):
    a = clinic(api, "clinic-a")
    service = _service(api, a)
    ana, dan = _specialist(api, a, "Ana"), _specialist(api, a, "Dan")
    for sp in (ana, dan):
        assert _hours(api, a, sp).status_code == 201
    cal = _calendar(api, a, service, public=public, assignment_strategy=strategy)
    for sp in (ana, dan):
        put = api.put(a.url(f"/calendars/{cal['id']}/specialists/{sp}"), as_=a.owner, json={})
        assert put.status_code == 200, put.text
    return a, cal, sorted([ana, dan])


def test_hours_calendars_and_member_availability(api: Api) -> None:
    a, cal, (first, second) = _world(api)
    got = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.emails["specialist"],
        params={"from": MONDAY, "to": MONDAY, "timezone": "Europe/London"},
    )
    assert got.status_code == 200, got.text
    assert got.json() == {
        "slots": [
            {
                "start": "2027-01-04T07:00:00+00:00",
                "end": "2027-01-04T08:00:00+00:00",
                "specialist_ids": [first, second],
            },
            {
                "start": "2027-01-04T08:00:00+00:00",
                "end": "2027-01-04T09:00:00+00:00",
                "specialist_ids": [first, second],
            },
        ]
    }
    # An override takes one specialist's Monday off; a closure the whole clinic's.
    off = api.put(
        a.url(f"/specialists/{first}/overrides/{MONDAY}"), as_=a.owner, json={"unavailable": True}
    )
    assert off.status_code == 200, off.text
    slots = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.owner,
        params={"from": MONDAY, "to": MONDAY},
    ).json()["slots"]
    assert [s["specialist_ids"] for s in slots] == [[second], [second]]
    assert slots[0]["start"] == "2027-01-04T09:00:00+02:00"
    closed = api.post(a.url("/closures"), as_=a.owner, json={"closure_date": MONDAY})
    assert closed.status_code == 201, closed.text
    none = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.owner,
        params={"from": MONDAY, "to": MONDAY},
    )
    assert none.json() == {"slots": []}
    listed = api.get(a.url("/closures"), as_=a.receptionist).json()["items"]
    assert [c["closure_date"] for c in listed] == [MONDAY]
    hours = api.get(a.url(f"/specialists/{first}/weekly-hours"), as_=a.owner).json()["items"]
    assert [(h["weekday"], h["start_time"], h["end_time"]) for h in hours] == [
        (1, "09:00", "11:00")
    ]

    events = api.sql(
        "SELECT type, version, payload::text FROM events.outbox WHERE organization_id = %s",
        (a.id,),
    )
    types = {t for t, _, _ in events}
    assert {
        "calendar.created",
        "calendar.specialist_set",
        "specialist_hours.changed",
        "availability.changed",
    } <= types
    for t, v, payload in events:
        if t.startswith(("calendar.", "specialist_hours.", "availability.")):
            msgspec.json.decode(payload, type=CATALOG[(t, v)], strict=True)


def test_overlapping_and_backwards_hours_are_refused_naming_both(api: Api) -> None:
    a = clinic(api, "clinic-a")
    sp = _specialist(api, a, "Ana")
    assert _hours(api, a, sp, start="09:00", end="12:00").status_code == 201
    clash = _hours(api, a, sp, start="11:00", end="13:00")
    assert (clash.status_code, error_code(clash)) == (422, "overlapping_hours")
    assert "11:00-13:00" in clash.json()["error"]["message"] + str(clash.json()["error"])
    assert "09:00-12:00" in clash.json()["error"]["message"] + str(clash.json()["error"])
    backwards = _hours(api, a, sp, start="12:00", end="12:00")
    assert (backwards.status_code, error_code(backwards)) == (422, "invalid_hours")
    odd = _hours(api, a, sp, start="9:00", end="10:00")
    assert odd.status_code == 400
    wrong_type = api.post(
        a.url(f"/specialists/{sp}/weekly-hours"),
        as_=a.owner,
        json={"weekday": "monday", "start_time": "09:00", "end_time": "10:00"},
    )
    assert wrong_type.status_code == 400
    missing = api.post(a.url(f"/specialists/{sp}/weekly-hours"), as_=a.owner, json={})
    assert missing.status_code == 400
    day = api.put(
        a.url(f"/specialists/{sp}/overrides/{MONDAY}"),
        as_=a.owner,
        json={
            "intervals": [{"start": "09:00", "end": "11:00"}, {"start": "10:00", "end": "12:00"}]
        },
    )
    assert (day.status_code, error_code(day)) == (422, "overlapping_hours")
    service = _service(api, a)
    cal_hours = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={
            "name": "X",
            "slug": "x",
            "service_id": service,
            "hours": [
                {"weekday": 2, "start": "08:00", "end": "10:00"},
                {"weekday": 2, "start": "09:30", "end": "11:00"},
            ],
        },
    )
    assert (cal_hours.status_code, error_code(cal_hours)) == (422, "overlapping_hours")
    bad_zone = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "X", "slug": "x", "service_id": service, "timezone": "europe/bucharest"},
    )
    assert (bad_zone.status_code, error_code(bad_zone)) == (422, "invalid_timezone")
    long_name = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "x" * 201, "slug": "x", "service_id": service},
    )
    assert long_name.status_code == 400
    unknown = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "X", "slug": "x", "service_id": service, "colour": "red"},
    )
    assert unknown.status_code == 400
    assert api.sql("SELECT count(*) FROM scheduling.calendars")[0][0] == 0


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"from": "2027-01-05", "to": "2027-01-04"}, "to"),
        ({"from": "2027-02-30", "to": "2027-03-01"}, "from"),
        ({"from": "04/01/2027", "to": "2027-01-04"}, "from"),
        ({"to": "2027-01-04"}, "from"),
        ({"from": "2027-01-01", "to": "2027-03-04"}, "to"),
        ({"from": MONDAY, "to": MONDAY, "timezone": "europe/london"}, "timezone"),
        ({"from": MONDAY, "to": MONDAY, "timezone": "posix/Europe/London"}, "timezone"),
        ({"from": MONDAY, "to": MONDAY, "timezone": "localtime"}, "timezone"),
        ({"from": MONDAY, "to": MONDAY, "timezone": "EST"}, "timezone"),
        ({"from": MONDAY, "to": MONDAY, "timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_bad_queries_are_400_invalid_query_naming_the_parameter(api: Api, params, named) -> None:
    a, cal, _ = _world(api)
    for path, who in (
        (a.url(f"/calendars/{cal['id']}/availability"), a.owner),
        (f"/v1/public/calendars/{cal['id']}/availability", None),
    ):
        got = api.get(path, as_=who, params=params)
        assert (got.status_code, error_code(got)) == (400, "invalid_query"), got.text
        assert got.json()["error"]["message"].startswith(f"{named}:") or named in str(
            got.json()["error"]["details"]
        )


def test_sixty_two_dates_are_allowed(api: Api) -> None:
    a, cal, _ = _world(api)
    got = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.owner,
        params={"from": "2027-01-01", "to": "2027-03-03"},
    )
    assert got.status_code == 200, got.text
    assert len(got.json()["slots"]) == 9 * 2


def test_other_tenants_ids_are_404_and_roles_are_403(api: Api) -> None:
    a, cal, (first, _) = _world(api, public=False)
    b = clinic(api, "clinic-b")
    for path in (f"/calendars/{cal['id']}", f"/calendars/{cal['id']}/availability"):
        got = api.get(b.url(path), as_=b.owner, params={"from": MONDAY, "to": MONDAY})
        assert (got.status_code, error_code(got)) == (404, "calendar_not_found"), path
    hours = _hours(api, b, first)
    assert (hours.status_code, error_code(hours)) == (404, "specialist_not_found")
    changed = api.patch(b.url(f"/calendars/{cal['id']}"), as_=b.owner, json={"name": "Mine"})
    assert (changed.status_code, error_code(changed)) == (404, "calendar_not_found")
    public = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    )
    assert (public.status_code, error_code(public)) == (404, "calendar_not_found")
    # The billing role neither reads nor manages scheduling; a clinician reads only.
    billing = api.get(a.url("/calendars"), as_=a.emails["billing"])
    assert billing.status_code == 403
    physio = api.patch(
        a.url(f"/calendars/{cal['id']}"), as_=a.emails["specialist"], json={"name": "Mine"}
    )
    assert physio.status_code == 403
    assert api.get(a.url("/calendars"), as_=a.emails["specialist"]).status_code == 200


def test_public_availability_counts_and_patient_choice_names(api: Api) -> None:
    a, cal, (first, second) = _world(api)
    got = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    )
    assert got.status_code == 200, got.text
    assert [s["available"] for s in got.json()["slots"]] == [2, 2]
    assert "specialist_ids" not in got.json()["slots"][0]
    api.patch(
        a.url(f"/calendars/{cal['id']}"),
        as_=a.owner,
        json={"assignment_strategy": "patient_choice"},
    )
    chosen = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    ).json()["slots"][0]
    assert chosen["available"] == 2
    assert [s["id"] for s in chosen["specialists"]] == [first, second]
    assert {s["display_name"] for s in chosen["specialists"]} == {"Ana", "Dan"}


def test_holds_make_a_slot_busy_until_released(api: Api) -> None:
    _, cal, _ = _world(api)
    start = "2027-01-04T09:00:00+02:00"
    url = f"/v1/public/calendars/{cal['id']}/holds"
    one = api.post(url, json={"start": start})
    assert one.status_code == 201, one.text
    two = api.post(url, json={"start": start})
    assert two.status_code == 201, two.text
    three = api.post(url, json={"start": start})
    assert (three.status_code, error_code(three)) == (409, "no_specialist_free")
    slots = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    ).json()["slots"]
    assert [s["available"] for s in slots] == [2]
    same_token = api.post(
        url, json={"start": "2027-01-04T10:00:00+02:00", "token": one.json()["token"]}
    )
    assert (same_token.status_code, error_code(same_token)) == (409, "hold_token_in_use")
    released = api.delete(url, headers={"Hold-Token": one.json()["token"]})
    assert released.status_code == 204
    again = api.delete(url, headers={"Hold-Token": one.json()["token"]})
    assert (again.status_code, error_code(again)) == (404, "hold_not_found")
    slots = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    ).json()["slots"]
    assert [s["available"] for s in slots] == [1, 2]
    # Three live holds per address: the third is allowed, the fourth refused.
    third = api.post(url, json={"start": "2027-01-04T10:00:00+02:00"})
    assert third.status_code == 201, third.text
    fourth = api.post(url, json={"start": "2027-01-04T10:00:00+02:00"})
    assert fourth.status_code == 201, fourth.text
    fifth = api.post(url, json={"start": start})
    assert (fifth.status_code, error_code(fifth)) == (429, "too_many_holds")
    bad = api.post(url, json={"start": "tomorrow"})
    assert bad.status_code == 400
    off_grid = api.post(url, json={"start": "2027-01-04T09:10:00+02:00"})
    assert (off_grid.status_code, error_code(off_grid)) == (409, "no_specialist_free")


def test_two_concurrent_holds_for_the_last_free_specialist_exactly_one_wins() -> None:
    async def race() -> list[str]:
        r = aioredis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
        prefix = f"race-{datetime.now(UTC).timestamp()}"
        try:
            return await asyncio.gather(
                *(
                    holds.place(r, prefix, "org", f"token-{i}", "sp", 1000, 4600, 600, f"ip{i}", 3)
                    for i in range(8)
                )
            )
        finally:
            await r.delete(holds.holds_key(prefix, "org"))
            await r.aclose()

    outcomes = asyncio.run(race())
    assert sorted(outcomes) == ["ok"] + ["taken"] * 7


def test_holds_expire() -> None:
    async def expire() -> tuple[str, str]:
        r = aioredis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
        prefix = f"expire-{datetime.now(UTC).timestamp()}"
        try:
            first = await holds.place(r, prefix, "org", "token-a", "sp", 0, 60, 1, "ip", 3)
            await asyncio.sleep(2.1)
            live = await holds.live(r, prefix, "org")
            second = await holds.place(r, prefix, "org", "token-b", "sp", 0, 60, 1, "ip", 3)
            return first, second, live
        finally:
            await r.delete(holds.holds_key(prefix, "org"))
            await r.aclose()

    first, second, live = asyncio.run(expire())
    assert (first, second, live) == ("ok", "ok", [])


def test_the_stream_relays_hold_messages_and_holds_publish_them(api: Api) -> None:
    a, cal, _ = _world(api)
    prefix = api.client.app.state.resources.settings.redis_prefix
    channel = holds.channel(prefix, cal["id"])
    listener = sync_redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}").pubsub()
    listener.subscribe(channel)
    assert listener.get_message(timeout=1)["type"] == "subscribe"
    placed = api.post(
        f"/v1/public/calendars/{cal['id']}/holds", json={"start": "2027-01-04T09:00:00+02:00"}
    )
    assert placed.status_code == 201, placed.text
    heard = listener.get_message(timeout=2)
    assert (heard["type"], heard["data"]) == ("message", b"hold")
    listener.close()

    # A real server: the in-process test client buffers a response until it ends.
    app = create_app(api_settings(api.db, TEST_REDIS_DB))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8731, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    publisher = sync_redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    url = f"http://127.0.0.1:8731/v1/public/calendars/{cal['id']}/availability/stream"
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        with httpx.stream("GET", url, timeout=10) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            assert next(lines) == "event: ready"
            # The subscription is open once `ready` is out; a message another process
            # publishes arrives as an `availability` event.
            publisher.publish(channel, b"release")
            seen = []
            for line in lines:
                seen.append(line)
                if line.startswith('data: {"'):
                    break
            assert "event: availability" in seen
            assert seen[-1] == f'data: {{"calendar_id":"{cal["id"]}","reason":"release"}}'
    finally:
        server.should_exit = True
        thread.join(10)
    missing = api.get(f"/v1/public/calendars/{a.id}/availability/stream")
    assert (missing.status_code, error_code(missing)) == (404, "calendar_not_found")


def test_calendar_and_hours_lifecycle(api: Api) -> None:
    a, cal, (first, second) = _world(api)
    listed = api.get(a.url("/calendars"), as_=a.owner).json()["items"]
    assert [c["id"] for c in listed] == [cal["id"]]
    members = api.get(a.url(f"/calendars/{cal['id']}/specialists"), as_=a.owner).json()["items"]
    assert sorted(m["specialist_id"] for m in members) == [first, second]
    edited = api.patch(
        a.url(f"/calendars/{cal['id']}"),
        as_=a.owner,
        json={
            "slot_interval_minutes": 30,
            "hours": [{"weekday": 1, "start": "09:00", "end": "10:00"}],
        },
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["slot_interval_minutes"] == 30
    slots = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.owner,
        params={"from": MONDAY, "to": MONDAY},
    ).json()["slots"]
    assert [s["start"] for s in slots] == ["2027-01-04T09:00:00+02:00"]
    cleared = api.patch(a.url(f"/calendars/{cal['id']}"), as_=a.owner, json={"hours": None})
    assert cleared.json()["hours"] is None
    taken = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "Again", "slug": "physio", "service_id": cal["service_id"]},
    )
    assert (taken.status_code, error_code(taken)) == (409, "calendar_slug_taken")
    removed = api.delete(a.url(f"/calendars/{cal['id']}/specialists/{first}"), as_=a.owner)
    assert removed.status_code == 204
    again = api.delete(a.url(f"/calendars/{cal['id']}/specialists/{first}"), as_=a.owner)
    assert (again.status_code, error_code(again)) == (404, "calendar_specialist_not_found")
    hours = api.get(a.url(f"/specialists/{second}/weekly-hours"), as_=a.owner).json()["items"]
    assert api.delete(a.url(f"/weekly-hours/{hours[0]['id']}"), as_=a.owner).status_code == 204
    gone = api.delete(a.url(f"/weekly-hours/{hours[0]['id']}"), as_=a.owner)
    assert (gone.status_code, error_code(gone)) == (404, "weekly_hours_not_found")
    day = api.put(
        a.url(f"/specialists/{second}/overrides/{MONDAY}"),
        as_=a.owner,
        json={"intervals": [{"start": "14:00", "end": "16:00"}]},
    )
    assert day.status_code == 200, day.text
    slots = api.get(
        a.url(f"/calendars/{cal['id']}/availability"),
        as_=a.owner,
        params={"from": MONDAY, "to": MONDAY},
    ).json()["slots"]
    assert [s["start"] for s in slots] == [
        "2027-01-04T14:00:00+02:00",
        "2027-01-04T14:30:00+02:00",
        "2027-01-04T15:00:00+02:00",
    ]
    bad_day = api.put(a.url(f"/specialists/{second}/overrides/2027-13-01"), as_=a.owner, json={})
    assert (bad_day.status_code, error_code(bad_day)) == (400, "invalid_field")
    assert api.delete(a.url(f"/overrides/{day.json()['id']}"), as_=a.owner).status_code == 204
    assert api.delete(a.url(f"/calendars/{cal['id']}"), as_=a.owner).status_code == 204
    missing = api.get(a.url(f"/calendars/{cal['id']}"), as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "calendar_not_found")
    public = api.get(
        f"/v1/public/calendars/{cal['id']}/availability", params={"from": MONDAY, "to": MONDAY}
    )
    assert public.status_code == 404


def _template(api: Api, org, name: str = "Intake") -> str:
    made = api.post(
        org.url("/form-templates"),
        as_=org.owner,
        json={
            "purpose": "intake",
            "name": name,
            "draft": {
                "sections": [
                    {"key": "s", "items": [{"key": "why", "type": "text", "label": "Why"}]}
                ]
            },
        },
    )
    assert made.status_code == 201, made.text
    assert api.post(org.url(f"/form-templates/{made.json()['id']}/publish"), as_=org.owner)
    return made.json()["id"]


def test_calendar_forms_attach_change_and_detach(api: Api) -> None:
    a, cal, _ = _world(api)
    intake, habits = _template(api, a), _template(api, a, "Habits")
    forms_url = a.url(f"/calendars/{cal['id']}/forms")
    first = api.post(forms_url, as_=a.owner, json={"form_template_id": intake})
    assert first.status_code == 200, first.text
    assert [(f["form_template_id"], f["required"], f["stage"]) for f in first.json()] == [
        (intake, True, "before_booking")
    ]
    again = api.post(
        forms_url,
        as_=a.receptionist,
        json={"form_template_id": intake, "required": False},
    )
    assert [f["required"] for f in again.json()] == [False], again.text
    after = api.post(
        forms_url, as_=a.owner, json={"form_template_id": habits, "stage": "after_visit"}
    )
    assert [f["stage"] for f in after.json()] == ["after_visit", "before_booking"]
    listed = api.get(forms_url, as_=a.emails["specialist"])
    assert listed.status_code == 200 and len(listed.json()) == 2
    gone = api.delete(f"{forms_url}/{first.json()[0]['id']}", as_=a.owner)
    assert gone.status_code == 204, gone.text
    assert [f["form_template_id"] for f in api.get(forms_url, as_=a.owner).json()] == [habits]
    again_gone = api.delete(f"{forms_url}/{first.json()[0]['id']}", as_=a.owner)
    assert (again_gone.status_code, error_code(again_gone)) == (404, "calendar_form_not_found")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"form_template_id": "not-a-uuid"},
        {"form_template_id": 7},
        {"form_template_id": "00000000-0000-4000-8000-000000000000", "required": "yes"},
        {"form_template_id": "00000000-0000-4000-8000-000000000000", "stage": "later"},
        {"form_template_id": "00000000-0000-4000-8000-000000000000", "extra": 1},
    ],
)
def test_calendar_forms_bad_bodies_are_400_and_change_nothing(api: Api, body) -> None:
    a, cal, _ = _world(api)
    made = api.post(a.url(f"/calendars/{cal['id']}/forms"), as_=a.owner, json=body)
    assert made.status_code == 400, made.text
    assert error_code(made) == "validation_failed"
    assert api.get(a.url(f"/calendars/{cal['id']}/forms"), as_=a.owner).json() == []


def test_calendar_forms_other_tenants_and_roles(api: Api) -> None:
    a, cal, _ = _world(api)
    b = clinic(api, "clinic-b")
    mine = _template(api, a)
    theirs = _template(api, b)
    forms_url = a.url(f"/calendars/{cal['id']}/forms")
    unknown = api.post(forms_url, as_=a.owner, json={"form_template_id": theirs})
    assert (unknown.status_code, error_code(unknown)) == (404, "form_template_not_found")
    attached = api.post(forms_url, as_=a.owner, json={"form_template_id": mine}).json()
    for call in (
        lambda: api.get(b.url(f"/calendars/{cal['id']}/forms"), as_=b.owner),
        lambda: api.post(
            b.url(f"/calendars/{cal['id']}/forms"), as_=b.owner, json={"form_template_id": mine}
        ),
        lambda: api.delete(b.url(f"/calendars/{cal['id']}/forms/{attached[0]['id']}"), as_=b.owner),
    ):
        got = call()
        assert (got.status_code, error_code(got)) == (404, "calendar_not_found"), got.text
    physio = api.post(forms_url, as_=a.emails["specialist"], json={"form_template_id": mine})
    assert physio.status_code == 403
    billing = api.get(forms_url, as_=a.emails["billing"])
    assert billing.status_code == 403
    assert len(api.get(forms_url, as_=a.owner).json()) == 1


def test_request_expiry_hours_is_a_calendar_setting(api: Api) -> None:
    a, cal, _ = _world(api)
    assert cal["request_expiry_hours"] == 48
    url = a.url(f"/calendars/{cal['id']}")
    for bad in (0, 721, 1.5, "a day", None):
        refused = api.patch(url, as_=a.owner, json={"request_expiry_hours": bad})
        assert (refused.status_code, error_code(refused)) == (400, "validation_failed"), bad
    assert api.get(url, as_=a.owner).json()["request_expiry_hours"] == 48
    changed = api.patch(url, as_=a.owner, json={"request_expiry_hours": 720})
    assert (changed.status_code, changed.json()["request_expiry_hours"]) == (200, 720)
    service = cal["service_id"]
    made = api.post(
        a.url("/calendars"),
        as_=a.owner,
        json={"name": "Quick", "slug": "quick", "service_id": service, "request_expiry_hours": 2},
    )
    assert (made.status_code, made.json()["request_expiry_hours"]) == (201, 2), made.text
    physio = api.patch(url, as_=a.emails["specialist"], json={"request_expiry_hours": 5})
    assert physio.status_code == 403
