"""Metering: usage events/s from concurrent writers with idempotency keys, and the cost of a
quota check on a small table and at 10 million usage rows (constant time through the rollups).

Run: .venv/bin/python bench/metering.py [ROWS] [SECONDS]
Builds a scratch database from the migrations. Writers are threads with their own system-pool
connections calling metering.record_usage (one transaction per report, every tenth report a
retry of the previous key), each on its own organization or all on one (one quota lock), with
durable commits and with synchronous_commit off. The quota check is timed in the server (the
best of three loops of N calls, so no round trip is counted) before and after ROWS events
(default 10,000,000) are loaded with INSERT ... SELECT generate_series straight into the
monthly partitions, with their idempotency keys and matching rollups; the plan of the rollup
read is shown at both sizes, and a naive sum over the events is timed for contrast. Takes
about five minutes on a 2-core machine.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from datetime import UTC, datetime

import psycopg
from _db import scratch_database

ORGS = 200
WRITERS = 8
CHECKS = 20_000
LIMIT = 10**12

QUOTA_LOOP = """
CREATE FUNCTION pg_temp.quota_loop(p_org uuid, p_n integer, p_enforce boolean) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    v_start timestamptz;
    v bigint;
BEGIN
    PERFORM set_config('app.current_org_id', p_org::text, true);
    v_start := clock_timestamp();
    FOR i IN 1..p_n LOOP
        IF p_enforce THEN
            PERFORM billing.enforce_limit('emails.sent', 1);
        ELSE
            v := billing.limit_usage(p_org, 'emails.sent');
        END IF;
    END LOOP;
    RETURN extract(epoch FROM clock_timestamp() - v_start) * 1e6 / p_n;
END $$
"""

NAIVE = """
SELECT sum(quantity) FROM metering.usage_events
WHERE organization_id = %(org)s AND meter = 'emails_sent'
  AND occurred_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
"""

ROLLUP_READ = """
SELECT r.quantity FROM metering.usage_rollups AS r
WHERE r.organization_id = %(org)s AND r.meter = 'emails_sent'
  AND r.period_start = metering.period_start(now())
"""


def setup(owner: psycopg.Connection) -> list[str]:
    """ORGS organizations, each allowed LIMIT emails a month (so every report is checked)."""
    orgs = [
        str(r[0])
        for r in owner.execute(
            "INSERT INTO tenancy.organizations (slug, name)"
            " SELECT 'bench-' || g, 'Bench ' || g FROM generate_series(1, %s) AS g RETURNING id",
            (ORGS,),
        )
    ]
    for org in orgs:
        owner.execute(
            "SELECT billing.grant_override(%s, NULL, 'emails.sent', NULL, %s, 'benchmark')",
            (org, LIMIT),
        )
    return orgs


def writers(
    url: str, orgs: list[str], seconds: float, label: str, durable: bool
) -> tuple[float, int, int]:
    """Concurrent recorders for `seconds`; returns (reports/s, stored, duplicates).

    `durable` False turns synchronous_commit off for the reports: the server's CPU ceiling,
    without waiting for the WAL flush of each commit (which a real reporter must wait for).
    """
    commit_mode = "on" if durable else "off"
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(WRITERS)
    counts: list[tuple[int, int]] = []
    lock = threading.Lock()

    def run(slot: int) -> None:
        stored = duplicates = 0
        org = orgs[slot % len(orgs)]
        with psycopg.connect(url) as conn:
            conn.execute("SELECT 1")
            conn.commit()
            barrier.wait()
            n = 0
            key, at = "", datetime.now(UTC)
            while time.monotonic() < stop:
                n += 1
                # Every tenth report is a retry of the one before: same key, same usage.
                if n % 10:
                    key, at = f"{label}-{slot}-{n}", datetime.now(UTC)
                with conn.transaction():
                    conn.execute(
                        "SELECT set_config('app.current_org_id', %s, true),"
                        " set_config('synchronous_commit', %s, true)",
                        (org, commit_mode),
                    )
                    (duplicate,) = conn.execute(
                        "SELECT duplicate FROM metering.record_usage('emails_sent', 1, %s, %s)",
                        (at, key),
                    ).fetchone()
                if duplicate:
                    duplicates += 1
                else:
                    stored += 1
        with lock:
            counts.append((stored, duplicates))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    stored = sum(c[0] for c in counts)
    duplicates = sum(c[1] for c in counts)
    return (stored + duplicates) / elapsed, stored, duplicates


def run_writers(url: str, orgs: list[str], seconds: float, label: str) -> None:
    for durable in (True, False):
        mode = "durable commits" if durable else "synchronous_commit off"
        for spread in (True, False):
            targets = orgs[:WRITERS] if spread else orgs[:1]
            tag = f"{len(label)}-{durable:d}-{spread:d}-{time.monotonic_ns()}"
            rate, stored, dups = writers(url, targets, seconds, tag, durable)
            where = "one org each" if spread else "one org (one quota lock)"
            print(
                f"  {label}, {mode}, {where}: {rate:,.0f} reports/s "
                f"({stored:,} stored, {dups:,} duplicates)",
                flush=True,
            )


def commit_latency(url: str, runs: int = 50) -> float:
    """Milliseconds of one small committed write (the WAL flush dominates)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE bench_commit (n integer)")
        conn.execute("CREATE TABLE IF NOT EXISTS public.bench_commit (n integer)")
        started = time.perf_counter()
        for n in range(runs):
            conn.execute("INSERT INTO public.bench_commit VALUES (%s)", (n,))
        took = (time.perf_counter() - started) * 1000 / runs
        conn.execute("DROP TABLE public.bench_commit")
    return took


