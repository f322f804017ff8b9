"""Outbox throughput and latency: publish, drain with 1/2/4 worker processes, steady-rate latency.

Run: .venv/bin/python bench/outbox.py [N]   (N events, default 100,000; a few minutes on 2 cores)

Five consumers are registered, one subscribed to the benchmark's type (`bench.*`) and four to
other domains, so each publish also matches patterns, writes one delivery and a NOTIFY.

0. Publish speed, one method against another in the same run, in interleaved rounds of 5,000
   events (1,000 per transaction, 64 organizations) so that load on the machine hits all alike:
   - before: events.publish_for as it was, matching every consumer's patterns per event
     (reproduced here as bench_baseline.publish_for);
   - events.publish_for now (the consumers of a type are read from events.routes);
   - events.publish_many_for with each organization's share of a transaction in one call
     (~16 events a call), and with 1,000 events of one organization per call.
   The events are then deleted.
1. Publish N events from one process with events.publish_for, 1,000 per transaction, spread
   over 64 organizations.
2. Drain: for 1, 2 and 4 worker processes (the real runtime, one claim loop each, a handler
   that does nothing), the backlog is made owed again with events.replay while the workers
   idle, and timed from that commit until the last delivery is done.
3. Latency: one idle worker; events published one per transaction at a steady 200/s for 15 s;
   latency is handler start minus the moment the publishing commit returned.
Everything runs in a scratch database on the local server, with PostgreSQL on the same cores.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from _db import scratch_database
from psycopg.types.json import Jsonb

CONSUMER = "bench"
OTHER_CONSUMERS = {
    "webhooks_bench": ["membership.*", "domain.*"],
    "automation_bench": ["consent.*", "invitation.*"],
    "segments_bench": ["subscription.*"],
    "files_bench": ["file.*", "organization.updated"],
}
ORGS = [uuid.uuid4() for _ in range(64)]
STEADY_RATE = 200
STEADY_SECONDS = 15
ROUND = 5_000  # events per method per round of the publish comparison
ROUNDS = 4

# events.publish_for before events.routes (the catalog check and every consumer's patterns
# matched against the type, for each event), kept only to measure against.
BASELINE = Path(__file__).with_name("outbox_before.sql")


# --- worker side ------------------------------------------------------------------------------


def worker_main(record_path: str | None) -> None:
    """A worker process running the real runtime with the bench consumer."""
    from app.logs import configure_logging
    from workers.registry import Consumer
    from workers.runtime import Options, Runtime

    configure_logging("INFO")
    started: dict[str, float] = {}

    def handle(event) -> None:
        if record_path:
            started[str(event.id)] = time.time()

    consumer = Consumer(name=CONSUMER, handler=handle, types=("bench.*",))
    options = Options(batch=100, per_lane=20, poll_interval=1.0, periodic=False)
    Runtime(os.environ["SYSTEM_DATABASE_URL"], [consumer], [], options).run()
    if record_path:
        Path(record_path).write_text(json.dumps(started))


def start_workers(system_url: str, count: int, record: str | None = None) -> list:
    env = {**os.environ, "SYSTEM_DATABASE_URL": system_url}
    procs = []
    for _ in range(count):
        args = [sys.executable, __file__, "--worker"] + ([record] if record else [])
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            if '"worker ready"' in line:
                break
        procs.append(proc)
    return procs


def stop_workers(procs: list) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(30)


# --- driver -----------------------------------------------------------------------------------


def _payload(i: int) -> Jsonb:
    return Jsonb({"n": i, "ref": f"order-{i:08d}", "qty": i % 7})


def publish(conn: psycopg.Connection, n: int, function: str = "events.publish_for") -> float:
    """One call per event, 1,000 per transaction; events/s."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        for start in range(0, n, 1000):
            cur.executemany(
                f"SELECT {function}(%s, 'bench.ping', %s)",
                [(random.choice(ORGS), _payload(i)) for i in range(start, min(n, start + 1000))],
            )
            conn.commit()
    return n / (time.perf_counter() - started)


