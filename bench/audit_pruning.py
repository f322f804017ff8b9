"""Audit partition pruning: 5 million rows over 12 months, one org's last 7 days.

Run: .venv/bin/python bench/audit_pruning.py [ROWS]
Loads synthetic audit rows (200 organizations, spread evenly over the last 12 months) into a
scratch database, then shows the plan of a member's last-7-days query and times it.
"""

from __future__ import annotations

import statistics
import sys
import time

import psycopg
from _db import scratch_database

QUERY = """
SELECT id, created_at, action, entity_type, entity_id, actor_id
FROM audit.audit_log
WHERE organization_id = %(org)s AND created_at >= now() - interval '7 days'
ORDER BY created_at DESC
LIMIT 50
"""


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as conn:
        conn.execute("SET ROLE restartix_owner")
        # Twelve past months plus this one and the next.
        conn.execute("SELECT audit.ensure_partitions(13, now() - interval '12 months')")
        started = time.perf_counter()
        conn.execute(
            """
            INSERT INTO audit.audit_log (created_at, organization_id, actor_id, actor_type, action,
                                         entity_type, entity_id, changed_columns, new_values)
            SELECT now() - interval '365 days' * (g::float8 / %(rows)s),
                   ('00000000-0000-0000-0000-' || lpad((g %% 200)::text, 12, '0'))::uuid,
                   '00000000-0000-0000-0000-000000000001', 'system', 'update',
                   'tenancy.organization_memberships', g::text, ARRAY['status'],
                   '{"status": "active"}'
            FROM generate_series(1, %(rows)s) AS g
            """,
            {"rows": rows},
        )
        load = time.perf_counter() - started
        conn.execute("ANALYZE audit.audit_log")
        months = conn.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit.audit_log'::regclass"
        ).fetchone()[0]
        org = "00000000-0000-0000-0000-000000000007"
        plan = conn.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + QUERY, {"org": org})
        plan_text = "\n".join(r[0] for r in plan)
        timings = []
        for _ in range(20):
            t = time.perf_counter()
            conn.execute(QUERY, {"org": org}).fetchall()
            timings.append((time.perf_counter() - t) * 1000)
        scanned = sum(
            " Scan " in line and " on audit_log_p" in line for line in plan_text.splitlines()
        )
        print(f"{rows:,} audit rows in {months} monthly partitions (loaded in {load:.0f}s)")
        print(plan_text)
        print(f"partitions scanned: {scanned} of {months} (the rest pruned)")
        print(
            f"one org's last 7 days, 50 newest: median {statistics.median(timings):.2f} ms, "
            f"max {max(timings):.2f} ms over 20 runs"
        )


if __name__ == "__main__":
    main()
