"""Webhook delivery against a real receiver on loopback, with the sender run in this process on
a system-pool connection whose clock is frozen (util.now() reads tests.frozen_now): signatures
checked by the `standardwebhooks` library, the egress filter, retries, 410, Retry-After,
rotation (two signatures), timeouts, redirects, capped bodies, and addresses refused at send
time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from app import classification
from app.crypto import build_field_cipher
from app.domains.events.payload import Payload
from tests.api_client import Api
from tests.api_world import clinic
from tests.test_cli import assert_one_line_failure, run_cli
from tests.webhooks.conftest import PORT
from tests.webhooks.receiver import Receiver
from workers.consumers.webhooks import Sender


class World:
    def __init__(self, api: Api, receiver: Receiver) -> None:
        self.api = api
        self.receiver = receiver
        self.conn = psycopg.connect(api.db.system_url, autocommit=True)
        url = api.db.system_url
        self.sender = Sender(build_field_cipher(lambda: psycopg.connect(url)), total=1.0)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.freeze(self.now)

    def freeze(self, at: datetime) -> None:
        self.now = at
        self.conn.execute("SELECT set_config('tests.frozen_now', %s, false)", (at.isoformat(),))

    def advance(self, delta: timedelta) -> None:
        self.freeze(self.now + delta)

    def fan_out(self) -> int:
        # What the `webhooks` consumer does for each event, for every event published so far.
        rows = self.conn.execute("SELECT sum(webhooks.fan_out(id)) FROM events.outbox").fetchone()
        return int(rows[0] or 0)

    def send(self) -> int:
        return self.sender.round(self.conn, "test-sender", None)

    def message(self, sub: str) -> dict:
        row = self.api.sql(
            "SELECT state, attempts, next_attempt_at, last_status FROM webhooks.webhook_messages"
            " WHERE subscription_id = %s ORDER BY created_at DESC LIMIT 1",
            (sub,),
        )[0]
        return dict(zip(("state", "attempts", "next_attempt_at", "last_status"), row, strict=True))


@pytest.fixture
def world(api: Api, receiver: Receiver) -> Iterator[World]:
    made = World(api, receiver)
    try:
        yield made
    finally:
        made.conn.close()


def _hook(world: World, org, path: str, types: list[str]) -> dict:
    made = world.api.post(
        org.url("/webhooks"),
        as_=org.owner,
        json={"url": world.receiver.url(path), "event_types": types},
    )
    assert made.status_code == 201, made.text
    hook = made.json()
    world.receiver.secrets.setdefault(path, []).append(hook["secret"])
    return hook


def _patient(world: World, org) -> dict:
    made = world.api.post(
        org.url("/patients"), as_=org.owner, json={"first_name": "Ana", "last_name": "Pop"}
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_a_matching_event_is_delivered_once_signed_and_filtered(world: World) -> None:
    a, b = clinic(world.api, "clinic-a"), clinic(world.api, "clinic-b")
    hook = _hook(world, a, "/a", ["patient.*"])
    _hook(world, a, "/a2", ["membership.*"])  # matches no patient event
    _hook(world, b, "/b", ["*"])  # another organization
    patient = _patient(world, a)
    assert world.fan_out() >= 1
    assert world.send() >= 1
    got = world.receiver.at("/a")
    assert len(got) == 1
    delivery = got[0]
    assert delivery.verified_with == world.receiver.secrets["/a"], "signature verified"
    assert delivery.webhook_id.startswith("msg_")
    assert delivery.body["type"] == "patient.created"
    assert delivery.body["organization_id"] == a.id
    assert delivery.body["data"] == {
        "patient_id": patient["id"],
        "patient_profile_id": patient["patient_profile_id"],
        "profile_shared": False,
    }
    assert world.receiver.at("/a2") == []
    assert all(r.body["organization_id"] == b.id for r in world.receiver.at("/b"))
    # Delivered: sending again sends nothing more.
    world.send()
    assert len(world.receiver.at("/a")) == 1
    log = world.api.get(a.url(f"/webhooks/{hook['id']}/attempts"), as_=a.owner)
    assert log.status_code == 200
    (attempt,) = log.json()["items"]
    assert (attempt["response_status"], attempt["error_class"], attempt["attempt"]) == (
        204,
        None,
        1,
    )
    assert "whsec_" not in str(attempt["request_headers"])


def test_a_payload_field_whose_column_may_not_leave_never_does(world: World) -> None:
    class Leaky(Payload):
        """Test only: a payload carrying a profile's name."""

        TYPE = "test.leaky"
        VERSION = 1
        CARRIES = {  # noqa: RUF012
            "patient_id": "people.patients.id",
            "first_name": "people.patient_profiles.first_name",
        }
        patient_id: uuid.UUID
        first_name: str

    registry = classification.load_registry()
    payload = {"patient_id": str(uuid.uuid4()), "first_name": "Ana", "undeclared": 1}
    kept = classification.filter_payload_for_egress(
        registry, Leaky.CARRIES, payload, "webhook_egress"
    )
    assert kept == {"patient_id": payload["patient_id"]}

    # End to end: a type this code declares nothing for is delivered with empty data.
    a = clinic(world.api, "clinic-a")
    _hook(world, a, "/a", ["test.*"])
    world.api.sql(
        "INSERT INTO events.event_types (type, version, description) VALUES ('test.leaky', 1, 'x')"
    )
    world.api.sql(
        "SELECT events.publish_for(%s, 'test.leaky', jsonb_build_object('first_name', 'Ana'))",
        (a.id,),
    )
    world.fan_out()
    world.send()
    (got,) = world.receiver.at("/a")
    assert got.body["type"] == "test.leaky" and got.body["data"] == {}
    assert "Ana" not in str(got.body)


