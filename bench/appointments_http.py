"""Booking through HTTP: a real `restartix serve` against a scratch database built from the
migrations, the real Redis, concurrent HTTP clients.

1. Same slot: C clients (threads, each its own keep-alive HTTP connection) post the same
   slot of a one-specialist calendar, released together by a barrier; repeated R times on
   fresh slots. Exactly one 201 per repetition, every other answer 409 `slot_taken` in the
   error envelope. Then the same on a three-specialist round-robin calendar: exactly three.
   Meanwhile a sampler reads pg_stat_activity every few milliseconds and keeps the most
   connections the server's roles (restartix_app: the request pool; restartix_system: the
   system pool) held on the scratch database at once: each API process has a request pool
   and a system pool of at most DB_POOL_SIZE connections each (and a key-store pool of at
   most 2 when a field is decrypted), so W workers hold at most W x (2 x DB_POOL_SIZE + 2),
   however many clients there are.
2. Distinct slots: 8 clients book N distinct slots (8 one-specialist calendars) as fast as
   they can: bookings per second through HTTP.
3. Availability under booking: GET /v1/orgs/{org}/calendars/{id}/availability (7 dates of a
   calendar being booked) by one client, sequentially: first with no other load (baseline),
   then while 8 clients book distinct slots of the same calendars, then the baseline again;
   p50/p95 of each and the ratio loaded/baseline.

The bench seeds as the superuser with the test helpers (tests.create_org, ...), mints its own
RS256 tokens for the owner with a key pair generated for the run, and serves with
`restartix serve --workers W` on a free loopback port (DB_POOL_SIZE from --pool).

    .venv/bin/python bench/appointments_http.py [--clients 100] [--reps 100] [--workers 2]
        [--pool 10] [--distinct 800] [--reads 300] [--redis-db 12]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwt
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.config import with_database
from app.db.paths import TEST_HELPERS
from bench._db import scratch_database

ISSUER = "https://idp.restartix.bench/"
AUDIENCE = "restartix-core-bench"
OWNER = "owner@bench.test"
SOLO = 8
SERVER_ROLES = ("restartix_app", "restartix_system")


# --- the scratch clinic --------------------------------------------------------------------------


def seed(url: str) -> dict:
    """One organization (dedicated tier), its owner, a 30-minute service, 12 specialists
    working every day 08:00-20:00: a one-specialist calendar, a three-specialist round-robin
    calendar and 8 one-specialist calendars; a patient; and each calendar's free starts."""
    with psycopg.connect(url, autocommit=True) as conn:
        for path in sorted(TEST_HELPERS.glob("*.sql")):
            conn.execute(path.read_text())
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT tests.create_org('bench')").fetchone()[0]
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        owner = conn.execute("SELECT tests.create_human(%s)", (OWNER,)).fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, owner))
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
        service = conn.execute(
            "SELECT catalog.create_service("
            """'{"name": "Physio", "duration_minutes": 30, "currency": "RON"}')"""
        ).fetchone()[0]
        specialists = [
            conn.execute(
                "SELECT people.create_specialist(%s, NULL, NULL, 'Europe/Bucharest', TRUE)",
                (f"S{n}",),
            ).fetchone()[0]
            for n in range(4 + SOLO)
        ]
        for sp in specialists:
            for day in range(1, 8):
                conn.execute(
                    "SELECT scheduling.add_weekly_hours(%s, %s, '08:00', '20:00')", (sp, day)
                )

        def calendar(slug: str, members: list) -> str:
            cal = conn.execute(
                "SELECT scheduling.create_calendar(jsonb_build_object("
                "'name', %s::text, 'slug', %s::text, 'service_id', %s::uuid))",
                (slug, slug, service),
            ).fetchone()[0]
            for sp in members:
                conn.execute("SELECT scheduling.set_calendar_specialist(%s, %s, 1)", (cal, sp))
            return str(cal)

        one = calendar("one", specialists[:1])
        three = calendar("three", specialists[1:4])
        solo = [calendar(f"solo-{i}", [sp]) for i, sp in enumerate(specialists[4:])]
        patient = conn.execute("SELECT people.create_patient('Ion', 'Pop')").fetchone()[0]
        conn.execute("SELECT tests.clear_authentication()")

        def slots(cal: str, days: int) -> list[str]:
            return [
                r[0].isoformat()
                for r in conn.execute(
                    "SELECT slot_start FROM scheduling.availability("
                    "%s, current_date + 2, current_date + %s, NULL) ORDER BY 1",
                    (cal, 1 + days),
                )
            ]

        found = {
            "org": str(org),
            "patient": str(patient),
            "one": (one, slots(one, 10)),
            "three": (three, slots(three, 10)),
            "solo": [(c, slots(c, 30)) for c in solo],
        }
        conn.commit()
        conn.execute("ANALYZE")
    return found


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`restartix serve` in its own process group, against the scratch database."""

    def __init__(self, db, args: argparse.Namespace, public_pem: str, log: Path) -> None:
        self.port = free_port()
        restartix = Path(sys.executable).parent / "restartix"
        env = {
            **os.environ,
            "MIGRATE_DATABASE_URL": db.owner_url,
            "DATABASE_URL": db.app_url,
            "SYSTEM_DATABASE_URL": db.system_url,
            "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
            "AUTH_PUBLIC_KEY": public_pem,
            "AUTH_JWKS_URL": "",
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
            "DB_POOL_SIZE": str(args.pool),
            "LOG_LEVEL": "WARNING",
        }
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    str(restartix),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
                raise SystemExit(f"appointments_http: the server did not start:\n{tail}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


class Client:
    """One keep-alive HTTP connection with the owner's token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed an idle connection
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def book(client: Client, w: dict, cal: str, start: str) -> str:
    status, body = client.send(
        "POST",
        f"/v1/orgs/{w['org']}/appointments",
        {"calendar_id": cal, "patient_id": w["patient"], "start": start},
    )
    if status == 201:
        return "201"
    try:
        error = json.loads(body)["error"]
        assert set(error) == {"code", "message", "details", "request_id"}
        return f"{status} {error['code']}"
    except (ValueError, KeyError, TypeError, AssertionError):
        return f"{status} (no envelope) {body[:200]!r}"


