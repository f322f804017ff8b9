"""Audit write overhead: 10,000 single-row updates with the audit trigger vs without.

Run: .venv/bin/python bench/audit_overhead.py [N]
Both tables are identical tenant tables in the same scratch database; each update is its own
statement (autocommit off, one commit at the end of each batch of 500), alternating rounds
so both sides see the same machine. Prints updates/s for each and the ratio.
"""

from __future__ import annotations

import statistics
import sys
import time

import psycopg
from _db import scratch_database

SETUP = """
CREATE TABLE tenancy.bench_plain (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    counter integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tenancy.bench_audited (LIKE tenancy.bench_plain INCLUDING ALL);
SELECT audit.track('tenancy.bench_audited');
INSERT INTO tenancy.bench_plain (organization_id, name)
SELECT '11111111-1111-1111-1111-111111111111', 'row ' || g FROM generate_series(1, 1000) AS g;
INSERT INTO tenancy.bench_audited SELECT * FROM tenancy.bench_plain;
"""


def run(conn: psycopg.Connection, table: str, ids: list, n: int) -> float:
    started = time.perf_counter()
    with conn.cursor() as cur:
        for i in range(n):
            cur.execute(
                f"UPDATE tenancy.{table} SET counter = counter + 1, name = %s WHERE id = %s",
                (f"name {i}", ids[i % len(ids)]),
            )
            if i % 500 == 499:
                conn.commit()
    conn.commit()
    return n / (time.perf_counter() - started)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with scratch_database() as db, psycopg.connect(db.owner_url) as conn:
        conn.execute(SETUP)
        conn.execute("SELECT set_config('app.request_id', 'bench', false)")
        conn.commit()
        ids = [r[0] for r in conn.execute("SELECT id FROM tenancy.bench_plain ORDER BY id")]
        run(conn, "bench_plain", ids, 1000)  # warm up both
        run(conn, "bench_audited", ids, 1000)
        plain, audited = [], []
        for _ in range(3):
            plain.append(run(conn, "bench_plain", ids, n))
            audited.append(run(conn, "bench_audited", ids, n))
        p, a = statistics.median(plain), statistics.median(audited)
        rows = conn.execute(
            "SELECT count(*) FROM audit.audit_log WHERE entity_type = 'tenancy.bench_audited'"
        ).fetchone()[0]
        print(f"{n} single-row updates, median of 3 rounds")
        print(f"  without audit trigger: {p:,.0f} updates/s")
        print(f"  with audit trigger:    {a:,.0f} updates/s  ({rows:,} audit rows written)")
        print(f"  overhead ratio: {p / a:.2f}x  (aim: under 1.5x)")


if __name__ == "__main__":
    main()
