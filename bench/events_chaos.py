"""Event delivery under crashes: worker processes SIGKILLed at random moments while they hold a
lease, against a run without kills.

Run: .venv/bin/python bench/events_chaos.py [EVENTS] [KILLS]   (default 2,000 and 20; ~1 min)

Two worker processes run the code of `restartix worker` (workers.cli.main, default options:
lease 30 s, poll 2 s, batch 100, 20 per lane) with one consumer whose handler records its start
and end (unbuffered, so a SIGKILL loses nothing) around 10 ms of work. EVENTS events over 16
organizations are published in one transaction, in bursts of 5 per organization
(events.publish_many_for), while the workers idle, and timed from that commit until no
delivery is owed.

1. No kills: the drain time.
2. Kills: the same, while the driver, KILLS times, waits until two workers run, waits a
   random 0-300 ms more, picks one of them, waits until it holds a lease, notes the events it
   holds, SIGKILLs it and starts a replacement (which takes about a second to come up;
   meanwhile one worker runs).
Printed: events lost (owed at the end, or never handled: must be 0), events handled more than
once (started twice: the kill came during them; ended twice: the kill came between the
handler's return and its completion), dead letters and attempts past the first (must be 0:
nothing failed), redeliveries recorded, the drain time with kills against without (aim: within
2x of it plus one poll interval per kill) and, per kill, the time from the kill to the first
start elsewhere of an event the killed worker held (aim: under 2 s with the default lease).
Everything runs in a scratch database on the local server, with PostgreSQL on the same cores.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

CONSUMER = "chaos"
ORGS = 16
BURST = 5  # events of one organization published together
WORK_SECONDS = 0.01
POLL_SECONDS = 2.0  # the worker's default --poll
WORKERS = 2


# --- worker side ------------------------------------------------------------------------------


def worker_main(records: str, argv: list[str]) -> int:
    """`restartix worker`'s code with the chaos consumer."""
    from workers.cli import main
    from workers.registry import Consumer, Registry

    path = Path(records) / f"{os.getpid()}.log"

    def note(phase: str, event_id: uuid.UUID) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, f"{phase} {event_id} {time.time():.6f} {os.getpid()}\n".encode())
        finally:
            os.close(fd)

    def handle(event) -> None:
        note("start", event.id)
        time.sleep(WORK_SECONDS)
        note("end", event.id)

    registry = Registry()
    registry.add_consumer(Consumer(name=CONSUMER, handler=handle, types=("chaos.*",)))
    return main(argv, registry=registry)


class Worker:
    def __init__(self, system_url: str, records: Path, logs: Path) -> None:
        self.log = logs / f"worker-{time.monotonic_ns()}.log"
        env = {**os.environ, "SYSTEM_DATABASE_URL": system_url, "LOG_LEVEL": "INFO"}
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(records), "--no-periodic"],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    @property
    def ready(self) -> bool:
        return self.proc.poll() is None and '"worker ready"' in self.log.read_text()

    def wait_ready(self, timeout: float = 30) -> Worker:
        deadline = time.monotonic() + timeout
        while not self.ready:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()}")
            time.sleep(0.02)
        return self


def stop(workers: list[Worker]) -> None:
    for w in workers:
        if w.proc.poll() is None:
            w.proc.send_signal(signal.SIGTERM)
    for w in workers:
        w.proc.wait(30)


# --- driver -----------------------------------------------------------------------------------


def publish(conn: psycopg.Connection, run: int, events: int) -> tuple[list[uuid.UUID], float]:
    """Publish a run's events in one transaction; their ids and the commit time."""
    orgs = [uuid.uuid4() for _ in range(ORGS)]
    ids: list[uuid.UUID] = []
    # Each organization's events in bursts of BURST, the organizations taking turns.
    for start in range(0, events, BURST * ORGS):
        for k, org in enumerate(orgs):
            first = start + k * BURST
            payloads = [
                Jsonb({"run": run, "n": i}) for i in range(first, min(first + BURST, events))
            ]
            ids += conn.execute(
                "SELECT events.publish_many_for(%s, 'chaos.ping', %s)", (org, payloads)
            ).fetchone()[0]
    conn.commit()
    return ids, time.time()


def owed(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM events.deliveries AS d "
        "JOIN events.consumers AS c ON c.id = d.consumer_id WHERE c.name = %s",
        (CONSUMER,),
    ).fetchone()[0]


def held_by(conn: psycopg.Connection, pid: int) -> set[str]:
    rows = conn.execute(
        "SELECT d.event_id::text FROM events.deliveries AS d "
        "WHERE d.state = 'leased' AND d.leased_by LIKE %s",
        (f"%:{pid}/%",),
    ).fetchall()
    return {r[0] for r in rows}


def read_records(records: Path) -> list[tuple[str, str, float, int]]:
    rows = []
    for path in records.glob("*.log"):
        for line in path.read_text().splitlines():
            phase, event_id, at, pid = line.split()
            rows.append((phase, event_id, float(at), int(pid)))
    return sorted(rows, key=lambda r: r[2])


