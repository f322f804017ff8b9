"""The authenticated request path of the API: a baseline and a candidate checkout, one run.

Run: .venv/bin/python bench/api_path.py --baseline DIR [--candidate DIR] [--seconds 10]
       [--members 200] [--connections 50] [--threads 2] [--warmup 2] [--write-rounds 2]
       [--candidate-serve-args '--workers 2'] [--candidate-env KEY=VALUE ...]
       [--show-statements] [--no-analyze] [--redis-db 12] [--ports 18100-18199]

Each DIR is a repository root with its own `.venv` (`python3 -m venv .venv &&
.venv/bin/pip install -e '.[dev]'`); either may be omitted to measure one checkout. For each
checkout the bench builds a scratch database `restartix_bench_path_<pid>_<label>` with that
checkout's own `restartix db bootstrap` and `db migrate`, seeds one clinic with an owner and N
members, analyzes the database (as autovacuum would a live one; --no-analyze skips it),
generates an RSA key pair and serves the checkout's API with its own
`.venv/bin/restartix serve --host 127.0.0.1 --port P [serve args]` on a free port of --ports
(default 18100-18199), Redis database --redis-db (default 12). The serve process finds a
bench-only module on PYTHONPATH (written to a temp dir) that adds one route,
`GET /v1/orgs/{org}/bench/select-one`, running only `SELECT 1` inside
the checkout's own per-org request transaction (see `select_one_route`, the adapter).

Measured, for each checkout:
  - statements per request: `log_statement = 'all'` is set on the scratch database only, a
    fixed number of sequential requests is sent after a warm-up, and the statement/execute
    lines the server log holds for that database between markers are counted (every BEGIN,
    COMMIT, set_config and the system pool's identity lookup is one). Then the setting is reset
    and the server restarted, so no load runs with it.
  - under wrk (C connections, S seconds after a W-second warm-up, --latency): GET members (the
    owner's token, one page of 50), GET select-one and GET /healthz: requests/s, p50, p99, and
    CPU ms per request of the server's process tree and of the database's client backends
    (utime+stime from /proc before and after the window, divided by the requests served).
  - an audited write: PATCH /v1/orgs/{org}/members/{id} toggling members between active and
    suspended (a wrk lua script; each wrk thread owns its own members, so no two in-flight
    writes touch one row), with the audit trigger of tenancy.organization_memberships enabled
    and disabled (only that trigger; re-enabled at once), alternating rounds. The lua
    `response` hook counts non-2xx answers; PATCH is outside the idempotency middleware (POST
    only, and no Idempotency-Key is sent) and the member routes carry no rate limit.
Loads are interleaved between the checkouts (one endpoint on each, then the next), so both
see the same machine. wrk, the server and PostgreSQL share this machine's cores, and on a
shared machine requests/s swing with whatever else runs (the baseline against itself gave
ratios of 0.74-1.05 here while test suites ran); statements per request and CPU ms per request
are the steadier figures. Audited writes also COMMIT through pg_notify (the outbox), whose
commits PostgreSQL serializes, so write throughput is bounded there (waits: Lock/object and
IO/WALSync at COMMIT), and the audit trigger's share shows best in PostgreSQL CPU ms/write.
Exit status 1 when any run saw a non-2xx answer or a socket error.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from psycopg import sql

SERVER = "postgresql://{role}@127.0.0.1:5432/{db}"
DB_PREFIX = "restartix_bench_path_"
# Overridden by --redis-db and --ports (so concurrent benches or test runs share nothing).
REDIS_DB = 12
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PORTS = range(18100, 18200)
ISSUER = "https://idp.restartix.bench/"
AUDIENCE = "restartix-core-bench"
SELECT_ONE = "/v1/orgs/{org}/bench/select-one"
MEMBERS = "/v1/orgs/{org}/members"
HEALTHZ = "/healthz"
MARKER = "restartix-bench-marker"

SEED_ORG = """
WITH org AS (INSERT INTO tenancy.organizations (slug, name)
             VALUES ('bench-clinic', 'Bench Clinic') RETURNING id)
SELECT id::text FROM org
"""
# The owner (person0) first, then the members, all with a subject the bench mints tokens for.
# Subjects carry the checkout's label, so two checkouts never share an identity cache entry.
SEED_PEOPLE = """
WITH p AS (INSERT INTO iam.principals (kind) SELECT 'human' FROM generate_series(0, %(n)s)
           RETURNING id),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM p),
     h AS (INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)
           SELECT id, %(prefix)s || i, 'person' || i || '@bench.test', 'Person ' || i
           FROM numbered RETURNING principal_id, idp_subject)
