"""Chaos, bounded: two worker processes SIGKILLed at random moments while they hold a lease
(each replaced at once). Nothing is lost, nothing that did not fail is counted as failing (one
attempt allowed: a false failure would be a dead letter), each organization's order holds,
and a killed worker's events go to another worker in seconds, not after the 30 s lease.
bench/events_chaos.py measures the same at a larger scale."""

from __future__ import annotations

import random
import signal
import time
import uuid
from collections import defaultdict

import psycopg
from psycopg.types.json import Jsonb

from tests.events.test_worker import Bus, wait_for

EVENTS_PER_ORG = 60
ORGS = 6
KILLS = 4
LEASE = 30  # the default lease: a reclaim must come well before it


def _held_by(bus: Bus, pid: int) -> set[str]:
    with psycopg.connect(bus.db.owner_url) as conn:
        rows = conn.execute(
            "SELECT event_id::text FROM events.deliveries WHERE state = 'leased' "
            "AND leased_by LIKE %s",
            (f"%:{pid}/%",),
        ).fetchall()
    return {r[0] for r in rows}


def test_killed_workers_lose_nothing_fail_nothing_and_are_taken_over_at_once(bus: Bus):
    rng = random.Random()  # noqa: S311 (moments to kill at, not secrets)
    env = {"RESTARTIX_TEST_MAX_ATTEMPTS": "1"}
    workers = [bus.start("--no-periodic", **env) for _ in range(2)]
    orgs = [uuid.uuid4() for _ in range(ORGS)]
    with psycopg.connect(bus.db.system_url) as conn:
        published = {
            str(event_id)
            for n in range(EVENTS_PER_ORG)
            for org in orgs
            for (event_id,) in [
                conn.execute(
                    "SELECT events.publish_for(%s, 'test.ping', %s)",
                    (org, Jsonb({"n": n, "sleep": 0.015})),
                ).fetchone()
            ]
        }

    kills: list[tuple[int, float, set[str]]] = []
    give_up = time.monotonic() + 20
    while len(kills) < KILLS and bus.deliveries() and time.monotonic() < give_up:
        time.sleep(rng.uniform(0, 0.3))
        victim = rng.choice(workers)
        deadline = time.monotonic() + 2
        while not (held := _held_by(bus, victim.pid)) and time.monotonic() < deadline:
            time.sleep(0.005)
        if not held:
            continue
        victim.send_signal(signal.SIGKILL)
        victim.wait(5)
        kills.append((victim.pid, time.time(), held))
        workers.remove(victim)
        workers.append(bus.start("--no-periodic", **env))
    wait_for(lambda: bus.deliveries() == [], 20, lambda: str(bus.deliveries()[:3]))

    assert len(kills) >= 2, "the drain outran the kills; the test needs more work per event"
    starts, ends = defaultdict(list), defaultdict(int)
    for r in bus.records():
        if r["phase"] == "start":
            starts[r["event_id"]].append(r)
        elif r["phase"] == "end":
            ends[r["event_id"]] += 1
    assert set(ends) == published, "every event was handled to its end"
    # No dead letters (the queue is empty) and no attempt charged: every record says attempt 1.
    with psycopg.connect(bus.db.owner_url) as conn:
        attempts, redeliveries, completed = conn.execute(
            "SELECT max(attempts), sum(redeliveries), count(*) FROM events.delivery_history"
        ).fetchone()
    assert (completed, attempts) == (len(published), 1)
    assert redeliveries >= 1, "the kills interrupted events, which were redelivered"
    assert all(r["attempt"] == 1 for rs in starts.values() for r in rs)

    for pid, at, held in kills:
        later = [r["at"] for e in held for r in starts[e] if r["pid"] != pid and r["at"] > at]
        if later:
            assert min(later) - at < 5, f"a killed worker's lanes waited {min(later) - at:.1f} s"

    by_org = defaultdict(list)
    for r in sorted((rs[0] for rs in starts.values()), key=lambda r: r["at"]):
        by_org[r["org"]].append(r["n"])
    assert by_org == {str(org): list(range(EVENTS_PER_ORG)) for org in orgs}, (
        "each organization's events were first handed out in order"
    )
