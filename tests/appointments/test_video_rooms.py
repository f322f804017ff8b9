"""Video rooms end to end: the API and database for real, the worker's pump round run in this
process on a system-pool connection, and the video provider a Daily.co stand-in on loopback
(tests/appointments/daily_server.py) speaking exactly the subset the product uses.

Covered: a video appointment's room is created after the start and deleted after the end,
its minutes metered; the clinic and the patient get owner and participant tokens; the
provider down (5xx, connection refused) then back; a 4xx refusal; an appointment that ends
before its room exists; in-clinic appointments get no room; other organizations and other
patients are refused; the quota (refused when used up, an overrun metered up to the quota)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from app.crypto import build_field_cipher
from app.domains.appointments import video
from tests.api_client import Api
from tests.api_world import clinic, error_code
from tests.appointments.daily_server import Daily
from tests.appointments.test_api_appointments import MONDAY_10, _book, _world
from workers.consumers.video_rooms import Rooms

ROOT = "root@platform.test"
API_KEY = "daily-test-key-0123456789"
ION = "ion@pop.test"


@pytest.fixture
def daily() -> Iterator[Daily]:
    server = Daily(API_KEY)
    try:
        yield server
    finally:
        server.stop()


class World:
    def __init__(self, api: Api, daily: Daily) -> None:
        self.api = api
        self.daily = daily
        self.conn = psycopg.connect(api.db.system_url, autocommit=True)
        url = api.db.system_url
        self.rooms = Rooms(build_field_cipher(lambda: psycopg.connect(url)))
        self.a, self.cal, self.ana, _ = _world(api)
        onboarded = api.post(
            "/v1/portal/onboard",
            as_=ION,
            json={"slug": "clinic-a", "first_name": "Ion", "last_name": "Pop"},
        )
        assert onboarded.status_code == 201, onboarded.text
        self.patient = onboarded.json()["patient_id"]
        api.platform(api.human(ROOT))
        made = api.post(
            "/v1/console/service-providers",
            as_=ROOT,
            json={
                "category": "video",
                "provider": "daily",
                "config": {"api_url": daily.url},
                "credentials": {"api_key": API_KEY},
                "is_default": True,
            },
        )
        assert made.status_code == 201, made.text
        self.provider_id = made.json()["id"]

    def book(self, start: str = "2027-01-04T09:00:00+02:00", modality: str = "video") -> str:
        booked = _book(self.api, self.a, self.cal, self.patient, start=start, modality=modality)
        assert booked.status_code == 201, booked.text
        return booked.json()["id"]

    def move(self, appointment: str, status: str) -> None:
        moved = self.api.post(
            self.a.url(f"/appointments/{appointment}/transition"),
            as_=self.a.owner,
            json={"status": status},
        )
        assert moved.status_code == 200, moved.text

    def work(self) -> int:
        return self.rooms.round(self.conn, "test-worker")

    def room(self, appointment: str) -> dict:
        rows = self.api.sql(
            "SELECT state, attempts, last_error, room_name, room_url, minutes, metered_minutes,"
            " next_attempt_at > now() AS waiting FROM appointments.video_rooms"
            " WHERE appointment_id = %s",
            (appointment,),
        )
        if not rows:
            return {}
        keys = (
            "state",
            "attempts",
            "last_error",
            "room_name",
            "room_url",
            "minutes",
            "metered",
            "waiting",
        )
        return dict(zip(keys, rows[0], strict=True))

    def due_now(self, appointment: str) -> None:
        self.api.sql(
            "UPDATE appointments.video_rooms SET next_attempt_at = now() WHERE appointment_id = %s",
            (appointment,),
        )

    def backdate(self, appointment: str, minutes: float) -> None:
        # The session began `minutes` ago (the clock is the API's real one).
        self.api.sql(
            "UPDATE appointments.video_rooms SET started_at = now() - make_interval(secs => %s),"
            " room_created_at = now() - make_interval(secs => %s) WHERE appointment_id = %s",
            (minutes * 60, minutes * 60, appointment),
        )

    def events(self, type_: str) -> list[dict]:
        return [
            r[0]
            for r in self.api.sql(
                "SELECT payload FROM events.outbox WHERE type = %s ORDER BY occurred_at", (type_,)
            )
        ]

    def used_minutes(self) -> int:
        return int(
            self.api.value(
                "SELECT coalesce(sum(quantity), 0) FROM metering.usage_rollups"
                " WHERE organization_id = %s AND meter = 'video_minutes'",
                (self.a.id,),
            )
        )

    def staff_join(self, appointment: str, as_: str | None = None):
        return self.api.get(
            self.a.url(f"/appointments/{appointment}/video"), as_=as_ or self.a.emails["specialist"]
        )

    def patient_join(self, appointment: str, as_: str = ION):
        return self.api.get(f"/v1/me/appointments/{appointment}/video", as_=as_)


@pytest.fixture
def world(api: Api, daily: Daily) -> Iterator[World]:
    made = World(api, daily)
    try:
        yield made
    finally:
        made.conn.close()


def test_a_video_appointment_gets_a_room_tokens_and_its_minutes_metered(world: World) -> None:
    appointment = world.book()
    assert world.room(appointment) == {}, "no room before the start"
    early = world.staff_join(appointment)
    assert (early.status_code, error_code(early)) == (409, "video_room_not_ready")
    assert early.json()["error"]["details"] == {"status": "confirmed", "state": None}

    world.move(appointment, "inprogress")
    room = world.room(appointment)
    assert (room["state"], room["attempts"]) == ("pending", 0), (
        "the start did not call the provider"
    )
    assert world.daily.requests == []
    pending = world.patient_join(appointment)
    assert (pending.status_code, error_code(pending)) == (409, "video_room_not_ready")
    assert pending.json()["error"]["details"] == {"status": "inprogress", "state": "pending"}

    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"], room["last_error"]) == ("created", 1, None)
    assert set(world.daily.rooms) == {room["room_name"]}
    assert len(world.events("appointment.video_room_created")) == 1
    assert world.work() == 0, "nothing left to do"

    staff = world.staff_join(appointment)
    assert staff.status_code == 200, staff.text
    body = staff.json()
    assert (body["room_url"], body["is_owner"]) == (room["room_url"], True)
    assert world.daily.tokens[body["token"]]["is_owner"] is True
    assert world.daily.tokens[body["token"]]["room_name"] == room["room_name"]
    patient = world.patient_join(appointment)
    assert patient.status_code == 200, patient.text
    assert (patient.json()["room_url"], patient.json()["is_owner"]) == (room["room_url"], False)
    props = world.daily.tokens[patient.json()["token"]]
    assert (props["is_owner"], props["user_name"]) == (False, "Patient")
    assert "Ion" not in str(world.daily.tokens), "no patient name reaches the provider"

    world.backdate(appointment, 24.5)
    world.move(appointment, "done")
    room = world.room(appointment)
    assert (room["state"], room["minutes"], room["metered"]) == ("deleting", 25, 25)
    assert world.used_minutes() == 25, "metered in the transition's transaction"
    after = world.staff_join(appointment)
    assert (after.status_code, error_code(after)) == (409, "video_room_not_ready")
    assert world.work() == 1
    assert world.room(appointment)["state"] == "deleted"
    assert world.daily.rooms == {}
    deleted = world.events("appointment.video_room_deleted")
    assert [(e["appointment_id"], e["minutes"], e["metered_minutes"]) for e in deleted] == [
        (appointment, 25, 25)
    ]
    created = world.events("appointment.video_room_created")
    assert [(e["appointment_id"], e["provider"]) for e in created] == [(appointment, "daily")]
    assert world.work() == 0


def test_the_provider_down_then_back(world: World) -> None:
    appointment = world.book()
    world.daily.fail_with = 503
    world.move(appointment, "inprogress")
    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"], room["waiting"]) == ("pending", 1, True)
    assert "HTTP 503" in room["last_error"]
    assert world.work() == 0, "the retry waits for its time"

    world.daily.fail_with = None
    world.daily.stop()  # connection refused
    world.due_now(appointment)
    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"]) == ("pending", 2)
    assert "ConnectError" in room["last_error"]
    joined = world.staff_join(appointment)
    assert (joined.status_code, error_code(joined)) == (409, "video_room_not_ready")

    world.daily.start()
    world.due_now(appointment)
    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"], room["last_error"]) == ("created", 3, None)
    assert set(world.daily.rooms) == {room["room_name"]}

    # Deleting retries the same way; the appointment is done whatever the provider says.
    world.daily.fail_with = 500
    world.move(appointment, "done")
    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"]) == ("deleting", 1)
    world.daily.fail_with = None
    world.due_now(appointment)
    assert world.work() == 1
    assert world.room(appointment)["state"] == "deleted"
    assert world.daily.rooms == {}


def test_a_provider_refusal_fails_the_room_at_once(world: World) -> None:
    appointment = world.book()
    world.daily.fail_with = 400
    world.move(appointment, "inprogress")
    assert world.work() == 1
    room = world.room(appointment)
    assert (room["state"], room["attempts"]) == ("failed", 1)
    assert "HTTP 400" in room["last_error"]
    world.due_now(appointment)
    assert world.work() == 0, "a refusal is not retried"
    joined = world.staff_join(appointment)
    assert joined.json()["error"]["details"] == {"status": "inprogress", "state": "failed"}
    world.move(appointment, "done")
    assert world.room(appointment)["state"] == "failed"
    assert world.used_minutes() == 0, "no room, no minutes"


def test_an_appointment_that_ends_before_its_room_exists(world: World) -> None:
    untried = world.book()
    world.move(untried, "inprogress")
    world.move(untried, "done")
    assert world.room(untried)["state"] == "deleted", "never asked for: nothing to delete"
    assert world.work() == 0
    assert world.daily.requests == []

    tried = world.book(start=MONDAY_10)
    world.daily.fail_with = 503
    world.move(tried, "inprogress")
    assert world.work() == 1
    world.move(tried, "done")
    room = world.room(tried)
    assert (room["state"], room["minutes"]) == ("deleting", None), "an attempt may have reached it"
    world.daily.fail_with = None
    assert world.work() == 1
    assert world.room(tried)["state"] == "deleted"
    assert world.daily.rooms == {}
    assert world.events("appointment.video_room_deleted") == [], "no room was ever announced"
    assert world.used_minutes() == 0


def test_in_clinic_appointments_get_no_room(world: World) -> None:
    appointment = world.book(modality="in_clinic")
    world.move(appointment, "inprogress")
    assert world.room(appointment) == {}
    assert world.work() == 0
    joined = world.staff_join(appointment)
    assert (joined.status_code, error_code(joined)) == (409, "video_room_not_ready")
    assert joined.json()["error"]["details"] == {"status": "inprogress", "state": None}


def test_other_organizations_other_patients_and_roles_are_refused(world: World) -> None:
    appointment = world.book()
    world.move(appointment, "inprogress")
    world.work()
    b = clinic(world.api, "clinic-b")
    other_org = world.api.get(b.url(f"/appointments/{appointment}/video"), as_=b.owner)
    assert (other_org.status_code, error_code(other_org)) == (404, "appointment_not_found")
    across = world.api.get(world.a.url(f"/appointments/{appointment}/video"), as_=b.owner)
    assert across.status_code == 404, "not a member of clinic A"
    billing = world.staff_join(appointment, as_=world.a.emails["billing"])
    assert billing.status_code == 403
    stranger = world.patient_join(appointment, as_="eve@pop.test")
    assert (stranger.status_code, error_code(stranger)) == (404, "appointment_not_found")
    assert world.api.get(f"/v1/me/appointments/{appointment}/video").status_code == 401
    bad = world.api.get(world.a.url("/appointments/not-a-uuid/video"), as_=world.a.owner)
    assert bad.status_code in (400, 404)
    assert world.staff_join(appointment).status_code == 200
    # RLS: clinic B's members see no room of clinic A.
    seen = world.api.get(b.url("/appointments"), as_=b.owner).json()["items"]
    assert seen == []


def test_the_provider_key_is_never_in_an_answer(world: World) -> None:
    appointment = world.book()
    world.move(appointment, "inprogress")
    world.work()
    for response in (world.staff_join(appointment), world.patient_join(appointment)):
        assert response.status_code == 200
        assert API_KEY not in response.text
    assert "last_error" not in world.staff_join(appointment).text


def test_a_used_up_quota_refuses_the_room_and_an_overrun_is_metered_up_to_it(world: World) -> None:
    world.api.sql("SELECT billing.change_tier(%s, 'pro')", (world.a.id,))
    world.api.sql(
        "SELECT billing.grant_override(%s, NULL, 'video.minutes', NULL, 30, 'test quota')",
        (world.a.id,),
    )
    first = world.book()
    world.move(first, "inprogress")
    world.work()
    world.backdate(first, 39.5)
    world.move(first, "done")
    room = world.room(first)
    assert (room["minutes"], room["metered"]) == (40, 30), "what fits is metered, the rest reported"
    assert world.used_minutes() == 30
    assert world.events("appointment.video_room_deleted") == []
    world.work()
    assert [
        (e["minutes"], e["metered_minutes"]) for e in world.events("appointment.video_room_deleted")
    ] == [(40, 30)]

    second = world.book(start=MONDAY_10)
    world.move(second, "inprogress")
    room = world.room(second)
    assert room["state"] == "refused"
    assert room["last_error"].startswith("video.minutes:")
    assert world.work() == 0, "a refused room is never asked of the provider"
    joined = world.staff_join(second)
    assert joined.json()["error"]["details"] == {"status": "inprogress", "state": "refused"}
    world.move(second, "done")
    assert world.room(second)["state"] == "refused"
    assert world.used_minutes() == 30


def test_a_plan_without_video_consultations_refuses_the_room(world: World) -> None:
    world.api.sql("SELECT billing.change_tier(%s, 'free')", (world.a.id,))
    world.api.sql(
        "SELECT billing.grant_override(%s, NULL, 'patients.max', NULL, 1000, 'test')", (world.a.id,)
    )
    appointment = world.book()
    world.move(appointment, "inprogress")
    room = world.room(appointment)
    assert room["state"] == "refused"
    assert room["last_error"].startswith("video_consultations:")


def test_without_a_provider_the_room_fails_and_the_start_still_succeeds(world: World) -> None:
    world.api.sql("DELETE FROM integrations.platform_service_providers")
    appointment = world.book()
    world.move(appointment, "inprogress")
    room = world.room(appointment)
    assert (room["state"], room["last_error"][:17]) == ("failed", "no_video_provider")
    assert world.work() == 0


def test_the_worker_process_runs_the_rooms(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped consumer and its pump in the worker runtime (threads in this process, as
    `restartix worker` runs them): the transition's notification wakes the pump, which
    creates the room, and deletes it after the end."""
    import threading
    import time

    from workers import registry
    from workers.consumers import video_rooms
    from workers.runtime import Options, Runtime

    monkeypatch.setenv("SYSTEM_DATABASE_URL", world.api.db.system_url)
    monkeypatch.setattr(video_rooms.ROOMS, "_cipher", None)  # built from this test's settings
    consumer = registry.default_registry().consumers["video_rooms"]
    assert consumer.pump is not None
    runtime = Runtime(
        world.api.db.system_url,
        [consumer],
        [],
        Options(periodic=False, poll_interval=0.5, grace=2.0),
    )
    thread = threading.Thread(target=runtime.run, kwargs={"install_signals": False}, daemon=True)
    thread.start()

    def wait_for(appointment: str, state: str) -> dict:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            room = world.room(appointment)
            if room.get("state") == state:
                return room
            time.sleep(0.1)
        raise AssertionError(f"room still {world.room(appointment)} after 15 s, not {state}")

    try:
        appointment = world.book()
        world.move(appointment, "inprogress")
        room = wait_for(appointment, "created")
        assert set(world.daily.rooms) == {room["room_name"]}
        assert world.staff_join(appointment).status_code == 200
        world.move(appointment, "done")
        wait_for(appointment, "deleted")
        assert world.daily.rooms == {}
    finally:
        runtime.stop()
        thread.join(10)
    assert not thread.is_alive()