INSERT INTO tenancy.organization_memberships
    (organization_id, principal_id, role_id, status, accepted_at)
SELECT %(org)s, h.principal_id, r.id, 'active', now()
FROM h JOIN iam.roles AS r ON r.organization_id IS NULL
 AND r.code = CASE WHEN h.idp_subject = %(prefix)s || '0' THEN 'owner' ELSE 'specialist' END
"""
WRITE_TARGETS = """
SELECT m.id::text FROM tenancy.organization_memberships AS m
JOIN iam.roles AS r ON r.id = m.role_id
WHERE m.organization_id = %s AND r.code <> 'owner' ORDER BY m.id
"""
REACTIVATE = """
UPDATE tenancy.organization_memberships SET status = 'active'
WHERE organization_id = %s AND status <> 'active'
"""
# The audit trigger(s) of the memberships table: those whose function lives in `audit`.
AUDIT_TRIGGERS = """
SELECT t.tgname FROM pg_trigger AS t
JOIN pg_proc AS p ON p.oid = t.tgfoid JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE t.tgrelid = 'tenancy.organization_memberships'::regclass AND NOT t.tgisinternal
  AND n.nspname = 'audit'
"""

# ---------------------------------------------------------------------------------------------
# Written into a temp dir on the server's PYTHONPATH. `sitecustomize` runs at interpreter start
# (uvicorn's worker processes included) and points `app.api.main.create_app` at the bench
# factory, so the checkout's own `restartix serve` serves the app with the bench route.
SITECUSTOMIZE = '''\
"""Written by bench/api_path.py for one bench run; not part of any checkout."""
import os
import sys

if os.environ.get("RESTARTIX_BENCH_APP") == "1":
    try:
        import restartix_bench_app

        restartix_bench_app.install()
    except Exception as exc:  # the bench sees the missing route and says why
        print(f"restartix-bench: bench app not installed: {exc!r}", file=sys.stderr)
'''

BENCH_APP = '''\
"""Written by bench/api_path.py: the checkout's app plus one bench-only route.

`create_app` builds the checkout's own app (app.api.main.create_app) and registers
GET /v1/orgs/{org_id}/bench/select-one, which runs only `SELECT 1` inside the checkout's own
per-org request transaction: the ceiling of the authenticated request path.
"""

from typing import Any

import app.api.main as _main

_checkout_create_app = _main.create_app
PATH = "/v1/orgs/{org_id:uuid}/bench/select-one"


# ============================== ADAPTER: the checkout's request path ==============================
# The one place that knows the checkout's API; it detects it by feature. Extend it here when
# the request path changes shape. It needs:
#   1. the route keyword arguments every per-org route uses - `app.api.routes.common.IN_ORG`
#      (a dict of Litestar route kwargs: `dependencies` providing `db`, `guards`, ...), or else
#      `app.api.scope.provide_org_db` (an async-generator dependency taking `request` and the
#      `org_id` path parameter) guarded by `app.api.auth.require_human`;
#   2. on the injected `db`: an awaitable `value(sql)`, or `one(sql)`, or a psycopg async
#      connection at `db.conn`, to run `SELECT 1` inside the request transaction.
def select_one_route():
    from litestar import get

    try:
        from app.api.routes import common
    except ImportError:
        common = None
    in_org = getattr(common, "IN_ORG", None)
    if isinstance(in_org, dict) and "dependencies" in in_org:
        kwargs = {k: v for k, v in in_org.items() if k != "responses"}
        source = "routes.common.IN_ORG"
    else:
        from app.api import scope

        provide = getattr(scope, "provide_org_db", None)
        if provide is None:
            raise RuntimeError(
                "adapter: no app.api.routes.common.IN_ORG and no app.api.scope.provide_org_db; "
                "extend select_one_route() in bench/api_path.py"
            )
        from litestar.di import Provide

        from app.api.auth import require_human

        kwargs = {"dependencies": {"db": Provide(provide)}, "guards": [require_human]}
        source = "scope.provide_org_db + auth.require_human"

    async def select_one(db: Any) -> tuple[Any, str]:
        if hasattr(db, "value"):
            return await db.value("SELECT 1"), "db.value"
        if hasattr(db, "one"):
            return (await db.one("SELECT 1"))[0], "db.one"
        cursor = await db.conn.execute("SELECT 1")
        return (await cursor.fetchone())[0], "db.conn.execute"

    @get(PATH, include_in_schema=False, **kwargs)
    async def bench_select_one(db: Any) -> dict[str, Any]:
        one, ran = await select_one(db)
        return {"one": one, "adapter": f"{source} + {ran}"}

    return bench_select_one
# ==================================================================================================


def create_app(*args, **kwargs):
    app = _checkout_create_app(*args, **kwargs)
    app.register(select_one_route())
    return app


def install():
    _main.create_app = create_app
'''

# wrk script for the audited write: thread t of T owns members t, t+T, t+2T, ...; each request
# flips the next member of its own list between suspended and active.
PATCH_LUA = """-- written by bench/api_path.py
local ids = {%(ids)s}
local prefix = "%(prefix)s"
local nthreads = %(threads)d
local threads = {}
local counter = 0
wrk.method = "PATCH"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  mine = {}
  for i = tid + 1, #ids, nthreads do mine[#mine + 1] = ids[i] end
  suspended = {}
  pos = 0
  ok = 0
  bad = 0
  codes = ""
