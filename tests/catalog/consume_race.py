"""Many consumers racing for the sessions of one enrollment, each as the API runs a request:
its own connection of the request pool, its own transaction opened by `iam.begin_request`
(the catalogued query), then `catalog.consume_session` (the catalogued query) and COMMIT.
Shared by the concurrency test and `bench/catalog_consume.py`."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import psycopg

from app.db.queries import catalogue

CATALOG = catalogue("catalog")
IAM = catalogue("iam")


@dataclass
class Race:
    outcomes: Counter
    sessions_used: int
    ledger_rows: int
    consumed_events: int
    exhausted_events: int
    seconds: float


def prepare(owner_url: str, sessions: int, slug: str = "race-clinic") -> tuple[str, str, str]:
    """A clinic, a receptionist, a patient enrolled in a pack of `sessions`: (org, desk,
    enrollment)."""
    with psycopg.connect(owner_url, autocommit=True) as conn:
        org = conn.execute("SELECT tests.create_org(%s)", (slug,)).fetchone()[0]
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        desk = conn.execute("SELECT tests.create_human(%s)", (f"desk@{slug}.test",)).fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'receptionist')", (org, desk))
        owner = conn.execute("SELECT tests.create_human(%s)", (f"owner@{slug}.test",)).fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, owner))
        with conn.transaction():
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            plan = conn.execute(
                "SELECT catalog.create_plan('session_pack', %s::jsonb)",
                (
                    '{"name": "Pack", "price_amount": 100000, "currency": "RON",'
                    f' "sessions_total": {int(sessions)}, "validity_days": 365}}',
                ),
            ).fetchone()[0]
            patient = conn.execute("SELECT people.create_patient('Ana', 'Pop')").fetchone()[0]
            enrollment = conn.execute(
                "SELECT catalog.enroll_patient(%s, %s)", (patient, plan)
            ).fetchone()[0]
    return str(org), str(desk), str(enrollment)


def race(
    app_url: str, owner_url: str, org: str, desk: str, enrollment: str, consumers: int
) -> Race:
    """`consumers` threads, connected first, released together by a barrier; each uses one
    session for its own appointment. Outcomes: `consumed` or the error code."""
    outcomes: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(consumers + 1)

    def consumer() -> None:
        with psycopg.connect(app_url) as conn:
            barrier.wait()
            try:
                with conn.transaction():
                    conn.execute(
                        IAM.begin_request.sql,
                        {
                            "principal": desk,
                            "org": org,
                            "request_id": f"race-{uuid.uuid4()}",
                            "ip": "127.0.0.1",
                            "agent": "race",
                            "requires": "plans.enroll",
                            "route": None,
                        },
                    )
                    conn.execute(
                        CATALOG.enrollment_consume.sql,
                        {"id": enrollment, "appointment": str(uuid.uuid4())},
                    ).fetchone()
                outcome = "consumed"
            except psycopg.Error as exc:
                outcome = exc.diag.message_primary or type(exc).__name__
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=consumer) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    with psycopg.connect(owner_url) as conn:
        used, rows = conn.execute(
            "SELECT e.sessions_used, (SELECT count(*) FROM catalog.plan_consumptions AS c"
            " WHERE c.patient_service_plan_id = e.id)"
            " FROM catalog.patient_service_plans AS e WHERE e.id = %s",
            (enrollment,),
        ).fetchone()
        events = dict(
            conn.execute(
                "SELECT type, count(*) FROM events.outbox WHERE organization_id = %s"
                " AND type IN ('patient_plan.consumed', 'patient_plan.exhausted') GROUP BY type",
                (org,),
            ).fetchall()
        )
    return Race(
        outcomes,
        used,
        rows,
        events.get("patient_plan.consumed", 0),
        events.get("patient_plan.exhausted", 0),
        seconds,
    )
