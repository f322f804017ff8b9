"""Portal onboarding through the real API: requests/s of `POST /v1/portal/onboard`.

Run: .venv/bin/python bench/people_onboarding.py [--humans 400] [--threads 8] [--port 8620]
       [--serve-args '--workers 2']

Builds a scratch migrated database (bench/_db.py), seeds one clinic on the Dedicated tier (no
patient limit), generates an RSA key pair for the run, and serves this checkout's API with
`.venv/bin/restartix serve --host 127.0.0.1 --port P` (ports 8620-8629, Redis database 12),
as bench/api_path.py does. Then, from T client threads on keep-alive connections:
  - first onboardings: N humans never seen before, each one request with its own token (the
    request also provisions the human on first sight, as a real sign-up does): profile,
    patient row, default-tier subscription snapshot and events in one transaction (201);
  - repeat onboardings: the same N humans again (200, nothing written but the lookup).
Prints requests/s, p50 and p95 latency for each, and checks the database holds exactly N
patients, each with one active subscription. The clients, the server and PostgreSQL share this
machine's cores, so the figure is a floor for the API, not a capacity.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import psycopg
from _db import scratch_database
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "https://idp.restartix.bench/"
AUDIENCE = "restartix-core-bench"
REDIS_URL = "redis://127.0.0.1:6379/12"
PORTS = range(8620, 8630)
SLUG = "bench-onboard"


def free_port(preferred: int) -> int:
    for port in [preferred, *PORTS]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise SystemExit("people_onboarding: no free port in 8620-8629")


def tokens(key: rsa.RSAPrivateKey, n: int) -> list[str]:
    now = int(time.time())
    return [
        jwt.encode(
            {
                "sub": f"bench|onboard|{i}",
                "email": f"patient{i}@bench.test",
                "iss": ISSUER,
                "aud": AUDIENCE,
                "iat": now,
                "nbf": now,
                "exp": now + 3600,
            },
            key,
            algorithm="RS256",
        )
        for i in range(n)
    ]


def wait_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"people_onboarding: the server did not start:\n{log.read_text()[-3000:]}")


def run(port: int, all_tokens: list[str], threads: int, expect: int) -> dict[str, float]:
    """Each thread onboards its share of the humans on one keep-alive connection."""
    shares = [all_tokens[i::threads] for i in range(threads)]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker(share: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for i, token in enumerate(share):
            body = json.dumps({"slug": SLUG, "first_name": "Bench", "last_name": f"P{i}"})
            started = time.perf_counter()
            connection.request(
                "POST",
                "/v1/portal/onboard",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            text = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != expect:
                with lock:
                    failures.append(f"{response.status} {text[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, shares))
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"people_onboarding: {len(failures)} unexpected answers: {failures[:3]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--humans", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8620)
    parser.add_argument("--serve-args", default="")
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with scratch_database() as db, tempfile.TemporaryDirectory() as tmp:
        with psycopg.connect(db.owner_url, autocommit=True) as conn:
            org = conn.execute(
                "INSERT INTO tenancy.organizations (slug, name) VALUES (%s, 'Bench') RETURNING id",
                (SLUG,),
            ).fetchone()[0]
            conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        port = free_port(args.port)
        log = Path(tmp) / "server.log"
        env = {
            **os.environ,
            "MIGRATE_DATABASE_URL": db.owner_url,
            "DATABASE_URL": db.app_url,
            "SYSTEM_DATABASE_URL": db.system_url,
            "REDIS_URL": REDIS_URL,
            "AUTH_PUBLIC_KEY": public_pem,
            "AUTH_JWKS_URL": "",
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
            "LOG_LEVEL": "WARNING",
        }
        command = [str(ROOT / ".venv" / "bin" / "restartix"), "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port), *shlex.split(args.serve_args)]
        with log.open("ab") as out:
            server = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_ready(port, server, log)
            humans = tokens(key, args.humans)
            first = run(port, humans, args.threads, 201)
            repeat = run(port, humans, args.threads, 200)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        with psycopg.connect(db.owner_url) as conn:
            patients, active = conn.execute(
                "SELECT count(DISTINCT p.id), count(s.id) FROM people.patients AS p"
                " LEFT JOIN people.patient_subscriptions AS s"
                " ON s.patient_id = p.id AND s.status = 'active'"
            ).fetchone()
    if (patients, active) != (args.humans, args.humans):
        raise SystemExit(f"people_onboarding: {patients} patients, {active} active subscriptions")
    print(f"onboarding through the API, {args.threads} client threads, {args.humans} humans")
    for label, figures in (("first (201)", first), ("repeat (200)", repeat)):
        print(
            f"  {label:13} {figures['rps']:7.1f} requests/s"
            f"  p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms"
        )
    print(f"  database: {patients} patients, {active} active subscriptions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