end

function request()
  pos = pos %% #mine + 1
  local id = mine[pos]
  local status = "suspended"
  if suspended[id] then status = "active" end
  suspended[id] = not suspended[id]
  return wrk.format(nil, prefix .. id, nil, '{"status":"' .. status .. '"}')
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if bad <= 5 then codes = codes .. status .. ":" .. string.sub(body, 1, 120) .. " | " end
  end
end

function done(summary, latency, requests)
  local o, b, c = 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
    c = c .. t:get("codes")
  end
  io.write(string.format("BENCH_STATUS ok=%%d non2xx=%%d first=%%s\\n", o, b, c))
end
"""


@dataclass
class Checkout:
    label: str
    root: Path
    serve_args: list[str]
    env: dict[str, str]
    port: int = 0
    dbname: str = ""
    org_id: str = ""
    targets: list[str] = field(default_factory=list)
    key: rsa.RSAPrivateKey | None = None
    public_pem: str = ""
    token: str = ""
    server: subprocess.Popen | None = None
    server_log: Path | None = None
    adapter: str = ""
    revision: str = ""
    statements: dict[str, dict] = field(default_factory=dict)
    results: dict[str, dict] = field(default_factory=dict)

    @property
    def restartix(self) -> Path:
        return self.root / ".venv" / "bin" / "restartix"

    def url(self, role: str) -> str:
        return SERVER.format(role=role, db=self.dbname)

    def path(self, template: str) -> str:
        return template.format(org=self.org_id)

    def cli_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MIGRATE_DATABASE_URL": self.url("postgres"),
            "DATABASE_URL": self.url("restartix_app"),
            "SYSTEM_DATABASE_URL": self.url("restartix_system"),
            "REDIS_URL": REDIS_URL,
            "AUTH_PUBLIC_KEY": self.public_pem,
            "AUTH_JWKS_URL": "",
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": AUDIENCE,
            "LOG_LEVEL": "WARNING",
        }


def fail(message: str) -> SystemExit:
    return SystemExit(f"api_path: {message}")


# --- database ----------------------------------------------------------------------------------


def maintenance() -> psycopg.Connection:
    return psycopg.connect(SERVER.format(role="postgres", db="postgres"), autocommit=True)


def drop_database(name: str) -> None:
    with maintenance() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def drop_leftovers() -> None:
    """Scratch databases of bench runs that are no longer alive (the pid is in the name)."""
    with maintenance() as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (DB_PREFIX + "%",)
            )
        ]
    for name in names:
        pid = name[len(DB_PREFIX) :].split("_", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            drop_database(name)


def run_cli(checkout: Checkout, *args: str) -> None:
    done = subprocess.run(
        [str(checkout.restartix), *args],
        cwd=checkout.root,
        env=checkout.cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise fail(f"{checkout.label}: restartix {' '.join(args)} failed:\n{done.stderr}")


def build(checkout: Checkout, members: int, analyze: bool = True) -> None:
    checkout.dbname = f"{DB_PREFIX}{os.getpid()}_{checkout.label}"
    run_cli(checkout, "db", "bootstrap")
    run_cli(checkout, "db", "migrate")
    prefix = f"bench|{checkout.label}|person"
    with psycopg.connect(checkout.url("postgres"), autocommit=True) as conn:
        checkout.org_id = conn.execute(SEED_ORG).fetchone()[0]
        # The member limit of the default tier would refuse the seeded crowd.
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (checkout.org_id,))
        conn.execute(SEED_PEOPLE, {"n": members, "org": checkout.org_id, "prefix": prefix})
        checkout.targets = [r[0] for r in conn.execute(WRITE_TARGETS, (checkout.org_id,))]
        if analyze:
            # A live database has statistics (autovacuum analyzes a table once about a tenth
            # of it changed). Without them the planner takes the freshly seeded tables for
            # empty, sorts every membership instead of walking the keyset index, and the
            # plan changes under the load whenever autovacuum gets to them.
            conn.execute("ANALYZE")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    checkout.key = key
    checkout.public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    now = int(time.time())
    claims = {
        "sub": prefix + "0",
        "email": "person0@bench.test",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 4 * 3600,
    }
    checkout.token = jwt.encode(claims, key, algorithm="RS256")


def set_log_statement(checkout: Checkout, on: bool) -> None:
    name = sql.Identifier(checkout.dbname)
    with maintenance() as conn:
        if on:
            conn.execute(sql.SQL("ALTER DATABASE {} SET log_statement = 'all'").format(name))
        else:
            conn.execute(sql.SQL("ALTER DATABASE {} RESET log_statement").format(name))


def set_audit_trigger(checkout: Checkout, enabled: bool) -> list[str]:
    with psycopg.connect(checkout.url("postgres"), autocommit=True) as conn:
        names = [r[0] for r in conn.execute(AUDIT_TRIGGERS)]
        if not names:
            raise fail(f"{checkout.label}: no audit trigger on tenancy.organization_memberships")
        verb = sql.SQL("ENABLE" if enabled else "DISABLE")
        for name in names:
            conn.execute(
                sql.SQL("ALTER TABLE tenancy.organization_memberships {} TRIGGER {}").format(
                    verb, sql.Identifier(name)
                )
            )
        return names


def reactivate_members(checkout: Checkout) -> None:
    with psycopg.connect(checkout.url("postgres"), autocommit=True) as conn:
        conn.execute(REACTIVATE, (checkout.org_id,))


# --- the server ----------------------------------------------------------------------------------


def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def request(
    port: int, method: str, path: str, token: str | None = None, body: object = None
) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Client:
    """One keep-alive connection for sequential requests."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.token = token

    def send(self, method: str, path: str, body: object = None, auth: bool = True) -> int:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self.connection.close()


