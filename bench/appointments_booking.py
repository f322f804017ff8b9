"""Booking under contention, on a scratch database built from the migrations.

1. Same slot: C concurrent clients (threads) book the same slot of a one-specialist calendar
   through a connection pool of P (the API's pool bounds connections the same way; the
   server allows 100 and other work shares it), released together by a barrier; repeated R
   times on fresh slots. Exactly one booking per repetition, the rest `slot_taken`.
2. Same slot, three specialists on a round-robin calendar: exactly three per repetition.
3. Distinct slots: 8 clients book N distinct slots (each its own specialist-and-start) as
   fast as they can; bookings per second.

Each booking is `appointments.book` in its own transaction acting as an owner through the
request pool role (`SET ROLE restartix_app` and the session settings the API sets).

    .venv/bin/python bench/appointments_booking.py [--clients 100] [--pool 20] [--reps 20]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg_pool import ConnectionPool

from app.db.paths import TEST_HELPERS
from bench._db import scratch_database

SPECIALISTS = 16


def setup(url: str) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        for path in sorted(TEST_HELPERS.glob("*.sql")):
            conn.execute(path.read_text())
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT tests.create_org('bench')").fetchone()[0]
        # Sixteen specialists: beyond the free tier's limit.
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        owner = conn.execute("SELECT tests.create_human('owner@bench.test')").fetchone()[0]
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
            for n in range(SPECIALISTS)
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
            return cal

        one = calendar("one", specialists[:1])
        three = calendar("three", specialists[1:4])
        solo = [calendar(f"solo-{i}", [sp]) for i, sp in enumerate(specialists[4:12])]
        patient = conn.execute("SELECT people.create_patient('Ion', 'Pop')").fetchone()[0]
        conn.execute("SELECT tests.clear_authentication()")

        def slots(cal: str, days: int) -> list:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT slot_start FROM scheduling.availability("
                    "%s, current_date + 2, current_date + %s, NULL) ORDER BY 1",
                    (cal, 1 + days),
                )
            ]

        found = {
            "org": org,
            "owner": owner,
            "patient": patient,
            "one": (one, slots(one, 10)),
            "three": (three, slots(three, 10)),
            "solo": [(c, slots(c, 30)) for c in solo],
        }
        conn.commit()
    return found


def book(pool: ConnectionPool, w: dict, cal: str, start) -> str:
    with pool.connection() as conn:
        try:
            with conn.transaction():
                conn.execute("SELECT tests.authenticate_as(%s, %s)", (w["owner"], w["org"]))
                conn.execute("SELECT appointments.book(%s, %s, %s)", (cal, w["patient"], start))
                conn.execute("RESET ROLE")
            return "booked"
        except psycopg.errors.RaiseException as exc:
            return exc.diag.message_primary or "?"


def race(pool: ConnectionPool, w: dict, cal: str, start, clients: int) -> Counter:
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        barrier.wait()
        outcome = book(pool, w, cal, start)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--pool", type=int, default=20)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--distinct", type=int, default=800)
    args = parser.parse_args()
    with scratch_database() as db:
        w = setup(db.owner_url)
        with ConnectionPool(
            db.owner_url, min_size=args.pool, max_size=args.pool, open=True
        ) as pool:
            for name, want in (("one", 1), ("three", 3)):
                cal, starts = w[name]
                results = [race(pool, w, cal, starts[i], args.clients) for i in range(args.reps)]
                exact = sum(
                    r == {"booked": want, "slot_taken": args.clients - want} for r in results
                )
                print(
                    f"same slot, {name}-specialist calendar: {args.clients} clients,"
                    f" pool {args.pool}: exactly {want} booked and {args.clients - want}"
                    f" slot_taken in {exact}/{args.reps}"
                    f" repetitions; totals {dict(sum(results, Counter()))}"
                )
            work = [(cal, s) for cal, starts in w["solo"] for s in starts]
            work = work[: args.distinct]
            queue = list(work)
            lock = threading.Lock()
            outcomes: list[str] = []

            def worker() -> None:
                while True:
                    with lock:
                        if not queue:
                            return
                        cal, start = queue.pop()
                    outcome = book(pool, w, cal, start)
                    with lock:
                        outcomes.append(outcome)

            t0 = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            print(
                f"distinct slots: 8 clients booked {Counter(outcomes)} of {len(work)} in"
                f" {elapsed:.2f} s = {len(work) / elapsed:.0f} bookings/s"
            )


if __name__ == "__main__":
    main()