def quota_check(owner: psycopg.Connection, org: str, rounds: int = 3) -> tuple[float, float]:
    """Server-side µs per call, the best of `rounds` loops of CHECKS calls (the machine may be
    busy): limit_usage (the rollup read) and the whole enforce_limit."""
    reads, enforces = [], []
    with owner.transaction():
        owner.execute(QUOTA_LOOP)
        for _ in range(rounds):
            reads.append(
                owner.execute("SELECT pg_temp.quota_loop(%s, %s, false)", (org, CHECKS)).fetchone()
            )
            enforces.append(
                owner.execute("SELECT pg_temp.quota_loop(%s, %s, true)", (org, CHECKS)).fetchone()
            )
        owner.execute("DROP FUNCTION pg_temp.quota_loop(uuid, integer, boolean)")
    return min(r[0] for r in reads), min(e[0] for e in enforces)


def timed_ms(owner: psycopg.Connection, query: str, org: str, runs: int = 20) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        owner.execute(query, {"org": org}).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def plan_of(owner: psycopg.Connection, query: str, org: str) -> str:
    rows = owner.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + query, {"org": org})
    return "\n".join("    " + r[0] for r in rows)


def load(owner: psycopg.Connection, orgs: list[str], rows: int) -> float:
    """`rows` events over last month and this one, straight into the partitions, with their
    keys and rollups in the same statement (one pass); returns the seconds it took.

    Rows come organization by organization, in time order, with time-ordered ids and keys, so
    every index is filled at its right edge instead of at random places.
    """
    started = time.perf_counter()
    # Autovacuum would otherwise chew through the fresh rows while the checks are timed.
    partitions = owner.execute(
        "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'metering.usage_events'::regclass"
    ).fetchall()
    for table in ["usage_event_keys", "usage_rollups", *(r[0] for r in partitions)]:
        owner.execute(f"ALTER TABLE metering.{table} SET (autovacuum_enabled = false)")
    owner.execute("SET synchronous_commit = off")
    owner.execute("SET work_mem = '256MB'")
    months = owner.execute(
        "SELECT to_char(m, 'YYYY_MM'), m, least(m + interval '1 month', now() - interval '1 hour')"
        " FROM (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
        "       - interval '1 month' * g AS m FROM generate_series(1, 0, -1) AS g) AS months"
    ).fetchall()
    owner.execute(
        "CREATE TEMP TABLE bench_orgs AS SELECT row_number() OVER () - 1 AS n, id::uuid AS id"
        " FROM unnest(%s::text[]) AS id",
        (orgs,),
    )
    per_month = rows // len(months)
    per_org = max(per_month // len(orgs), 1)
    for suffix, start, end in months:
        owner.execute(
            f"""
            WITH events AS (
                INSERT INTO metering.usage_events_p{suffix}
                    (id, organization_id, meter, quantity, occurred_at, idempotency_key,
                     recorded_by)
                SELECT util.uuid_v7(), o.id,
                       (ARRAY['emails_sent', 'sms_sent', 'video_minutes', 'storage_bytes'])
                           [1 + g %% 4],
                       1 + g %% 5,
                       %(start)s + (%(end)s - %(start)s) * (((g - 1) %% %(per_org)s)::float8
                                                          / %(per_org)s),
                       'load-{suffix}-' || lpad(g::text, 10, '0'),
                       '00000000-0000-0000-0000-000000000001'
                FROM generate_series(1::bigint, %(n)s) AS g
                INNER JOIN bench_orgs AS o ON o.n = least((g - 1) / %(per_org)s, {len(orgs) - 1})
                RETURNING id, organization_id, meter, quantity, occurred_at, idempotency_key
            ),
            keys AS (
                INSERT INTO metering.usage_event_keys
                    (organization_id, idempotency_key, event_id, meter, quantity, occurred_at)
                SELECT organization_id, idempotency_key, id, meter, quantity, occurred_at
                FROM events
            )
            INSERT INTO metering.usage_rollups AS r
                (organization_id, meter, period_start, quantity, event_count)
            SELECT organization_id, meter, metering.period_start(occurred_at), sum(quantity),
                   count(*)
            FROM events
            GROUP BY 1, 2, 3
            ON CONFLICT ON CONSTRAINT usage_rollups_pkey DO UPDATE
            SET quantity = r.quantity + excluded.quantity,
                event_count = r.event_count + excluded.event_count
            """,
            {"start": start, "end": end, "n": per_month, "per_org": per_org},
        )
    owner.execute("RESET synchronous_commit")
    owner.execute("RESET work_mem")
    owner.execute("ANALYZE metering.usage_events")
    owner.execute("ANALYZE metering.usage_event_keys")
    owner.execute("ANALYZE metering.usage_rollups")
    return time.perf_counter() - started


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 8.0
    # Autocommit: each statement (or `with owner.transaction()` block) commits, so the quota
    # loop's advisory locks never outlive it and block the writers.
    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as owner:
        owner.execute("SET ROLE restartix_owner")
        orgs = setup(owner)
        probe = orgs[0]

        print(f"{WRITERS} writers, {seconds:.0f}s a run, every 10th report a retried key;")
        print(f"one WAL-flushed commit takes {commit_latency(db.owner_url):.2f} ms here")
        run_writers(db.system_url, orgs, seconds, "small tables")

        small = owner.execute("SELECT count(*) FROM metering.usage_events").fetchone()[0]
        read_small, enforce_small = quota_check(owner, probe)
        naive_small = timed_ms(owner, NAIVE, probe)
        print(f"quota check with {small:,} usage rows:")
        print(f"  limit_usage (rollup read): {read_small:.1f} µs/call in the server")
        print(f"  enforce_limit (lock, limit, usage): {enforce_small:.1f} µs/call in the server")
        print(f"  naive sum over this month's events: {naive_small:.2f} ms")
        print("  plan of the rollup read:")
        print(plan_of(owner, ROLLUP_READ, probe))

        print(f"loading {rows:,} usage events with keys and rollups ...", flush=True)
        took = load(owner, orgs, rows)
        total = owner.execute("SELECT count(*) FROM metering.usage_events").fetchone()[0]
        print(f"  loaded in {took:.0f}s; {total:,} usage rows")

        read_big, enforce_big = quota_check(owner, probe)
        naive_big = timed_ms(owner, NAIVE, probe, runs=5)
        print(f"quota check with {total:,} usage rows:")
        print(f"  limit_usage (rollup read): {read_big:.1f} µs/call in the server")
        print(f"  enforce_limit (lock, limit, usage): {enforce_big:.1f} µs/call in the server")
        print(f"  naive sum over this month's events: {naive_big:.2f} ms")
        print("  plan of the rollup read:")
        print(plan_of(owner, ROLLUP_READ, probe))

        run_writers(db.system_url, orgs, seconds, f"{total:,} rows")


if __name__ == "__main__":
    main()
