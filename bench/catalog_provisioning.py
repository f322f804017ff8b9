"""The provisioning hook at the scale of a tier-wide rollover: one patient tier with INCLUSIONS
included plans, SUBSCRIBERS patients subscribed to it, every period ending at once.

Run: .venv/bin/python bench/catalog_provisioning.py [SUBSCRIBERS] [INCLUSIONS]
Defaults 10000 subscribers, 5 inclusions. The tier is the clinic's default, so each patient
created is subscribed and provisioned (the "subscribe" figure, per patient, includes creating
the patient). Then the clock moves one month and `people.roll_subscription_periods` rolls every
subscription in batches of 1000 (what the worker task does), committed: the hook writes the
new period's SUBSCRIBERS x INCLUSIONS enrollments and their events. A second rollover must
write nothing (idempotence).
"""

from __future__ import annotations

import sys
import time

import psycopg
from _db import scratch_database

from tests import databases

SIDE = "SELECT (SELECT count(*) FROM audit.audit_log), (SELECT count(*) FROM events.outbox)"


def run(db, subscribers: int, inclusions: int) -> None:
    with psycopg.connect(db.owner_url, autocommit=True) as conn:
        org = conn.execute("SELECT tests.create_org('bench-prov')").fetchone()[0]
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        owner = conn.execute("SELECT tests.create_human('owner@bench-prov.test')").fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, owner))
        with conn.transaction():
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            plans = [
                conn.execute(
                    "SELECT catalog.create_plan('session_pack', %s::jsonb)",
                    (
                        f'{{"name": "Pack {i}", "price_amount": 100, "currency": "RON",'
                        ' "sessions_total": 4, "validity_days": 30}',
                    ),
                ).fetchone()[0]
                for i in range(inclusions)
            ]
            tier = conn.execute(
                "SELECT billing.save_patient_tier(NULL, 'gold', 'Gold', '', '{}', '{}', true)"
            ).fetchone()[0]
            body = ",".join(f'{{"service_plan_id": "{p}"}}' for p in plans)
            conn.execute("SELECT catalog.set_tier_inclusions(%s, %s::jsonb)", (tier, f"[{body}]"))
        started = time.perf_counter()
        with conn.transaction():
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            conn.execute(
                "SELECT people.create_patient('P' || i, 'Bench') FROM generate_series(1, %s) AS i",
                (subscribers,),
            )
        seconds = time.perf_counter() - started
        granted = conn.execute("SELECT count(*) FROM catalog.patient_service_plans").fetchone()[0]
        print(
            f"subscribe: {subscribers} patients created on the tier, {granted} enrollments granted"
            f" in {seconds:.1f} s ({subscribers / seconds:,.0f} patients/s)"
        )

        later = "SELECT tests.freeze_time(now() + interval '1 month' + interval '1 minute')"
        for label in ("rollover", "rollover again"):
            before = conn.execute("SELECT count(*) FROM catalog.patient_service_plans").fetchone()[
                0
            ]
            side = conn.execute(SIDE).fetchone()
            started = time.perf_counter()
            rolled = 0
            with conn.transaction():
                conn.execute(later)  # for this transaction only
                while True:
                    n = conn.execute("SELECT people.roll_subscription_periods(1000)").fetchone()[0]
                    rolled += n
                    if n < 1000:
                        break
            seconds = time.perf_counter() - started
            after = conn.execute("SELECT count(*) FROM catalog.patient_service_plans").fetchone()[0]
            written = (after - before) + rolled
            audit, outbox = (
                x - y for x, y in zip(conn.execute(SIDE).fetchone(), side, strict=True)
            )
            print(
                f"{label}: {rolled} subscriptions rolled, {after - before} enrollments granted,"
                f" {seconds:.2f} s; {written / seconds:,.0f} rows written/s"
                f" ({(after - before) / seconds:,.0f} enrollments/s); with the {audit} audit rows"
                f" and {outbox} events, {(written + audit + outbox) / seconds:,.0f} rows/s"
            )


def main() -> None:
    subscribers = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    inclusions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with scratch_database() as base:
        db = databases.build_template(base)
        try:
            run(db, subscribers, inclusions)
        finally:
            databases.drop(db)


if __name__ == "__main__":
    main()