def start_server(checkout: Checkout, tmp: Path) -> None:
    checkout.server_log = tmp / f"server-{checkout.label}.log"
    env = checkout.cli_env()
    env.update(checkout.env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp), env.get("PYTHONPATH", "")]))
    env["RESTARTIX_BENCH_APP"] = "1"
    command = [
        str(checkout.restartix),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(checkout.port),
        *checkout.serve_args,
    ]
    with checkout.server_log.open("ab") as log:
        checkout.server = subprocess.Popen(
            command,
            cwd=checkout.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers end with it
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if request(checkout.port, "GET", "/readyz")[0] == 200:
                break
        except OSError:
            pass
        if checkout.server.poll() is not None or time.monotonic() > deadline:
            stop_server(checkout)
            raise fail(f"{checkout.label}: the server did not start:\n{server_log_tail(checkout)}")
        time.sleep(0.2)


def server_log_tail(checkout: Checkout) -> str:
    if checkout.server_log is None or not checkout.server_log.exists():
        return ""
    return "\n".join(checkout.server_log.read_text(errors="replace").splitlines()[-30:])


def stop_server(checkout: Checkout) -> None:
    process = checkout.server
    if process is None:
        return
    checkout.server = None
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    # A worker left behind by its master still belongs to the group this bench created.
    for pid in group_members(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append(int(entry))
    return found


def check_endpoints(checkout: Checkout) -> None:
    port, token = checkout.port, checkout.token
    with psycopg.connect(checkout.url("restartix_app")) as conn:
        logged = conn.execute("SHOW log_statement").fetchone()[0]
    if logged != "none":
        raise fail(f"{checkout.label}: log_statement is {logged!r} for the load, not 'none'")
    status, body = request(port, "GET", checkout.path(MEMBERS), token)
    if status != 200:
        raise fail(f"{checkout.label}: GET members answered {status}: {body[:300]!r}")
    status, body = request(port, "GET", checkout.path(SELECT_ONE), token)
    if status != 200:
        raise fail(
            f"{checkout.label}: GET select-one answered {status}: {body[:300]!r}\n"
            f"{server_log_tail(checkout)}"
        )
    answer = json.loads(body)
    if answer.get("one") != 1:
        raise fail(f"{checkout.label}: select-one answered {answer}")
    checkout.adapter = answer.get("adapter", "")
    target = checkout.path(MEMBERS) + "/" + checkout.targets[0]
    for state in ("suspended", "active"):
        status, body = request(port, "PATCH", target, token, {"status": state})
        if status != 200:
            raise fail(f"{checkout.label}: PATCH member answered {status}: {body[:300]!r}")


# --- statements per request (PostgreSQL's log) ---------------------------------------------------


def server_log_file(conn: psycopg.Connection) -> str:
    current = conn.execute("SELECT pg_current_logfile()").fetchone()[0]
    if current:
        if not current.startswith("/"):
            current = conn.execute("SHOW data_directory").fetchone()[0] + "/" + current
        return current
    # logging_collector off: Debian's pg_ctlcluster sends stderr to its default file.
    cluster = conn.execute("SHOW cluster_name").fetchone()[0]  # e.g. 15/main
    path = f"/var/log/postgresql/postgresql-{cluster.replace('/', '-')}.log"
    try:
        conn.execute("SELECT pg_stat_file(%s)", (path,))
    except psycopg.Error:
        raise fail(f"cannot find the PostgreSQL server log (tried {path})") from None
    return path


def log_size(conn: psycopg.Connection, path: str) -> int:
    return conn.execute("SELECT (pg_stat_file(%s)).size", (path,)).fetchone()[0]


def log_text(conn: psycopg.Connection, path: str, start: int) -> str:
    size = log_size(conn, path)
    if size < start:  # rotated meanwhile
        start = 0
    data = conn.execute(
        "SELECT pg_read_binary_file(%s, %s, %s)", (path, start, size - start)
    ).fetchone()[0]
    return bytes(data).decode("utf-8", errors="replace")


def trace_statements(checkout: Checkout, tmp: Path, n: int, warm: int) -> None:
    """Counts the statements of N sequential requests of each kind in the server log."""
    token = secrets.token_hex(4)
    with maintenance() as admin:
        prefix = admin.execute("SHOW log_line_prefix").fetchone()[0]
        if "%d" not in prefix:
            checkout.statements["error"] = {"why": f"log_line_prefix {prefix!r} has no %d"}
            return
        path = server_log_file(admin)
        set_log_statement(checkout, True)
        try:
            start_server(checkout, tmp)  # fresh connections pick the setting up
            client = Client(checkout.port, checkout.token)
            members, select_one = checkout.path(MEMBERS), checkout.path(SELECT_ONE)
            patch = checkout.path(MEMBERS) + "/" + checkout.targets[-1]
            toggle = ["suspended", "active"]
            kinds = {
                "members": lambda i: client.send("GET", members),
                "select_one": lambda i: client.send("GET", select_one),
                "patch": lambda i: client.send("PATCH", patch, {"status": toggle[i % 2]}),
                "healthz": lambda i: client.send("GET", HEALTHZ, auth=False),
            }
            for i in range(warm):  # activity throttles, caches, prepared statements settle
                for send in kinds.values():
                    send(i)
            time.sleep(0.3)
            offset = log_size(admin, path)
            with psycopg.connect(checkout.url("postgres"), autocommit=True) as marks:

                def mark(label: str) -> None:
                    time.sleep(0.2)  # work after the response (after_response hooks) lands first
                    marks.execute(f"SELECT '{MARKER} {token} {label}'")

                for kind, send in kinds.items():
                    mark(f"{kind}:start")
                    statuses = [send(0)]
                    mark(f"{kind}:first")
                    statuses += [send(i) for i in range(1, n)]
                    mark(f"{kind}:end")
                    bad = [s for s in statuses if not 200 <= s < 300]
                    if bad:
                        raise fail(f"{checkout.label}: {kind} answered {bad[:5]} while tracing")
            client.close()
            text = log_text(admin, path, offset)
        finally:
            stop_server(checkout)
            set_log_statement(checkout, False)
    checkout.statements = parse_log(text, checkout.dbname, token, n)


STATEMENT = re.compile(r"\bLOG:  (statement|execute [^:]*): (.*)")


def parse_log(text: str, dbname: str, token: str, n: int) -> dict[str, dict]:
    who = re.compile(r"(\S*)@" + re.escape(dbname) + r"\s")
    sections: dict[str, dict] = {}
    current: str | None = None
    first = True
    captured: list[str] | None = None  # the statement of the first request being read
    for line in text.splitlines():
        if line.startswith("\t"):  # a continuation line of a multi-line statement
            if captured is not None:
                captured[-1] = (captured[-1] + " " + line.strip()).strip()
            continue
        captured = None
        if f"@{dbname} " not in line:
            continue
        found = STATEMENT.search(line)
        if not found:
            continue
        if f"{MARKER} {token} " in line:
            label = line.split(f"{MARKER} {token} ", 1)[1].split("'", 1)[0]
            kind, _, edge = label.partition(":")
            if edge == "start":
                current, first = kind, True
                sections[kind] = {"total": 0, "roles": {}, "first": []}
            elif edge == "first":
                first = False
            else:
                current = None
            continue
        if current is None:
            continue
        role = who.search(line)
        role = role.group(1) if role else "?"
        section = sections[current]
        section["total"] += 1
        section["roles"][role] = section["roles"].get(role, 0) + 1
        if first:
            section["first"].append(f"{role}: {found.group(2).strip()}")
            captured = section["first"]
    for section in sections.values():
        section["per_request"] = section["total"] / n
        section["roles"] = {k: v / n for k, v in sorted(section["roles"].items())}
    return sections


# --- CPU -----------------------------------------------------------------------------------------

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(ppid, utime+stime+cutime+cstime in ms) of a live process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), sum(int(x) for x in fields[11:15]) * TICK_MS


def tree_cpu(root: int) -> float:
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            stats[int(entry)] = stat
    total, todo, seen = 0.0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo += [child for child, (ppid, _) in stats.items() if ppid == pid]
    return total


def backend_cpu(conn: psycopg.Connection, dbname: str) -> dict[int, float]:
    pids = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
        (dbname,),
    ).fetchall()
    return {pid: stat[1] for (pid,) in pids if (stat := _stat(pid)) is not None}