def test_a_provider_that_mints_no_token_is_503(world: World) -> None:
    appointment = world.book()
    world.move(appointment, "inprogress")
    assert world.work() == 1
    world.daily.fail_with = 500
    staff = world.staff_join(appointment)
    assert (staff.status_code, error_code(staff)) == (503, "video_provider_unavailable")
    world.daily.fail_with = None
    world.daily.stop()
    patient = world.patient_join(appointment)
    assert (patient.status_code, error_code(patient)) == (503, "video_provider_unavailable")
    world.daily.start()
    assert world.patient_join(appointment).status_code == 200


def test_an_account_the_client_cannot_use_is_refused_before_any_call() -> None:
    key = {"api_key": "k"}
    ok = video.account("daily", {"api_url": "https://api.daily.co/v1/"}, key)
    assert (ok.api_url, "k" in repr(ok)) == ("https://api.daily.co/v1", False)
    assert video.account("daily", None, key).api_url == video.DAILY_API_URL
    assert video.account("daily", {"api_url": "http://127.0.0.1:9/v1"}, key).api_url
    refusals = [
        ("zoom", None, key, "provider_unsupported"),
        ("daily", None, None, "provider_credentials_missing"),
        ("daily", None, {"other": "x"}, "provider_credentials_missing"),
        ("daily", {"api_url": "http://api.daily.co/v1"}, key, "provider_config_invalid"),
        ("daily", {"api_url": "ftp://127.0.0.1/v1"}, key, "provider_config_invalid"),
    ]
    for provider, config, credentials, code in refusals:
        with pytest.raises(video.ProviderError) as refused:
            video.account(provider, config, credentials)
        assert str(refused.value).startswith(code) and refused.value.permanent