# --- connections ---------------------------------------------------------------------------------


class Sampler:
    """Polls pg_stat_activity for the server roles' connections to the scratch database."""

    def __init__(self, owner_url: str, dbname: str) -> None:
        self.url = with_database(owner_url, "postgres")
        self.dbname = dbname
        self.most: Counter = Counter()
        self.most_total = 0
        self.samples = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.is_set():
                rows = conn.execute(
                    "SELECT usename, count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' "
                    "AND usename = ANY(%s) GROUP BY usename",
                    (self.dbname, list(SERVER_ROLES)),
                ).fetchall()
                now = dict(rows)
                for role, n in now.items():
                    self.most[role] = max(self.most[role], n)
                self.most_total = max(self.most_total, sum(now.values()))
                self.samples += 1
                time.sleep(0.005)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join()


# --- the measures --------------------------------------------------------------------------------


def same_slot(port: int, token: str, w: dict, cal: str, starts: list[str], clients: int) -> list:
    """Per repetition, the Counter of answers of `clients` concurrent posts of one slot."""
    barrier = threading.Barrier(clients)
    results: list[list[str]] = [[] for _ in starts]
    lock = threading.Lock()

    def run() -> None:
        client = Client(port, token)
        try:
            for rep, start in enumerate(starts):
                barrier.wait()
                answer = book(client, w, cal, start)
                with lock:
                    results[rep].append(answer)
        finally:
            client.close()

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [Counter(r) for r in results]


def booking_load(port: int, token: str, w: dict, work: list, stop: threading.Event | None):
    """8 clients book `work` (calendar, start) pairs until done (or `stop` is set); returns
    the answers and the seconds taken."""
    queue = list(reversed(work))
    lock = threading.Lock()
    answers: list[str] = []

    def run() -> None:
        client = Client(port, token)
        try:
            while stop is None or not stop.is_set():
                with lock:
                    if not queue:
                        return
                    cal, start = queue.pop()
                answer = book(client, w, cal, start)
                with lock:
                    answers.append(answer)
        finally:
            client.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, time.perf_counter() - t0


def read_latencies(port: int, token: str, path: str, n: int) -> list[float]:
    client = Client(port, token)
    took = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            status, body = client.send("GET", path)
            took.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"appointments_http: availability answered {status}: {body[:300]}")
    finally:
        client.close()
    return took