def run(db, run_no: int, events: int, kills: int, tmp: Path) -> dict:
    records = tmp / f"records-{run_no}"
    records.mkdir()
    workers = [Worker(db.system_url, records, tmp).wait_ready() for _ in range(WORKERS)]
    killed: list[tuple[int, float, set[str], int]] = []
    try:
        with psycopg.connect(db.system_url) as conn:
            ids, committed = publish(conn, run_no, events)
            conn.autocommit = True
            while len(killed) < kills and owed(conn):
                # Two workers run between kills: the next one waits for the replacement.
                live = [w for w in workers if w.ready]
                if len(live) < WORKERS:
                    time.sleep(0.01)
                    continue
                time.sleep(random.uniform(0, 0.3))
                victim = random.choice(live)
                deadline = time.monotonic() + 2
                held: set[str] = set()
                while time.monotonic() < deadline and not (held := held_by(conn, victim.proc.pid)):
                    time.sleep(0.005)
                if not held:
                    continue
                victim.proc.send_signal(signal.SIGKILL)
                victim.proc.wait(10)
                killed_at = time.time()
                workers.remove(victim)
                workers.append(Worker(db.system_url, records, tmp))
                killed.append((victim.proc.pid, killed_at, held, workers[-1].proc.pid))
            while owed(conn):
                time.sleep(0.02)
            drained = time.time() - committed
            history = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE h.redeliveries > 0), "
                "coalesce(sum(h.redeliveries), 0), count(*) FILTER (WHERE h.attempts > 1) "
                "FROM events.delivery_history AS h JOIN events.outbox AS o ON o.id = h.event_id "
                "WHERE (o.payload ->> 'run')::int = %s",
                (run_no,),
            ).fetchone()
            dead = conn.execute(
                "SELECT count(*) FROM events.deliveries WHERE state = 'dead'"
            ).fetchone()[0]
    finally:
        stop(workers)

    rows = read_records(records)
    starts, ends = defaultdict(list), defaultdict(int)
    for phase, event_id, at, pid in rows:
        if phase == "start":
            starts[event_id].append((at, pid))
        else:
            ends[event_id] += 1
    published = {str(i) for i in ids}
    latencies, by_survivor = [], 0
    for pid, at, held, replacement in killed:
        later = sorted((t, p) for e in held for (t, p) in starts[e] if p != pid and t > at)
        if not later:
            continue  # everything it held was done before the kill landed
        latencies.append(later[0][0] - at)
        by_survivor += later[0][1] != replacement
        if os.environ.get("CHAOS_DEBUG"):
            taker = "replacement" if later[0][1] == replacement else "survivor"
            print(
                f"    kill of {pid}: held {len(held)}; first redelivered start after "
                f"{later[0][0] - at:.3f} s, by the {taker}"
            )
    return {
        "events": events,
        "kills": len(killed),
        "lost": len(published - set(ends)),
        "started_twice": sum(1 for e in published if len(starts[e]) > 1),
        "ended_twice": sum(1 for e in published if ends[e] > 1),
        "drain": drained,
        "history": history,
        "dead": dead,
        "latencies": sorted(latencies),
        "by_survivor": by_survivor,
    }


def main() -> None:
    # Not at the top: a worker process (this file with --worker) starts faster without it.
    from _db import scratch_database

    events = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with (
        scratch_database() as db,
        psycopg.connect(db.owner_url, autocommit=True) as owner,
        tempfile.TemporaryDirectory() as tmp,
    ):
        owner.execute("INSERT INTO events.event_types VALUES ('chaos.ping', 1, 'Benchmark.')")
        print(
            f"{events:,} events over {ORGS} organizations, {WORKERS} worker processes, "
            f"{WORK_SECONDS * 1000:.0f} ms per event, default lease (30 s) and poll "
            f"({POLL_SECONDS:.0f} s), {os.cpu_count()} cores"
        )
        print("  load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        calm = run(db, 1, events, 0, Path(tmp))
        chaos = run(db, 2, events, kills, Path(tmp))
        for name, r in (("no kills", calm), (f"{chaos['kills']} kills", chaos)):
            completed, redelivered, redeliveries, retried = r["history"]
            print(
                f"  {name}: drained in {r['drain']:.2f} s; lost {r['lost']}, dead letters "
                f"{r['dead']}, attempts past the first {retried}; handled twice: started "
                f"{r['started_twice']}, ended {r['ended_twice']}; recorded: {completed:,} "
                f"completed, {redelivered} redelivered ({redeliveries} redeliveries)"
            )
        aim = 2 * calm["drain"] + chaos["kills"] * POLL_SECONDS
        print(
            f"  drain with kills / without: {chaos['drain'] / calm['drain']:.2f}x "
            f"(aim: at most {aim:.1f} s, got {chaos['drain']:.2f} s)"
        )
        lat = chaos["latencies"]
        if lat:
            print(
                f"  kill -> first start elsewhere of an event the killed worker held "
                f"({len(lat)} kills): p50 {statistics.median(lat) * 1000:.0f} ms, "
                f"max {lat[-1] * 1000:.0f} ms (aim: under 2 s; the lease is 30 s); taken by "
                f"the surviving worker {chaos['by_survivor']}, by the replacement "
                f"{len(lat) - chaos['by_survivor']}"
            )
        print("  load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        sys.exit(worker_main(sys.argv[2], sys.argv[3:]))
    main()
