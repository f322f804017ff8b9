"""What break-glass costs on the request path: iam.begin_request and people.member_holds as
they are now against the versions before break-glass, in one scratch database, one run.

Run: .venv/bin/python bench/break_glass_path.py [--calls 5000] [--rounds 7]

The bench builds a scratch database from the migrations, seeds one clinic with a receptionist
(a member holding patients.read) and a support staff member with an open grant on it, and
installs the functions as they were before break-glass under other names
(`iam.begin_request_before`, `people.member_holds_before`, from the commit given by
`--before`). Each round times, inside one transaction per variant, N calls of each function
with `clock_timestamp()`; variants alternate within a round so both see the same machine. It
prints the median microseconds per call over the rounds for:

  - begin_request, member path (the receptionist, patients.read): before / now
  - begin_request, staff under a grant (support, patients.read; writes one audit row): now
  - member_holds('patients.read') for the receptionist: before / now

No extra statement or round trip is added to any request by construction (the grant lookup
and its audit row run inside iam.begin_request, already one call); this measures the
in-database time of that call.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
from pathlib import Path

import psycopg
from _db import scratch_database

ROOT = Path(__file__).resolve().parents[1]


def _before(commit: str, path: str, name: str, renamed: str) -> str:
    """One function's definition at an older commit, renamed, without grants or comments."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(
        rf"CREATE OR REPLACE FUNCTION {re.escape(name)}\(.*?\n\$\$;\n", text, flags=re.DOTALL
    )
    if match is None:
        raise SystemExit(f"{name} not found in {path} at {commit}")
    return match.group(0).replace(name + "(", renamed + "(", 1)


def _time(conn: psycopg.Connection, call: str, calls: int) -> float:
    """Microseconds per call of `call`, N times in one transaction (rolled back)."""
    with conn.transaction(force_rollback=True):
        conn.execute(
            f"""
            DO $$
            DECLARE t0 timestamptz := clock_timestamp();
            BEGIN
                FOR i IN 1..{calls} LOOP PERFORM {call}; END LOOP;
                PERFORM set_config('bench.elapsed',
                    (extract(epoch FROM clock_timestamp() - t0) * 1e6 / {calls})::text, true);
            END $$
            """
        )
        row = conn.execute("SELECT current_setting('bench.elapsed')::float8").fetchone()
    return row[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", default="main", help="commit with the functions before")
    args = parser.parse_args()

    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as conn:
        conn.execute(
            _before(
                args.before,
                "db/functions/iam/request.sql",
                "iam.begin_request",
                "iam.begin_request_before",
            )
        )
        conn.execute(
            _before(
                args.before,
                "db/functions/people/10_access.sql",
                "people.member_holds",
                "people.member_holds_before",
            )
        )
        org = conn.execute(
            "INSERT INTO tenancy.organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id"
        ).fetchone()[0]
        people = {}
        for email in ("desk@bench.test", "support@platform.test"):
            principal = conn.execute(
                "INSERT INTO iam.principals (kind) VALUES ('human') RETURNING id"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)"
                " VALUES (%s, %s, %s, 'x')",
                (principal, "bench|" + email, email),
            )
            people[email] = principal
        desk, support = people["desk@bench.test"], people["support@platform.test"]
        conn.execute(
            "INSERT INTO tenancy.organization_memberships"
            " (organization_id, principal_id, role_id, status, accepted_at)"
            " SELECT %s, %s, id, 'active', now() FROM iam.roles"
            " WHERE code = 'receptionist' AND organization_id IS NULL",
            (org, desk),
        )
        conn.execute(
            "INSERT INTO iam.platform_memberships (principal_id, role) VALUES (%s, 'support')",
            (support,),
        )
        conn.execute(
            "INSERT INTO iam.break_glass_grants"
            " (principal_id, organization_id, reason, opened_by, expires_at)"
            " VALUES (%s, %s, 'bench: a grant for the staff path', %s, now() + interval '4 hours')",
            (support, org, support),
        )

        def req(fn: str, who: str, route: bool) -> str:
            extra = ", 'GET /bench'" if route else ""
            return f"{fn}('{who}', '{org}', 'bench', '10.0.0.1', 'bench', 'patients.read'{extra})"

        def holds(fn: str, who: str) -> str:
            return (
                f"set_config('app.current_principal_id', '{who}', true),"
                f" set_config('app.current_org_id', '{org}', true), {fn}('patients.read')"
            )

        variants = {
            "begin_request, member, before": req("iam.begin_request_before", desk, False),
            "begin_request, member, now": req("iam.begin_request", desk, True),
            "begin_request, staff under a grant, now": req("iam.begin_request", support, True),
            "member_holds, member, before": holds("people.member_holds_before", desk),
            "member_holds, member, now": holds("people.member_holds", desk),
        }
        # Warm the plan caches of this backend.
        for call in variants.values():
            _time(conn, call, 200)
        results: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.rounds):
            for name, call in variants.items():
                results[name].append(_time(conn, call, args.calls))
        width = max(map(len, results))
        print(f"{'variant':<{width}}  median µs/call  (min, max over {args.rounds} rounds)")
        for name, values in results.items():
            print(
                f"{name:<{width}}  {statistics.median(values):14.1f}"
                f"  ({min(values):.1f}, {max(values):.1f})"
            )


if __name__ == "__main__":
    main()
