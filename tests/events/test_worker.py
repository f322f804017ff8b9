"""Worker processes against real PostgreSQL: retries, dead letters, ordering, replay, shutdown,
periodic tasks, and the built-in log sink through `restartix worker`. Crashes, hangs and
redelivery are in tests/events/test_redelivery.py and tests/events/test_chaos.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from app.db.paths import ROOT
from tests.databases import ScratchDatabase
from tests.test_cli import assert_one_line_failure, run_cli


class Bus:
    """One test's event bus: its database, worker processes and what their handlers recorded."""

    def __init__(self, db: ScratchDatabase, tmp: Path) -> None:
        self.db = db
        self.tmp = tmp
        self.records_dir = tmp / "records"
        self.records_dir.mkdir()
        self.procs: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "SYSTEM_DATABASE_URL": self.db.system_url,
            "RESTARTIX_TEST_RECORDS": str(self.records_dir),
            "LOG_LEVEL": "INFO",
            **extra,
        }

    def start(
        self, *args: str, module: str = "tests.worker_harness", **env: str
    ) -> subprocess.Popen:
        """A worker process, returned once it has said it is ready."""
        log = self.tmp / f"worker-{len(self.procs)}.log"
        command = [sys.executable, "-m", module]
        if module == "app.cli":
            command.append("worker")
        if "--consumers" not in args:
            args = ("--consumers", "recorder", *args)
        proc = subprocess.Popen(
            [*command, "--poll", "0.2", *args],
            cwd=ROOT,
            env=self.env(**env),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.procs.append(proc)
        wait_for(lambda: '"worker ready"' in log.read_text(), 15, lambda: log.read_text())
        return proc

    def publish(self, org: uuid.UUID | None, count: int = 1, **payload) -> list[uuid.UUID]:
        with psycopg.connect(self.db.system_url) as conn:
            return [
                conn.execute(
                    "SELECT events.publish_for(%s, 'test.ping', %s)",
                    (org, Jsonb({**payload, "n": payload.get("n", i)})),
                ).fetchone()[0]
                for i in range(count)
            ]

    def records(self, phase: str | None = None, consumer: str = "recorder") -> list[dict]:
        rows = []
        for path in self.records_dir.glob("*.jsonl"):
            rows += [json.loads(line) for line in path.read_text().splitlines() if line]
        rows = [
            r for r in rows if r["consumer"] == consumer and (phase is None or r["phase"] == phase)
        ]
        return sorted(rows, key=lambda r: r["at"])

    def deliveries(self, consumer: str = "recorder") -> list[dict]:
        with psycopg.connect(self.db.owner_url) as conn:
            conn.row_factory = psycopg.rows.dict_row
            return conn.execute(
                "SELECT d.* FROM events.deliveries AS d JOIN events.consumers AS c "
                "ON c.id = d.consumer_id WHERE c.name = %s ORDER BY d.position",
                (consumer,),
            ).fetchall()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def wait_for(
    predicate: Callable[[], object], timeout: float, explain: Callable[[], str] | None = None
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s" + (f":\n{explain()}" if explain else ""))


@pytest.fixture
def bus(fresh_database: ScratchDatabase, tmp_path: Path):
    with psycopg.connect(fresh_database.owner_url) as conn:
        conn.execute(
            "INSERT INTO events.event_types (type, version, description) "
            "VALUES ('test.ping', 1, 'A test event.')"
        )
    bus = Bus(fresh_database, tmp_path)
    try:
        yield bus
    finally:
        bus.stop_all()


def test_failures_back_off_then_dead_letter_without_holding_up_the_org(bus: Bus):
    org, other = uuid.uuid4(), uuid.uuid4()
    bus.start("--no-periodic", RESTARTIX_TEST_MAX_ATTEMPTS="3", RESTARTIX_TEST_BACKOFF="0.4")
    poison = bus.publish(org, fail=True, n=1)[0]
    later = bus.publish(org, n=2)[0]
    elsewhere = bus.publish(other, n=3)[0]

    wait_for(lambda: any(d["state"] == "dead" for d in bus.deliveries()), 15)
    wait_for(lambda: len(bus.records("end")) == 2, 10)
    tries = [r for r in bus.records("start") if r["event_id"] == str(poison)]
    assert [r["attempt"] for r in tries] == [1, 2, 3]
    # Jittered exponential backoff: at least half of 0.4s, then of 0.8s.
    assert tries[1]["at"] - tries[0]["at"] >= 0.2
    assert tries[2]["at"] - tries[1]["at"] >= 0.4

    (dead,) = bus.deliveries()
    assert dead["event_id"] == poison
    assert (dead["state"], dead["attempts"]) == ("dead", 3)
    assert dead["last_error"].startswith("RuntimeError: refused event 1")
    assert "ana@example.com" not in dead["last_error"], "errors are redacted before storage"

    ends = {r["event_id"]: r["at"] for r in bus.records("end")}
    assert ends[str(later)] > tries[2]["at"], "the org's next event waited for the dead letter"
    assert ends[str(elsewhere)] < tries[1]["at"], "another org was not held up"


def test_two_workers_keep_each_organizations_order(bus: Bus):
    orgs = [uuid.uuid4() for _ in range(3)]
    workers = [bus.start("--no-periodic", "--per-lane", "3", "--batch", "4") for _ in range(2)]
    with psycopg.connect(bus.db.system_url) as conn:
        for n in range(40):
            for org in orgs:
                conn.execute(
                    "SELECT events.publish_for(%s, 'test.ping', %s)",
                    (org, Jsonb({"n": n, "sleep": 0.005})),
                )
            if n % 5 == 4:
                conn.commit()
    wait_for(lambda: len(bus.records("end")) == 120, 60, lambda: str(len(bus.records("end"))))

    by_org = defaultdict(list)
    for record in bus.records():
        by_org[record["org"]].append(record)
    for org in orgs:
        seen = by_org[str(org)]
        assert [r["n"] for r in seen if r["phase"] == "start"] == list(range(40))
        # Strictly one at a time within an org: every start follows the previous end.
        phases = [r["phase"] for r in seen]
        assert phases == ["start", "end"] * 40
    assert {r["pid"] for r in bus.records("end")} == {w.pid for w in workers}
    assert all(r["attempt"] == 1 for r in bus.records("start"))
    assert bus.deliveries() == []


def test_every_consumer_gets_every_event_and_replay_delivers_again(bus: Bus):
    before = datetime.now(UTC) - timedelta(seconds=1)
    bus.start("--no-periodic", "--consumers", "recorder,recorder_b")
    published = {str(e) for e in bus.publish(uuid.uuid4(), 10) + bus.publish(None, 5)}
    for consumer in ("recorder", "recorder_b"):
        wait_for(lambda c=consumer: len(bus.records("end", c)) == 15, 15)
        assert {r["event_id"] for r in bus.records("end", consumer)} == published

    after = datetime.now(UTC) + timedelta(seconds=1)
    replay = run_cli(
        "events",
        "replay",
        "recorder",
        "--from",
        before.isoformat(),
        "--to",
        after.isoformat(),
        SYSTEM_DATABASE_URL=bus.db.system_url,
    )
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.strip() == "15 event(s) owed again to recorder"
    wait_for(lambda: len(bus.records("end")) == 30, 15)
    again = bus.records("end")[15:]
    assert {r["event_id"] for r in again} == published
    assert all(r["attempt"] == 1 for r in again)
    assert len(bus.records("end", "recorder_b")) == 15, "a replay is for one consumer only"


def test_sigterm_finishes_the_event_in_hand_and_releases_the_rest(bus: Bus):
    worker = bus.start("--no-periodic")
    org = uuid.uuid4()
    bus.publish(org, 4, sleep=1.0)
    wait_for(lambda: bus.records("start"), 10)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(10) == 0
    assert len(bus.records("end")) == 1, "the event in hand was finished"
    left = bus.deliveries()
    assert len(left) == 3
    assert all((d["state"], d["attempts"], d["lease_id"]) == ("pending", 0, None) for d in left), (
        left
    )
    assert '"worker stopped"' in worker.log.read_text()


def test_sigterm_releases_a_handler_stuck_past_the_grace_period(bus: Bus):
    worker = bus.start("--no-periodic", "--grace", "1")
    bus.publish(uuid.uuid4(), block=True)
    wait_for(lambda: bus.records("blocking"), 10)
    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(10) == 0
    assert time.monotonic() - started < 5
    (left,) = bus.deliveries()
    assert (left["state"], left["attempts"], left["lease_id"]) == ("pending", 0, None)
    assert "released the leases of handlers still running" in worker.log.read_text()


def test_a_periodic_task_runs_in_one_worker_at_a_time(bus: Bus):
    lock_key = "restartix.periodic:roll_partitions"
    with psycopg.connect(bus.db.owner_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(hashtext(%s))", (lock_key,))
        bus.start("--periodic-interval", "0.3")
        time.sleep(1.0)
        assert _task_rows(bus) == [], "another holder of the lock means this worker skips it"
        holder.execute("SELECT pg_advisory_unlock(hashtext(%s))", (lock_key,))
    row = wait_for(lambda: _task_rows(bus), 10)[0]
    assert row[:2] == ("roll_partitions", "ok")
    with psycopg.connect(bus.db.owner_url) as conn:
        months = conn.execute(
            "SELECT count(*) FILTER (WHERE i.inhparent = 'audit.audit_log'::regclass), "
            "count(*) FILTER (WHERE i.inhparent = 'events.outbox'::regclass) FROM pg_inherits AS i"
        ).fetchone()
    assert months == (4, 4), "this month and three ahead, for the audit log and the outbox"


def _task_rows(bus: Bus) -> list[tuple]:
    with psycopg.connect(bus.db.owner_url) as conn:
        return conn.execute(
            "SELECT task, last_status, last_detail FROM events.periodic_tasks"
        ).fetchall()


def test_restartix_worker_runs_the_log_sink_with_redaction(bus: Bus):
    worker = bus.start("--consumers", "log_sink", "--no-periodic", module="app.cli")
    with psycopg.connect(bus.db.owner_url) as conn:
        org = conn.execute(
            "SELECT tests.create_org('sink-clinic', 'Clinic of ana@example.com')"
        ).fetchone()[0]
    line = wait_for(
        lambda: next(
            (ln for ln in worker.log.read_text().splitlines() if "organization.created" in ln), None
        ),
        10,
    )
    entry = json.loads(line)
    assert entry["logger"] == "restartix.events"
    assert entry["organization_id"] == str(org)
    assert entry["payload"]["slug"] == "sink-clinic"
    assert entry["payload"]["name"] == "Clinic of [REDACTED:email]"
    assert "ana@example.com" not in worker.log.read_text()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(10) == 0
    assert bus.deliveries("log_sink") == []


def test_unknown_consumer_and_unreachable_database_are_one_line(bus: Bus):
    unknown = run_cli("worker", "--consumers", "nope", SYSTEM_DATABASE_URL=bus.db.system_url)
    assert_one_line_failure(unknown, "unknown consumer(s): nope", "log_sink")
    down = run_cli("worker", SYSTEM_DATABASE_URL="postgresql://restartix_system@127.0.0.1:1/x")
    assert_one_line_failure(down, "cannot reach PostgreSQL at 127.0.0.1:1/x")
    bad_replay = run_cli(
        "events",
        "replay",
        "nope",
        "--from",
        "2030-01-01T00:00Z",
        "--to",
        "2030-02-01T00:00Z",
        SYSTEM_DATABASE_URL=bus.db.system_url,
    )
    assert_one_line_failure(bad_replay, "consumer_unknown", "no consumer named nope")


def test_events_roll_partitions_and_status_commands(bus: Bus):
    first = run_cli(
        "events", "roll-partitions", "--ahead", "4", SYSTEM_DATABASE_URL=bus.db.system_url
    )
    assert first.returncode == 0, first.stderr
    created = first.stdout.split()
    assert created.count("created") == 3, "migrate made this month and the next"
    again = run_cli(
        "events", "roll-partitions", "--ahead", "4", SYSTEM_DATABASE_URL=bus.db.system_url
    )
    assert (again.returncode, again.stdout) == (0, "")

    with psycopg.connect(bus.db.system_url, autocommit=True) as conn:
        conn.execute("SELECT events.register_consumer('webhooks')")
    bus.publish(uuid.uuid4(), 3)
    status = run_cli("events", "status", SYSTEM_DATABASE_URL=bus.db.system_url)
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[1].split("\t")[:5] == ["webhooks", "True", "3", "0", "0"]
