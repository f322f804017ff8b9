# ruff: noqa: E501 (SQL text and report lines read better unbroken)
"""Availability of a calendar: 30 days of a round-robin calendar of 10 specialists.

Run: .venv/bin/python bench/scheduling_availability.py [--runs 60] [--redis-db 4]

Builds a scratch database from the migrations and seeds one clinic: a 60-minute service,
10 specialists with weekly hours (Mon-Fri 08:00-12:00 and 13:00-18:00, Europe/Bucharest),
20 date overrides (10 days off, 10 replacement days), 1,000 active appointments inside the
30-day window (random free grid slots) and 50 live holds (passed as the `holds` parameter).
Measured:
  - SQL: `scheduling.availability(...)` for the 30 days, p50/p95 over --runs calls (after 5
    warm-up calls), on a direct connection as the owner;
  - the same for a 1-specialist calendar of the same clinic (the ratio);
  - growth: 9,000 more appointments outside the window (4,500 done in the past, 4,500
    confirmed 60+ days ahead: 10,000 in all), then the 10-specialist figure again;
  - API: `GET /v1/public/calendars/{id}/availability` for the 30 days through the app in
    process (Litestar's TestClient: routing, the system pool, Redis holds, JSON), p50/p95.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
from _db import scratch_database

BUC = ZoneInfo("Europe/Bucharest")
FIRST = date(2027, 3, 1)
DAYS = 30


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def seed(conn: psycopg.Connection, rng: random.Random) -> tuple[str, str, list[str], str]:
    org = conn.execute("select gen_random_uuid()").fetchone()[0]
    conn.execute(
        "insert into tenancy.organizations (id, slug, name) values (%s, 'bench', 'Bench')", (org,)
    )
    service = conn.execute(
        "insert into catalog.services (organization_id, name, duration_minutes, currency)"
        " values (%s, 'Physio', 60, 'RON') returning id",
        (org,),
    ).fetchone()[0]
    big = conn.execute(
        "insert into scheduling.calendars (organization_id, name, slug, service_id, timezone, public)"
        " values (%s, 'Ten', 'ten', %s, 'Europe/Bucharest', true) returning id",
        (org, service),
    ).fetchone()[0]
    small = conn.execute(
        "insert into scheduling.calendars (organization_id, name, slug, service_id, timezone, public)"
        " values (%s, 'One', 'one', %s, 'Europe/Bucharest', true) returning id",
        (org, service),
    ).fetchone()[0]
    specialists = []
    for n in range(10):
        sp = conn.execute(
            "insert into people.specialists (organization_id, display_name, scheduling_active)"
            " values (%s, %s, true) returning id",
            (org, f"Dr {n}"),
        ).fetchone()[0]
        specialists.append(sp)
        conn.execute(
            "insert into scheduling.calendar_specialists (calendar_id, organization_id, specialist_id, priority)"
            " values (%s, %s, %s, %s)",
            (big, org, sp, n + 1),
        )
        for w in range(1, 6):
            for s, e in (("08:00", "12:00"), ("13:00", "18:00")):
                conn.execute(
                    "insert into scheduling.specialist_weekly_hours (organization_id, specialist_id,"
                    " weekday, start_time, end_time) values (%s, %s, %s, %s, %s)",
                    (org, sp, w, s, e),
                )
    conn.execute(
        "insert into scheduling.calendar_specialists (calendar_id, organization_id, specialist_id)"
        " values (%s, %s, %s)",
        (small, org, specialists[0]),
    )
    days = rng.sample(range(DAYS), 20)
    for i, d in enumerate(days):
        conn.execute(
            "insert into scheduling.specialist_schedule_overrides (organization_id, specialist_id,"
            " override_date, unavailable, intervals) values (%s, %s, %s, %s, %s)",
            (
                org,
                specialists[i % 10],
                FIRST + timedelta(days=d),
                i < 10,
                "[]" if i < 10 else '[{"start": "10:00", "end": "15:00"}]',
            ),
        )
    profile = conn.execute(
        "insert into people.patient_profiles (first_name, last_name) values ('Ion', 'Pop') returning id"
    ).fetchone()[0]
    patient = conn.execute(
        "insert into people.patients (organization_id, patient_profile_id) values (%s, %s) returning id",
        (org, profile),
    ).fetchone()[0]
    grid = [
        (sp, datetime(d.year, d.month, d.day, h, tzinfo=BUC))
        for sp in specialists
        for d in (FIRST + timedelta(days=i) for i in range(DAYS))
        if d.isoweekday() <= 5
        for h in (8, 9, 10, 11, 13, 14, 15, 16, 17)
    ]
    booked = rng.sample(grid, 1000)
    free = [g for g in grid if g not in set(booked)]
    for sp, t in booked:
        conn.execute(
            "insert into appointments.appointments (organization_id, calendar_id, service_id,"
            " specialist_id, patient_id, period, status) values (%s, %s, %s, %s, %s, tstzrange(%s, %s), 'confirmed')",
            (org, big, service, sp, patient, t, t + timedelta(hours=1)),
        )
    held = rng.sample(free, 50)
    holds = json.dumps(
        [
            {
                "specialist_id": str(sp),
                "start": t.isoformat(),
                "end": (t + timedelta(hours=1)).isoformat(),
            }
            for sp, t in held
        ]
    )
    conn.commit()
    return org, str(big), str(small), holds, service, patient, specialists


def measure(
    conn: psycopg.Connection, calendar: str, holds: str, runs: int
) -> tuple[float, float, int]:
    sql = "select count(*) from scheduling.availability(%s, %s, %s, 'Europe/Bucharest', %s)"
    last = FIRST + timedelta(days=DAYS - 1)
    for _ in range(5):
        conn.execute(sql, (calendar, FIRST, last, holds)).fetchone()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        n = conn.execute(sql, (calendar, FIRST, last, holds)).fetchone()[0]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), pct(times, 95), n


def grow(conn, org, big, service, patient, specialists, rng) -> None:
    for i in range(9000):
        sp = specialists[i % 10]
        # History and the far future: outside the measured window, as a clinic's table grows.
        offset = -1 - i // 10 if i % 2 else 60 + i // 10
        t = datetime(FIRST.year, FIRST.month, FIRST.day, 8 + (i // 10) % 9, tzinfo=BUC) + timedelta(
            days=offset
        )
        conn.execute(
            "insert into appointments.appointments (organization_id, calendar_id, service_id,"
            " specialist_id, patient_id, period, status) values (%s, %s, %s, %s, %s, tstzrange(%s, %s), %s)",
            (
                org,
                big,
                service,
                sp,
                patient,
                t,
                t + timedelta(minutes=30),
                "done" if offset < 0 else "confirmed",
            ),
        )
    conn.execute("analyze appointments.appointments")
    conn.commit()


def through_api(db, calendar: str, runs: int, redis_db: int) -> tuple[float, float]:
    from litestar.testing import TestClient

    from app.api.main import create_app
    from tests.api_client import api_settings

    app = create_app(api_settings(db, redis_db))
    times = []
    params = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=DAYS - 1)).isoformat()}
    with TestClient(app) as client:
        for _ in range(5):
            assert (
                client.get(
                    f"/v1/public/calendars/{calendar}/availability", params=params
                ).status_code
                == 200
            )
        for _ in range(runs):
            t0 = time.perf_counter()
            r = client.get(f"/v1/public/calendars/{calendar}/availability", params=params)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
    return statistics.median(times), pct(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--redis-db", type=int, default=4)
    args = parser.parse_args()
    import os

    os.environ.setdefault("RATE_LIMIT_PUBLIC", "100000/minute")
    rng = random.Random(21)
    with scratch_database() as db, psycopg.connect(db.owner_url) as conn:
        org, big, small, holds, service, patient, specialists = seed(conn, rng)
        # As autovacuum would: with statistics the plan (and its cost estimate) is the one
        # production runs, not the no-statistics guess of a freshly filled table.
        conn.execute("analyze")
        conn.commit()
        p50, p95, n = measure(conn, big, holds, args.runs)
        print(
            f"SQL, 10 specialists, 30 days, 1,000 appointments, 50 holds: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({n} slots)"
        )
        s50, s95, sn = measure(conn, small, "[]", args.runs)
        print(
            f"SQL, 1 specialist: p50 {s50:.1f} ms, p95 {s95:.1f} ms ({sn} slots); ratio of p50 {p50 / s50:.1f}x"
        )
        a50, a95 = through_api(db, big, args.runs, args.redis_db)
        print(f"API (public, in process, no holds in Redis): p50 {a50:.1f} ms, p95 {a95:.1f} ms")
        grow(conn, org, big, service, patient, specialists, rng)
        g50, g95, gn = measure(conn, big, holds, args.runs)
        print(f"SQL with 10,000 appointments: p50 {g50:.1f} ms, p95 {g95:.1f} ms ({gn} slots)")


if __name__ == "__main__":
    main()
