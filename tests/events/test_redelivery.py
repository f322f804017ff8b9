"""Leases tied to the worker's database session, with real worker processes: a killed worker's
event goes to another worker at once and is counted as a redelivery, not a failed attempt; a
hung worker (session alive) keeps its lease until it runs out; a live, slow worker keeps it
through heartbeats; a lost claim connection gives its batch back instead of timing out."""

from __future__ import annotations

import json
import signal
import time
import uuid

import psycopg

from tests.events.test_worker import Bus, wait_for

LEASE = 30  # the default lease (seconds): nothing below may wait for it


def _starts(bus: Bus, event_id: uuid.UUID) -> list[dict]:
    return [r for r in bus.records("start") if r["event_id"] == str(event_id)]


def _session_of(proc) -> int:
    ready = next(ln for ln in proc.log.read_text().splitlines() if '"worker ready"' in ln)
    return json.loads(ready)["session"]


def _listen_sessions(bus: Bus) -> list[int]:
    """Session keys held by the workers' LISTEN connections, as an operator finds them."""
    with psycopg.connect(bus.db.owner_url) as conn:
        rows = conn.execute(
            "SELECT l.objid::bigint FROM pg_locks AS l "
            "JOIN pg_stat_activity AS a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.classid = events.session_lock_space()::oid "
            "AND a.application_name = 'restartix-worker listen' AND a.datname = current_database()"
        ).fetchall()
    return [key for (key,) in rows]


def test_a_killed_workers_event_goes_to_another_worker_at_once_as_a_redelivery(bus: Bus):
    org = uuid.uuid4()
    first = bus.start("--no-periodic")
    blocked, after = bus.publish(org, block=True, n=1)[0], bus.publish(org, n=2)[0]
    wait_for(lambda: bus.records("blocking"), 10)
    second = bus.start("--no-periodic")
    first.send_signal(signal.SIGKILL)
    first.wait(5)
    killed_at = time.time()

    ends = wait_for(lambda: len(bus.records("end")) == 2 and bus.records("end"), LEASE / 3)
    starts = _starts(bus, blocked)
    assert [(r["attempt"], r["pid"]) for r in starts] == [(1, first.pid), (1, second.pid)], (
        "a redelivery, not a second attempt"
    )
    assert starts[1]["at"] - killed_at < 3, f"reclaimed well before the {LEASE} s lease"
    assert [r["event_id"] for r in ends] == [str(blocked), str(after)], "the org's order holds"
    assert bus.deliveries() == []
    assert "event redelivered: the worker that held it ended" in second.log.read_text()
    assert _history(bus, blocked) == [(1, 1, None)], "completed at attempt 1 after a redelivery"


def _history(bus: Bus, event_id: uuid.UUID) -> list[tuple]:
    with psycopg.connect(bus.db.owner_url) as conn:
        return conn.execute(
            "SELECT attempts, redeliveries, last_error FROM events.delivery_history "
            "WHERE event_id = %s",
            (event_id,),
        ).fetchall()


def test_a_hung_worker_keeps_its_lease_until_it_runs_out_and_that_is_a_failed_attempt(bus: Bus):
    org = uuid.uuid4()
    first = bus.start("--lease", "2", "--no-periodic")
    blocked = bus.publish(org, block=True, n=1)[0]
    wait_for(lambda: bus.records("blocking"), 10)
    first.send_signal(signal.SIGSTOP)  # the process hangs; its connections (and session) stay
    stopped_at = time.time()
    try:
        second = bus.start("--lease", "2", "--no-periodic")
        wait_for(lambda: len(_starts(bus, blocked)) == 2, 15)
        retry = _starts(bus, blocked)[1]
        assert (retry["attempt"], retry["pid"]) == (2, second.pid), "a timeout is a failed attempt"
        # Not before the lease ran out: at most a heartbeat (lease/3) before the stop renewed it.
        assert retry["at"] - stopped_at > 2 - 2 / 3 - 0.2
        wait_for(lambda: bus.deliveries() == [], 10)
        ((attempts, redeliveries, error),) = _history(bus, blocked)
        assert (attempts, redeliveries) == (2, 0)
        assert error.startswith("lease expired at ") and "hung or ran past its limit" in error
    finally:
        first.send_signal(signal.SIGCONT)


def test_a_slow_live_worker_keeps_its_lease_through_heartbeats(bus: Bus):
    first = bus.start("--lease", "1", "--no-periodic")
    slow = bus.publish(uuid.uuid4(), sleep=3, n=1)[0]
    wait_for(lambda: _starts(bus, slow), 10)
    bus.start("--lease", "1", "--no-periodic")
    wait_for(lambda: bus.records("end"), 10)
    assert [(r["attempt"], r["pid"]) for r in _starts(bus, slow)] == [(1, first.pid)]
    assert bus.deliveries() == []


def test_a_lost_claim_connection_gives_its_batch_back_without_charging_an_attempt(bus: Bus):
    worker = bus.start("--no-periodic")
    event = bus.publish(uuid.uuid4(), sleep=1.0, n=1)[0]
    wait_for(lambda: _starts(bus, event), 10)
    with psycopg.connect(bus.db.owner_url, autocommit=True) as conn:
        (cut,) = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'restartix-worker recorder#0' "
            "AND datname = current_database()"
        ).fetchone()
    assert cut == 1
    wait_for(lambda: len(_starts(bus, event)) == 2 and bus.deliveries() == [], LEASE / 3)
    assert [(r["attempt"], r["pid"]) for r in _starts(bus, event)] == [(1, worker.pid)] * 2
    assert "gave back the events a lost connection left leased" in worker.log.read_text()


def test_a_worker_whose_listen_connection_drops_takes_its_session_back(bus: Bus):
    worker = bus.start("--no-periodic")
    session = _session_of(worker)
    assert _listen_sessions(bus) == [session]
    with psycopg.connect(bus.db.owner_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'restartix-worker listen' AND datname = current_database()"
        )
    wait_for(lambda: "listener lost its connection" in worker.log.read_text(), 10)
    wait_for(lambda: _listen_sessions(bus) == [session], 10, lambda: str(_listen_sessions(bus)))
    assert "worker session changed" not in worker.log.read_text()
    # And it still works: an event published now is handled by it.
    event = bus.publish(uuid.uuid4(), n=1)[0]
    wait_for(lambda: bus.records("end"), 10)
    assert [(r["attempt"], r["pid"]) for r in _starts(bus, event)] == [(1, worker.pid)]