def connections(sampler: Sampler, when: str, per_role: int, in_all: int, failures: list) -> None:
    print(
        f"server connections to the database during {when} ({sampler.samples} samples): at most"
        f" {sampler.most['restartix_app']} restartix_app (request pools),"
        f" {sampler.most['restartix_system']} restartix_system (system pools),"
        f" {sampler.most_total} in all; bound {per_role} per role, {in_all} in all",
        flush=True,
    )
    if max(sampler.most.values(), default=0) > per_role or sampler.most_total > in_all:
        failures.append(f"connections above the pool bound during {when}")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="API processes")
    parser.add_argument("--pool", type=int, default=10, help="DB_POOL_SIZE of the server")
    parser.add_argument("--distinct", type=int, default=800)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--redis-db", type=int, default=12)
    args = parser.parse_args()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": f"test|{OWNER}",
            "email": OWNER,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + 4 * 3600,
        },
        key,
        algorithm="RS256",
    )
    failures: list[str] = []
    with scratch_database() as db, tempfile.TemporaryDirectory() as tmp:
        w = seed(db.owner_url)
        with psycopg.connect(db.owner_url) as conn:
            max_connections = conn.execute("SHOW max_connections").fetchone()[0]
        server = Server(db, args, pem, Path(tmp) / "server.log")
        bound_pool = args.workers * args.pool
        bound_all = args.workers * (2 * args.pool + 2)
        print(
            f"restartix serve --workers {args.workers}, DB_POOL_SIZE={args.pool}: per role at most"
            f" {bound_pool} connections, in all at most {bound_all}; max_connections"
            f" {max_connections}; {os.cpu_count()} CPUs shared by the clients, the server and"
            " PostgreSQL",
            flush=True,
        )
        try:
            with Sampler(db.owner_url, db.name) as sampler:
                for name, want in (("one", 1), ("three", 3)):
                    cal, starts = w[name]
                    t0 = time.perf_counter()
                    results = same_slot(
                        server.port, token, w, cal, starts[: args.reps], args.clients
                    )
                    took = time.perf_counter() - t0
                    expected = {"201": want, "409 slot_taken": args.clients - want}
                    exact = sum(r == expected for r in results)
                    with psycopg.connect(db.owner_url) as conn:
                        per_slot = conn.execute(
                            "SELECT count(*), count(DISTINCT specialist_id) FROM"
                            " appointments.appointments WHERE calendar_id = %s"
                            " GROUP BY lower(period)",
                            (cal,),
                        ).fetchall()
                    rows_ok = len(per_slot) == len(results) and all(
                        r == (want, want) for r in per_slot
                    )
                    print(
                        f"same slot, {name}-specialist calendar: {args.clients} HTTP clients:"
                        f" exactly {want} x 201 and {args.clients - want} x 409 slot_taken in"
                        f" {exact}/{len(results)} repetitions ({took:.1f} s); totals"
                        f" {dict(sum(results, Counter()))}; rows per slot"
                        f" {f'{want} on {want} specialist(s) each' if rows_ok else per_slot}",
                        flush=True,
                    )
                    if exact != len(results) or not rows_ok:
                        failures.append(f"same slot {name}")
                connections(sampler, "the races", bound_pool, bound_all, failures)

                # Calendar after calendar, so the 8 clients book 8 specialists at once.
                work = [
                    pair
                    for row in itertools.zip_longest(*([(c, s) for s in ss] for c, ss in w["solo"]))
                    for pair in row
                    if pair is not None
                ]
                distinct, rest = work[: args.distinct], work[args.distinct :]
                answers, took = booking_load(server.port, token, w, distinct, None)
                print(
                    f"distinct slots: 8 HTTP clients booked {dict(Counter(answers))} of"
                    f" {len(distinct)} in {took:.2f} s = {len(distinct) / took:.0f} bookings/s",
                    flush=True,
                )
                if Counter(answers) != {"201": len(distinct)}:
                    failures.append("distinct slots")

                first = date.today() + timedelta(days=2)
                read_cal = w["solo"][0][0]
                path = (
                    f"/v1/orgs/{w['org']}/calendars/{read_cal}/availability"
                    f"?from={first.isoformat()}&to={(first + timedelta(days=6)).isoformat()}"
                )
                read_latencies(server.port, token, path, 30)  # warm-up
                before = read_latencies(server.port, token, path, args.reads)
                stop = threading.Event()
                loaded: dict = {}

                def load() -> None:
                    loaded["answers"], loaded["took"] = booking_load(
                        server.port, token, w, rest, stop
                    )

                booker = threading.Thread(target=load)
                booker.start()
                time.sleep(0.5)
                during = read_latencies(server.port, token, path, args.reads)
                stop.set()
                booker.join()
                after = read_latencies(server.port, token, path, args.reads)
                baseline = before + after
                booked = Counter(loaded["answers"])
                print(
                    f"availability (7 dates, one specialist) read by 1 client, {args.reads} reads"
                    " each:",
                    flush=True,
                )
                for label, values in (
                    ("  no load, before", before),
                    ("  no load, after", after),
                    ("  while 8 clients book", during),
                ):
                    print(
                        f"{label:26} p50 {pct(values, 50):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
                    )
                print(
                    f"  ratio loaded / baseline (before and after together): p50"
                    f" {pct(during, 50) / pct(baseline, 50):.2f}, p95"
                    f" {pct(during, 95) / pct(baseline, 95):.2f}; the 8 clients booked"
                    f" {dict(booked)} meanwhile ({sum(booked.values()) / loaded['took']:.0f}"
                    f" bookings/s); mean read {statistics.mean(during):.1f} ms",
                    flush=True,
                )
                if set(booked) != {"201"}:
                    failures.append("bookings under the read load")
                connections(sampler, "the whole run", bound_pool, bound_all, failures)
        finally:
            server.stop()
    if failures:
        print(f"FAILED: {', '.join(failures)}")
        return 1
    print("no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