def test_failures_retry_on_the_schedule_and_410_disables(world: World) -> None:
    a = clinic(world.api, "clinic-a")
    hook = _hook(world, a, "/a", ["patient.*"])
    world.receiver.modes["/a"] = "fail"
    _patient(world, a)
    world.fan_out()
    world.send()
    first = world.message(hook["id"])
    assert (first["state"], first["attempts"], first["last_status"]) == ("pending", 1, 500)
    wait = first["next_attempt_at"] - world.now
    assert timedelta(seconds=4.5) <= wait <= timedelta(seconds=5.5)
    assert world.send() == 0, "not due yet"
    world.advance(timedelta(seconds=6))
    world.receiver.modes["/a"] = "busy"  # 503 with Retry-After: 7200
    assert world.send() == 1
    second = world.message(hook["id"])
    assert second["next_attempt_at"] - world.now == timedelta(hours=2)
    world.advance(timedelta(hours=2, seconds=1))
    world.receiver.modes["/a"] = "ok"
    world.send()
    assert world.message(hook["id"])["state"] == "delivered"
    ids = world.receiver.counts("/a")
    assert list(ids.values()) == [3], "one webhook-id across the three attempts"

    world.receiver.modes["/a"] = "gone"
    _patient(world, a)
    world.fan_out()
    world.send()
    assert world.message(hook["id"])["state"] == "dead"
    got = world.api.get(a.url(f"/webhooks/{hook['id']}"), as_=a.owner).json()
    assert (got["status"], got["disabled_reason"]) == ("disabled", "gone")
    # Disabled: nothing more goes out to it.
    _patient(world, a)
    assert world.fan_out() == 0


def test_rotation_sends_both_signatures_for_a_day(world: World) -> None:
    a = clinic(world.api, "clinic-a")
    hook = _hook(world, a, "/a", ["patient.*"])
    old = hook["secret"]
    new = world.api.post(a.url(f"/webhooks/{hook['id']}/rotate-secret"), as_=a.owner).json()
    world.receiver.secrets["/a"] = [old, new["secret"]]
    _patient(world, a)
    world.fan_out()
    world.send()
    (got,) = world.receiver.at("/a")
    assert sorted(got.verified_with) == sorted([old, new["secret"]])
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    world.freeze(datetime.now(UTC) + timedelta(hours=24, minutes=1))
    _patient(world, a)
    world.fan_out()
    world.send()
    later = world.receiver.at("/a")[-1]
    assert later.verified_with == [new["secret"]]