# --- wrk -----------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    args: argparse.Namespace,
    url: str,
    seconds: int,
    token: str | None = None,
    script: Path | None = None,
) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if token and script is None:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise fail(f"wrk failed on {url}:\n{out}\n{done.stderr}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "lua": "",
    }
    lua = re.search(r"BENCH_STATUS ok=(\d+) non2xx=(\d+) first=(.*)", out)
    if lua:
        result["non2xx"] = max(result["non2xx"], int(lua.group(2)))
        result["lua"] = lua.group(3).strip()
    return result


def measure(
    args: argparse.Namespace,
    checkout: Checkout,
    url: str,
    token: str | None = None,
    script: Path | None = None,
    between=None,
) -> dict:
    wrk(args, url, args.warmup, token, script)
    if between is not None:
        between()
    with maintenance() as conn:
        py0, pg0 = tree_cpu(checkout.server.pid), backend_cpu(conn, checkout.dbname)
        result = wrk(args, url, args.seconds, token, script)
        py1, pg1 = tree_cpu(checkout.server.pid), backend_cpu(conn, checkout.dbname)
    served = max(1, result["requests"])
    result["py_ms"] = (py1 - py0) / served
    result["pg_ms"] = sum(v - pg0.get(pid, 0.0) for pid, v in pg1.items()) / served
    return result