def publish_many(conn: psycopg.Connection, n: int, one_org: bool) -> float:
    """events.publish_many_for, 1,000 events per transaction: each organization's share of it
    in one call, or (one_org) all 1,000 of one organization in one call; events/s."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        for start in range(0, n, 1000):
            shares: dict[uuid.UUID, list[Jsonb]] = {}
            org = random.choice(ORGS)
            for i in range(start, min(n, start + 1000)):
                shares.setdefault(org if one_org else random.choice(ORGS), []).append(_payload(i))
            cur.executemany(
                "SELECT events.publish_many_for(%s, 'bench.ping', %s)", list(shares.items())
            )
            conn.commit()
    return n / (time.perf_counter() - started)


def compare_publishing(owner: psycopg.Connection, conn: psycopg.Connection) -> dict[str, float]:
    """Events/s of each way to publish, measured in interleaved rounds; the events are deleted."""
    methods = {
        "publish_for before (patterns matched per event)": lambda n: publish(
            conn, n, "bench_baseline.publish_for"
        ),
        "publish_for now (routes read per type)": lambda n: publish(conn, n),
        "publish_many_for, ~16 per call (a transaction's share per org)": lambda n: publish_many(
            conn, n, one_org=False
        ),
        "publish_many_for, 1,000 per call (one org)": lambda n: publish_many(conn, n, True),
    }
    spent = dict.fromkeys(methods, 0.0)
    for _ in range(ROUNDS):
        for name, run in methods.items():
            spent[name] += ROUND / run(ROUND)
    owner.execute("DELETE FROM events.deliveries")
    owner.execute("TRUNCATE events.outbox")
    owner.execute("VACUUM (ANALYZE) events.deliveries")
    return {name: ROUND * ROUNDS / seconds for name, seconds in spent.items()}


def owed(conn: psycopg.Connection) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM events.deliveries AS d "
        "JOIN events.consumers AS c ON c.id = d.consumer_id WHERE c.name = %s)",
        (CONSUMER,),
    ).fetchone()[0]


def drain(db, owner: psycopg.Connection, workers: int, since, until, n: int) -> float:
    owner.execute("DELETE FROM events.deliveries")
    owner.execute("VACUUM (ANALYZE) events.deliveries")
    procs = start_workers(db.system_url, workers)
    try:
        with psycopg.connect(db.system_url, autocommit=True) as system:
            started = time.perf_counter()
            owed_again = system.execute(
                "SELECT events.replay(%s, %s, %s)", (CONSUMER, since, until)
            ).fetchone()[0]
            assert owed_again == n, owed_again
            while owed(system):
                time.sleep(0.05)
            return n / (time.perf_counter() - started)
    finally:
        stop_workers(procs)


def steady_latency(db) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        record = str(Path(tmp) / "started.json")
        procs = start_workers(db.system_url, 1, record)
        committed: dict[str, float] = {}
        with psycopg.connect(db.system_url, autocommit=True) as conn:
            begin = time.perf_counter()
            for i in range(STEADY_RATE * STEADY_SECONDS):
                delay = begin + i / STEADY_RATE - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                event_id = conn.execute(
                    "SELECT events.publish_for(%s, 'bench.ping', %s)",
                    (random.choice(ORGS), Jsonb({"n": i})),
                ).fetchone()[0]
                committed[str(event_id)] = time.time()
            while owed(conn):
                time.sleep(0.05)
        stop_workers(procs)
        started = json.loads(Path(record).read_text())
    return [(started[k] - committed[k]) * 1000 for k in committed]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as owner:
        owner.execute("INSERT INTO events.event_types VALUES ('bench.ping', 1, 'Benchmark.')")
        owner.execute("SELECT events.register_consumer(%s, ARRAY['bench.*'])", (CONSUMER,))
        for name, types in OTHER_CONSUMERS.items():
            owner.execute("SELECT events.register_consumer(%s, %s)", (name, types))
        owner.execute(BASELINE.read_text())
        print(
            f"{n:,} events, 64 organizations, one subscribed consumer of five, "
            f"{os.cpu_count()} cores"
        )
        # Other work on the machine moves these numbers a lot; say how busy it was.
        print("  load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        with psycopg.connect(db.system_url) as conn:
            rates = compare_publishing(owner, conn)
        before = next(iter(rates.values()))
        print(
            f"  publish, {ROUNDS} interleaved rounds of {ROUND:,} events per method "
            "(1 process, 1,000 per transaction):"
        )
        for name, rate in rates.items():
            print(f"    {name}: {rate:,.0f} events/s ({rate / before:.2f}x before)")
        since = owner.execute("SELECT now() - interval '1 second'").fetchone()[0]
        with psycopg.connect(db.system_url) as conn:
            rate = publish(conn, n)
        until = owner.execute("SELECT clock_timestamp() + interval '1 second'").fetchone()[0]
        print(f"  publish (1 process, 1,000 per transaction): {rate:,.0f} events/s")
        for workers in (1, 2, 4):
            drained = drain(db, owner, workers, since, until, n)
            print(f"  drain with {workers} worker process(es): {drained:,.0f} events/s")
        owner.execute("DELETE FROM events.deliveries")
        owner.execute("VACUUM (ANALYZE) events.deliveries")
        latencies = sorted(steady_latency(db))
        q = statistics.quantiles(latencies, n=100)
        print(
            f"  commit -> handler start at {STEADY_RATE} events/s for {STEADY_SECONDS}s "
            f"({len(latencies):,} events, 1 worker): p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms, "
            f"max {latencies[-1]:.1f} ms"
        )
        print("  load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        main()