def test_test_event_replay_timeouts_redirects_and_capped_bodies(world: World) -> None:
    a = clinic(world.api, "clinic-a")
    hook = _hook(world, a, "/a", ["membership.*"])
    sent = world.api.post(a.url(f"/webhooks/{hook['id']}/test"), as_=a.owner)
    assert sent.status_code == 202
    world.receiver.modes["/a"] = "hang"  # sleeps past the 1 s budget of this sender
    world.fan_out()
    world.send()
    attempts = world.api.get(a.url(f"/webhooks/{hook['id']}/attempts"), as_=a.owner).json()
    assert [x["error_class"] for x in attempts["items"]] == ["timeout"]
    world.receiver.modes["/a"] = "redirect"
    world.advance(timedelta(seconds=6))
    world.send()
    assert world.message(hook["id"])["last_status"] == 302, "redirects are not followed"
    world.receiver.modes["/a"] = "big"
    world.advance(timedelta(minutes=6))
    world.send()
    log = world.api.get(
        a.url(f"/webhooks/{hook['id']}/attempts"), as_=a.owner, params={"outcome": "success"}
    ).json()["items"]
    assert len(log) == 1 and len(log[0]["response_body"]) == 4096
    message_id = log[0]["message_id"]
    assert world.receiver.at("/a")[0].body["type"] == "webhook.test"
    replay = world.api.post(
        a.url(f"/webhooks/{hook['id']}/messages/{message_id}/replay"), as_=a.owner
    )
    assert replay.status_code == 202
    world.send()
    assert set(world.receiver.counts("/a")) == {f"msg_{message_id}"}, "same webhook-id"
    assert world.receiver.counts("/a")[f"msg_{message_id}"] == 4


def test_addresses_are_checked_at_send_time(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = clinic(world.api, "clinic-a")
    hook = _hook(world, a, "/a", ["patient.*"])
    monkeypatch.delenv("RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS")
    _patient(world, a)
    world.fan_out()
    world.send()
    assert world.receiver.at("/a") == []
    (attempt,) = world.api.get(a.url(f"/webhooks/{hook['id']}/attempts"), as_=a.owner).json()[
        "items"
    ]
    assert attempt["error_class"] == "refused_address"
    # A name is resolved once and the checked address is the one connected to.
    monkeypatch.setenv("RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1/32")
    changed = world.api.patch(
        a.url(f"/webhooks/{hook['id']}"),
        as_=a.owner,
        json={"url": world.receiver.url("/a", "localhost")},
    )
    assert changed.status_code == 200, changed.text
    _patient(world, a)
    world.fan_out()
    world.send()
    got = world.receiver.at("/a")
    assert len(got) == 1 and got[0].headers["host"] == f"localhost:{PORT}"


def test_a_dead_message_comes_back_with_the_cli_replay(world: World) -> None:
    a = clinic(world.api, "clinic-a")
    hook = _hook(world, a, "/a", ["patient.*"])
    world.receiver.modes["/a"] = "fail"
    _patient(world, a)
    world.fan_out()
    for _ in range(8):
        world.send()
        world.advance(timedelta(hours=11))
    assert world.message(hook["id"])["state"] == "dead"
    assert len(world.receiver.at("/a")) == 8
    world.receiver.modes["/a"] = "ok"
    bad = run_cli("webhooks", "replay", "--org", "clinic-a", "--since", "yesterday")
    assert bad.returncode == 2 and "not an ISO 8601 time: 'yesterday'" in bad.stderr
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    env = {"SYSTEM_DATABASE_URL": world.api.db.system_url}
    done = run_cli("webhooks", "replay", "--org", "clinic-a", "--since", since, **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 failed webhook message(s) of clinic-a owed again"
    world.send()
    assert world.message(hook["id"])["state"] == "delivered"
    assert len(set(world.receiver.counts("/a"))) == 1, "the replay keeps the webhook-id"
    unknown = run_cli("webhooks", "replay", "--org", "nowhere", "--since", since, **env)
    assert_one_line_failure(unknown, "no organization 'nowhere'")