def patch_script(checkout: Checkout, tmp: Path, threads: int) -> Path:
    path = tmp / f"patch-{checkout.label}.lua"
    path.write_text(
        PATCH_LUA
        % {
            "ids": ", ".join(f'"{i}"' for i in checkout.targets),
            "prefix": checkout.path(MEMBERS) + "/",
            "threads": threads,
            "token": checkout.token,
        }
    )
    return path


def write_run(args: argparse.Namespace, c: Checkout, tmp: Path, audited: bool) -> None:
    """PATCH members under wrk with the audit trigger on or (for this run only) off."""
    print(f"{c.label}: wrk PATCH members, audit trigger {'on' if audited else 'off'} ...")
    script = patch_script(c, tmp, args.threads)
    url = f"http://127.0.0.1:{c.port}{c.path(MEMBERS)}"
    reactivate_members(c)
    if not audited:
        set_audit_trigger(c, False)
    try:
        # Each wrk run starts from every member active, as its lua script assumes.
        result = measure(args, c, url, script=script, between=lambda: reactivate_members(c))
    finally:
        set_audit_trigger(c, True)
    result["side"] = "audited" if audited else "unaudited"
    c.results["write_runs"].append(result)


# --- the report ----------------------------------------------------------------------------------


def report(args: argparse.Namespace, checkouts: list[Checkout]) -> int:
    two = len(checkouts) == 2
    print(
        f"wrk -t{args.threads} -c{args.connections}: {args.seconds:g} s per run after a "
        f"{args.warmup:g} s warm-up; {args.members + 1} members (pages of 50); "
        f"statements from {args.trace_requests} sequential requests after {args.trace_warmup} "
        f"warm-ups; audited write: {args.write_rounds} alternating round(s) each side; "
        f"{os.cpu_count()} CPUs shared by wrk, the server and PostgreSQL"
    )
    for c in checkouts:
        print(
            f"  {c.label}: {c.root} @ {c.revision}; serve args {c.serve_args or '-'}; "
            f"env {sorted(c.env) or '-'}; adapter {c.adapter}"
        )
    header = f"{'':44}" + "".join(f"{c.label:>14}" for c in checkouts)
    print("\n" + header + (f"{'cand/base':>12}" if two else ""))

    def row(label: str, values: list[float | None], fmt: str = "{:14.0f}") -> None:
        cells = "".join(fmt.format(v) if v is not None else f"{'-':>14}" for v in values)
        ratio = ""
        if two and all(v not in (None, 0) for v in values):
            ratio = f"{values[1] / values[0]:12.3f}"
        print(f"{label:44}{cells}{ratio}")

    errors = []
    for key, name in (
        ("members", "GET /v1/orgs/{org}/members"),
        ("select_one", "GET .../bench/select-one (SELECT 1)"),
        ("healthz", "GET /healthz"),
    ):
        res = [c.results[key] for c in checkouts]
        row(f"{name} req/s", [r["rps"] for r in res])
        row("  p50 ms", [r["p50"] for r in res], "{:14.2f}")
        row("  p99 ms", [r["p99"] for r in res], "{:14.2f}")
        row("  CPU ms/request, server (Python)", [r["py_ms"] for r in res], "{:14.3f}")
        row("  CPU ms/request, PostgreSQL backends", [r["pg_ms"] for r in res], "{:14.3f}")
        for c, r in zip(checkouts, res, strict=True):
            if r["non2xx"] or r["socket_errors"]:
                errors.append(f"{c.label} {name}: {r['non2xx']} non-2xx; {r['socket_errors']}")
    print()
    kinds = (
        ("members", "members"),
        ("select_one", "select-one"),
        ("patch", "PATCH member"),
        ("healthz", "healthz"),
    )
    for key, name in kinds:
        if any(key not in c.statements for c in checkouts):
            row(f"statements/request {name}", [None] * len(checkouts))
            continue
        row(
            f"statements/request {name}",
            [c.statements[key]["per_request"] for c in checkouts],
            "{:14.2f}",
        )
        roles = sorted({r for c in checkouts for r in c.statements[key]["roles"]})
        for role in roles:
            row(
                f"  as {role}",
                [c.statements[key]["roles"].get(role, 0.0) for c in checkouts],
                "{:14.2f}",
            )
    print()

    def side(c: Checkout, name: str, key: str) -> float:
        return statistics.median(r[key] for r in c.results["write_runs"] if r["side"] == name)

    if not all(c.results["write_runs"] for c in checkouts):  # --write-rounds 0
        print("audited write: not measured (--write-rounds 0)")
        return _finish(args, checkouts, kinds, errors)
    audited = [side(c, "audited", "rps") for c in checkouts]
    plain = [side(c, "unaudited", "rps") for c in checkouts]
    row("PATCH member req/s, audit trigger on", audited)
    row("PATCH member req/s, audit trigger off", plain)
    overhead = [p / a for p, a in zip(plain, audited, strict=True)]
    row("  audit overhead (off/on, target <= 1.10)", overhead, "{:14.3f}")
    for name, label in (("audited", "on"), ("unaudited", "off")):
        row(
            f"  CPU ms/write, server, trigger {label}",
            [side(c, name, "py_ms") for c in checkouts],
            "{:14.3f}",
        )
        row(
            f"  CPU ms/write, PostgreSQL, trigger {label}",
            [side(c, name, "pg_ms") for c in checkouts],
            "{:14.3f}",
        )
    for c in checkouts:
        runs = ", ".join(f"{r['side']} {r['rps']:.0f}" for r in c.results["write_runs"])
        print(f"  {c.label} write runs in order (req/s): {runs}")
    for c in checkouts:
        for r in c.results["write_runs"]:
            if r["non2xx"] or r["socket_errors"]:
                errors.append(
                    f"{c.label} PATCH ({r['side']}): {r['non2xx']} non-2xx of {r['requests']}; "
                    f"{r['socket_errors']} {r['lua']}"
                )
    return _finish(args, checkouts, kinds, errors)


