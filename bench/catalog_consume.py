"""`catalog.consume_session` under contention: many consumers on one enrollment.

Run: .venv/bin/python bench/catalog_consume.py [CONSUMERS] [SESSIONS] [ROUNDS]
Defaults 50 consumers, 20 sessions, 5 rounds. Each consumer is a request-pool connection
that opens its transaction with `iam.begin_request` and calls `catalog.consume_session` for
its own appointment, all released together. Prints, per round, how many succeeded (must be
exactly SESSIONS) and the rate of consumption attempts answered per second, then a
sequential baseline: one connection using the sessions of a large pack one after another.
"""

from __future__ import annotations

import sys
import time
import uuid

import psycopg
from _db import scratch_database

from tests import databases
from tests.catalog.consume_race import CATALOG, IAM, prepare, race


def sequential(db, sessions: int) -> float:
    org, desk, enrollment = prepare(db.owner_url, sessions=sessions, slug="bench-seq")
    with psycopg.connect(db.app_url) as conn:
        started = time.perf_counter()
        for _ in range(sessions):
            with conn.transaction():
                conn.execute(
                    IAM.begin_request.sql,
                    {
                        "principal": desk,
                        "org": org,
                        "request_id": f"bench-{uuid.uuid4()}",
                        "ip": "127.0.0.1",
                        "agent": "bench",
                        "requires": "plans.enroll",
                        "route": None,
                    },
                )
                conn.execute(
                    CATALOG.enrollment_consume.sql,
                    {"id": enrollment, "appointment": str(uuid.uuid4())},
                ).fetchone()
        return sessions / (time.perf_counter() - started)


LOOP = """
DO $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 1..%(n)s LOOP
        PERFORM * FROM catalog.consume_session('%(enrollment)s', gen_random_uuid());
    END LOOP;
    RAISE NOTICE '%%', extract(epoch FROM clock_timestamp() - t0) * 1e6 / %(n)s;
END $$;
"""


def server_side(db, sessions: int) -> float:
    """µs per call of the function alone: a loop inside one transaction, nothing committed."""
    org, desk, enrollment = prepare(db.owner_url, sessions=sessions, slug="bench-loop")
    notices: list[str] = []
    with psycopg.connect(db.owner_url) as conn:
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (desk, org))
        conn.execute(LOOP % {"n": int(sessions), "enrollment": enrollment})
        conn.rollback()
    return float(notices[-1])


def main() -> None:
    consumers = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with scratch_database() as base:
        # The clinic is set up with the test helpers (tests.create_org, ...).
        db = databases.build_template(base)
        try:
            run(db, consumers, sessions, rounds)
        finally:
            databases.drop(db)


def run(db, consumers: int, sessions: int, rounds: int) -> None:
    if True:
        print(f"{consumers} concurrent consumers, one enrollment of {sessions} sessions")
        for i in range(rounds):
            org, desk, enrollment = prepare(db.owner_url, sessions=sessions, slug=f"bench-{i}")
            result = race(db.app_url, db.owner_url, org, desk, enrollment, consumers)
            succeeded = result.outcomes.get("consumed", 0)
            verdict = "ok" if succeeded == sessions == result.sessions_used else "WRONG"
            print(
                f"  round {i + 1}: {succeeded} succeeded, {dict(result.outcomes)}, "
                f"used {result.sessions_used}, ledger {result.ledger_rows} [{verdict}]; "
                f"{consumers / result.seconds:,.0f} attempts/s, "
                f"{succeeded / result.seconds:,.0f} consumptions/s ({result.seconds * 1000:.0f} ms)"
            )
        rate = sequential(db, 1000)
        print(f"sequential: 1000 sessions of one pack, a commit each, {rate:,.0f} consumptions/s")
        print(f"in the server: {server_side(db, 1000):,.0f} µs per consume_session, no commit")


if __name__ == "__main__":
    main()
