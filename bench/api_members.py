"""Authenticated GET /v1/orgs/{org}/members beside GET /healthz, on one real server, under wrk.

Run: .venv/bin/python bench/api_members.py [--members 200] [--seconds 10] [--connections 50]
Builds a scratch database with one clinic (an owner and N members), generates an RSA key
pair for this run, starts `restartix serve` on a loopback port in its own process, and loads
it from wrk in another (apt-get install -y wrk): /healthz first, then the members list (one
page of 50, the default), each for the same time and connections after a short warm-up.
Prints requests/s, p50 and p99 for both, and the ratio.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import jwt
import psycopg
from _db import scratch_database
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://idp.restartix.bench/"
AUDIENCE = "restartix-core-bench"
REDIS_DB = 12  # the bench's own; flushed before the run

SEED = """
WITH org AS (INSERT INTO tenancy.organizations (slug, name)
             VALUES ('bench-clinic', 'Bench Clinic') RETURNING id)
SELECT id::text FROM org
"""
# The owner first, then the members, all with a subject the bench can mint tokens for.
PEOPLE = """
WITH p AS (INSERT INTO iam.principals (kind) SELECT 'human' FROM generate_series(0, %(n)s)
           RETURNING id),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM p),
     h AS (INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)
           SELECT id, 'bench|person' || i, 'person' || i || '@bench.test', 'Person ' || i
           FROM numbered RETURNING principal_id, idp_subject)
INSERT INTO tenancy.organization_memberships
    (organization_id, principal_id, role_id, status, accepted_at)
SELECT %(org)s, h.principal_id, r.id, 'active', now()
FROM h JOIN iam.roles AS r ON r.organization_id IS NULL
 AND r.code = CASE WHEN h.idp_subject = 'bench|person0' THEN 'owner' ELSE 'specialist' END
"""


def _status(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _keys() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, public.decode()


def _token(key: rsa.RSAPrivateKey, seconds: int) -> str:
    now = int(time.time())
    claims = {
        "sub": "bench|person0",
        "email": "person0@bench.test",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + seconds,
    }
    return jwt.encode(claims, key, algorithm="RS256")


@contextmanager
def _server(env: dict[str, str], port: int):
    restartix = Path(sys.executable).with_name("restartix")
    process = subprocess.Popen(
        [str(restartix), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _status(port, "/readyz") == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: {process.stderr.read()}") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk(url: str, seconds: int, connections: int, headers: list[str]) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    if failed or errors:
        raise SystemExit(f"wrk saw failures on {url}:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    key, public_pem = _keys()
    with scratch_database() as db:
        with psycopg.connect(db.owner_url, autocommit=True) as conn:
            org_id = conn.execute(SEED).fetchone()[0]
            # The member limit of the default tier would refuse the seeded crowd.
            conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org_id,))
            conn.execute(PEOPLE, {"n": args.members, "org": org_id})
        redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
        subprocess.run(
            ["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True
        )
        port = _free_port()
        env = {
            **os.environ,
            "MIGRATE_DATABASE_URL": db.owner_url,
            "DATABASE_URL": db.app_url,
            "SYSTEM_DATABASE_URL": db.system_url,
            "REDIS_URL": redis_url,
            "AUTH_PUBLIC_KEY": public_pem,
            "AUTH_JWKS_URL": "",
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
            "LOG_LEVEL": "WARNING",
        }
        base = f"http://127.0.0.1:{port}"
        members_url = f"{base}/v1/orgs/{org_id}/members"
        bearer = f"Bearer {_token(key, seconds=600)}"
        auth = [f"Authorization: {bearer}"]
        with _server(env, port):
            status = _status(port, f"/v1/orgs/{org_id}/members", {"Authorization": bearer})
            if status != 200:
                raise SystemExit(f"GET members answered {status}, not 200")
            warm = max(1, args.seconds // 5)
            _wrk(f"{base}/healthz", warm, args.connections, [])
            _wrk(members_url, warm, args.connections, auth)
            health = _wrk(f"{base}/healthz", args.seconds, args.connections, [])
            members = _wrk(members_url, args.seconds, args.connections, auth)

    print(
        f"{args.connections} connections, {args.seconds} s each, one uvicorn process, "
        f"{args.members + 1} members (pages of 50)"
    )
    for name, result in (("GET /healthz", health), ("GET /v1/orgs/{org}/members", members)):
        print(
            f"{name:28} {result['rps']:9.0f} req/s   p50 {result['p50']:7.2f} ms"
            f"   p99 {result['p99']:7.2f} ms   ({result['requests']:.0f} requests)"
        )
    print(f"members / healthz throughput: {members['rps'] / health['rps']:.3f}")


if __name__ == "__main__":
    main()