def _finish(args: argparse.Namespace, checkouts: list[Checkout], kinds, errors: list[str]) -> int:
    if args.show_statements:
        for c in checkouts:
            for key, name in kinds:
                if key in c.statements:
                    print(f"\n{c.label}, one {name} request:")
                    for line in c.statements[key]["first"]:
                        print(f"  {' '.join(line.split())[:150]}")
    if errors:
        print("\nERRORS (these runs are not clean):")
        for line in errors:
            print(f"  {line}")
        return 1
    print("\nno errors: every response 2xx, no socket errors")
    return 0


# --- main ----------------------------------------------------------------------------------------


def parse_env(items: list[str]) -> dict[str, str]:
    env = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise fail(f"--*-env takes KEY=VALUE, not {item!r}")
        env[name] = value
    return env


def main() -> int:
    global REDIS_DB, REDIS_URL, PORTS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="repo root with its own .venv")
    parser.add_argument("--candidate", type=Path, help="repo root with its own .venv")
    parser.add_argument("--baseline-serve-args", default="", help="extra `restartix serve` args")
    parser.add_argument("--candidate-serve-args", default="", help="e.g. '--workers 2'")
    parser.add_argument("--baseline-env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--candidate-env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--trace-requests", type=int, default=20)
    parser.add_argument("--trace-warmup", type=int, default=10)
    parser.add_argument("--write-rounds", type=int, default=2)
    parser.add_argument("--show-statements", action="store_true", help="list one request's")
    parser.add_argument(
        "--no-analyze", action="store_true", help="leave the seeded tables without statistics"
    )
    parser.add_argument("--redis-db", type=int, default=12, help="Redis database to use")
    parser.add_argument("--ports", default="18100-18199", help="port range FIRST-LAST")
    args = parser.parse_args()
    REDIS_DB, REDIS_URL = args.redis_db, f"redis://127.0.0.1:6379/{args.redis_db}"
    first, _, last = args.ports.partition("-")
    PORTS = range(int(first), int(last or first) + 1)
    if shutil.which("wrk") is None:
        raise fail("wrk is not installed: apt-get install -y wrk")
    checkouts = []
    for label, root, serve_args, env in (
        ("baseline", args.baseline, args.baseline_serve_args, args.baseline_env),
        ("candidate", args.candidate, args.candidate_serve_args, args.candidate_env),
    ):
        if root is None:
            continue
        checkout = Checkout(label, root.resolve(), shlex.split(serve_args), parse_env(env))
        if not checkout.restartix.exists():
            raise fail(f"{checkout.restartix} is missing: make {root}/.venv first")
        checkouts.append(checkout)
    if not checkouts:
        raise fail("give --baseline DIR and/or --candidate DIR")
    if args.members < 2 * args.connections:
        print("note: fewer than 2 members per connection; concurrent writes may share rows")

    drop_leftovers()
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True)
    taken: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="restartix-bench-path-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "sitecustomize.py").write_text(SITECUSTOMIZE)
        (tmp / "restartix_bench_app.py").write_text(BENCH_APP)
        try:
            for c in checkouts:
                c.revision = subprocess.run(
                    ["git", "-C", str(c.root), "describe", "--always", "--dirty"],
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                c.port = free_port(taken)
                taken.add(c.port)
                print(f"{c.label}: building {DB_PREFIX}{os.getpid()}_{c.label} ...", flush=True)
                build(c, args.members, analyze=not args.no_analyze)
                print(f"{c.label}: counting statements per request ...", flush=True)
                trace_statements(c, tmp, args.trace_requests, args.trace_warmup)
                start_server(c, tmp)
                check_endpoints(c)
            for key, path, auth in (
                ("members", MEMBERS, True),
                ("select_one", SELECT_ONE, True),
                ("healthz", HEALTHZ, False),
            ):
                for c in checkouts:
                    print(f"{c.label}: wrk {key} ...", flush=True)
                    url = f"http://127.0.0.1:{c.port}{c.path(path)}"
                    c.results[key] = measure(args, c, url, c.token if auth else None)
            for c in checkouts:
                c.results["write_runs"] = []
            for rnd in range(args.write_rounds):
                sides = [True, False] if rnd % 2 == 0 else [False, True]
                for c in checkouts:
                    for audited in sides:
                        write_run(args, c, tmp, audited)
        finally:
            for c in checkouts:
                stop_server(c)
                if c.dbname:
                    drop_database(c.dbname)
    print()
    return report(args, checkouts)


if __name__ == "__main__":
    sys.exit(main())
