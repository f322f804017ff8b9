"""Chaos, bounded (under a minute): worker processes running the webhooks consumer and its
senders are SIGKILLed 20 times at random moments while 500 events flow. Afterwards every event
reached every matching subscription at least once (counted by event and `webhook-id` at a real
receiver that verifies each signature), none reached a subscription that does not match or
belongs to another organization, and nothing was lost."""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import psycopg

from tests.api_client import Api
from tests.api_world import clinic
from tests.events.test_worker import Bus, wait_for
from tests.webhooks.receiver import Receiver

EVENTS = 500  # 420 of clinic A, 80 of clinic B
EVENTS_B = 80
KILLS = 20
RATE = 30.0  # events per second while the workers are being killed

PUBLISH = (
    "SELECT events.publish_for(%s, 'patient.created', jsonb_build_object("
    "'patient_id', gen_random_uuid(), 'patient_profile_id', gen_random_uuid(),"
    " 'profile_shared', false))"
)


def _hook(api: Api, org, receiver: Receiver, path: str, types: list[str]) -> None:
    made = api.post(
        org.url("/webhooks"), as_=org.owner, json={"url": receiver.url(path), "event_types": types}
    )
    assert made.status_code == 201, made.text
    receiver.secrets.setdefault(path, []).append(made.json()["secret"])


def _undelivered(api: Api) -> int:
    return api.sql("SELECT count(*) FROM webhooks.webhook_messages WHERE state <> 'delivered'")[0][
        0
    ]


def test_killed_workers_lose_no_webhook_and_send_none_astray(
    api: Api, receiver: Receiver, tmp_path: Path
) -> None:
    rng = random.Random()  # noqa: S311 (moments to kill at, not secrets)
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    _hook(api, a, receiver, "/a", ["patient.*"])
    _hook(api, a, receiver, "/a2", ["membership.*"])
    _hook(api, b, receiver, "/b", ["*"])
    receiver.modes["/a"] = "slow"
    bus = Bus(api.db, tmp_path)
    args = ("--consumers", "webhooks", "--no-periodic")
    try:
        workers = [bus.start(*args, module="app.cli") for _ in range(2)]
        published: dict[str, set[str]] = {"a": set(), "b": set()}

        def publish() -> None:
            with psycopg.connect(api.db.system_url, autocommit=True) as conn:
                for n in range(EVENTS):
                    org, key = (
                        (b, "b") if n % 5 == 4 and len(published["b"]) < EVENTS_B else (a, "a")
                    )
                    (event_id,) = conn.execute(PUBLISH, (org.id,)).fetchone()
                    published[key].add(str(event_id))
                    time.sleep(1 / RATE)

        publisher = threading.Thread(target=publish)
        publisher.start()
        kills = 0
        give_up = time.monotonic() + 60
        while kills < KILLS and time.monotonic() < give_up:
            time.sleep(rng.uniform(0.1, 0.6))
            victim = rng.choice(workers)
            victim.send_signal(signal.SIGKILL)
            victim.wait(5)
            kills += 1
            workers.remove(victim)
            workers.append(bus.start(*args, module="app.cli"))
        publisher.join(60)
        assert not publisher.is_alive()
        wait_for(lambda: _undelivered(api) == 0, 60, lambda: f"{_undelivered(api)} undelivered")
    finally:
        bus.stop_all()

    assert kills == KILLS
    at_a = receiver.at("/a")
    assert {r.body["event_id"] for r in at_a} == published["a"], "every event of A reached /a"
    assert {r.body["event_id"] for r in receiver.at("/b")} == published["b"]
    assert receiver.at("/a2") == [], "no patient event reached a membership-only subscription"
    assert all(r.body["organization_id"] == a.id for r in at_a)
    assert all(r.verified_with for r in receiver.received), "every request was signed"
    # At least once: each webhook-id is one event; duplicates (a kill mid-request) share it.
    by_id: dict[str, set[str]] = {}
    for r in at_a:
        by_id.setdefault(r.webhook_id, set()).add(r.body["event_id"])
    assert len(by_id) == len(published["a"]) and all(len(v) == 1 for v in by_id.values())
