"""Webhook delivery figures, against a local receiver on loopback.

Run: .venv/bin/python bench/webhooks.py   (about 2 minutes)

1. Throughput: 1,000 events of one clinic with 2 matching subscriptions (2,000 deliveries),
   published in one transaction while 1, 2 or 4 worker processes (`restartix worker
   --consumers webhooks`, 2 sender threads each) idle; deliveries/s from the commit until the
   receiver has every one.
2. Latency: 2 workers, 1 subscription, events published one per transaction at a steady 100/s
   for 10 s; for each event, its commit to the receiver's first request for it: p50 and p99.
3. Publishing cost: one event per transaction on one connection, 3,000 times, with (a) no
   webhooks consumer registered, (b) the consumer and no subscription, (c) the consumer and 10
   matching subscriptions; events/s of each and the ratio (a)/(c). No worker runs meanwhile.

The receiver is a threaded http.server answering 204; everything (PostgreSQL, workers,
receiver, this driver) shares the machine's cores.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PORT = 8670
WORKER = (sys.executable, "-m", "app.cli", "worker", "--consumers", "webhooks")
PUBLISH = (
    "SELECT events.publish_for(%s, 'patient.created', jsonb_build_object("
    "'patient_id', gen_random_uuid(), 'patient_profile_id', gen_random_uuid(),"
    " 'profile_shared', false))"
)


class Receiver:
    def __init__(self) -> None:
        self.first: dict[str, float] = {}  # event id -> first arrival
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                now = time.time()
                event_id = json.loads(body)["event_id"]
                with receiver.lock:
                    receiver.count += 1
                    receiver.first.setdefault(event_id, now)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.first.clear()
            self.count = 0


def subscribe(db, org: uuid.UUID, count: int) -> None:
    from app.crypto import build_field_cipher
    from app.domains.webhooks import secrets

    cipher = build_field_cipher(lambda: psycopg.connect(db.system_url))
    with psycopg.connect(db.owner_url) as conn:
        conn.execute(
            "DELETE FROM webhooks.webhook_subscriptions WHERE organization_id = %s", (org,)
        )
        for _ in range(count):
            sub, secret_id = uuid.uuid4(), uuid.uuid4()
            sealed = secrets.seal(cipher, secrets.generate(), secret_id, org)
            conn.execute(
                "INSERT INTO webhooks.webhook_subscriptions (id, organization_id, url, event_types,"
                " created_at) VALUES (%s, %s, %s, '{patient.*}', now() - interval '1 minute')",
                (sub, org, f"http://127.0.0.1:{PORT}/hook"),
            )
            conn.execute(
                "INSERT INTO webhooks.webhook_secrets (id, organization_id, subscription_id,"
                " secret_encrypted) VALUES (%s, %s, %s, %s)",
                (secret_id, org, sub, sealed),
            )


def start_workers(db, n: int, logs: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        log = logs / f"worker-{n}-{i}.log"
        proc = subprocess.Popen(
            [*WORKER, "--no-periodic", "--poll", "0.5"],
            cwd=ROOT,
            env={**os.environ, "SYSTEM_DATABASE_URL": db.system_url, "LOG_LEVEL": "WARNING"},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
    # Ready once each has registered and idles; a second is plenty on an idle machine.
    time.sleep(2.5)
    return procs


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(30)


def drain(db) -> None:
    with psycopg.connect(db.owner_url, autocommit=True) as conn:
        conn.execute("DELETE FROM webhooks.webhook_messages")
        conn.execute("DELETE FROM events.deliveries")


def throughput(db, org, receiver: Receiver, logs: Path) -> dict[int, float]:
    subscribe(db, org, 2)
    results = {}
    for n in (1, 2, 4):
        drain(db)
        procs = start_workers(db, n, logs)
        receiver.reset()
        with psycopg.connect(db.system_url) as conn:
            for _ in range(1000):
                conn.execute(PUBLISH, (org,))
        start = time.time()
        deadline = start + 120
        fanned = None
        with psycopg.connect(db.owner_url, autocommit=True) as conn:
            while receiver.count < 2000 and time.time() < deadline:
                time.sleep(0.05)
                if fanned is None:
                    (made,) = conn.execute(
                        "SELECT count(*) FROM webhooks.webhook_messages"
                    ).fetchone()
                    if made >= 2000:
                        fanned = time.time() - start
        elapsed = time.time() - start
        stop(procs)
        results[n] = receiver.count / elapsed
        print(
            f"  {n} worker(s): {receiver.count} deliveries in {elapsed:.1f} s"
            f" (all fanned out after {fanned or elapsed:.1f} s)",
            flush=True,
        )
    return results


def latency(db, org, receiver: Receiver, logs: Path) -> tuple[float, float]:
    subscribe(db, org, 1)
    drain(db)
    procs = start_workers(db, 2, logs)
    receiver.reset()
    committed: dict[str, float] = {}
    with psycopg.connect(db.system_url, autocommit=True) as conn:
        start = time.time()
        for i in range(1000):
            target = start + i / 100
            time.sleep(max(0.0, target - time.time()))
            (event_id,) = conn.execute(PUBLISH, (org,)).fetchone()
            committed[str(event_id)] = time.time()
    deadline = time.time() + 60
    while len(receiver.first) < len(committed) and time.time() < deadline:
        time.sleep(0.05)
    stop(procs)
    delays = sorted(receiver.first[e] - committed[e] for e in committed if e in receiver.first)
    p50 = statistics.median(delays)
    p99 = delays[int(len(delays) * 0.99) - 1]
    print(f"  {len(delays)}/{len(committed)} events arrived", flush=True)
    return p50, p99


def publish_rate(db, org, consumer: bool, subscriptions: int) -> float:
    with psycopg.connect(db.owner_url, autocommit=True) as conn:
        conn.execute("DELETE FROM events.consumers WHERE name = 'webhooks'")
        if consumer:
            conn.execute("SELECT events.register_consumer('webhooks', '{*}')")
    subscribe(db, org, subscriptions)
    with psycopg.connect(db.system_url, autocommit=True) as conn:
        for _ in range(200):  # warm up
            conn.execute(PUBLISH, (org,))
        start = time.perf_counter()
        for _ in range(3000):
            conn.execute(PUBLISH, (org,))
        return 3000 / (time.perf_counter() - start)


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    from _db import scratch_database

    os.environ.setdefault("ENCRYPTION_PROVIDER", "local")
    os.environ["ENCRYPTION_LOCAL_KEK"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["RESTARTIX_WEBHOOKS_ALLOW_HTTP"] = "1"
    os.environ["RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS"] = "127.0.0.1/32"
    receiver = Receiver()
    with scratch_database() as db, tempfile.TemporaryDirectory() as tmp:
        with psycopg.connect(db.owner_url) as conn:
            (org,) = conn.execute(
                "INSERT INTO tenancy.organizations (slug, name) VALUES ('bench', 'Bench')"
                " RETURNING id"
            ).fetchone()
        print("throughput (2 subscriptions, 1,000 events):", flush=True)
        rates = throughput(db, org, receiver, Path(tmp))
        if "--throughput-only" in sys.argv:
            print(rates)
            return
        print("latency (1 subscription, 100 events/s for 10 s, 2 workers):", flush=True)
        p50, p99 = latency(db, org, receiver, Path(tmp))
        print("publishing cost:", flush=True)
        bare = publish_rate(db, org, consumer=False, subscriptions=0)
        zero = publish_rate(db, org, consumer=True, subscriptions=0)
        ten = publish_rate(db, org, consumer=True, subscriptions=10)
    print()
    for n, rate in rates.items():
        print(f"deliveries/s with {n} worker(s): {rate:.0f}")
    print(f"commit -> first attempt: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    print(f"publish/s without the webhooks consumer: {bare:.0f}")
    print(f"publish/s with it, 0 subscriptions: {zero:.0f}")
    print(f"publish/s with it, 10 subscriptions: {ten:.0f}")
    print(f"ratio 0 subscriptions / 10 subscriptions: {zero / ten:.2f}")
    print(f"ratio no consumer / 10 subscriptions: {bare / ten:.2f}")


if __name__ == "__main__":
    main()
