"""The entitlement check on every gated request: microseconds per call in SQL.

Run: .venv/bin/python bench/entitlements.py [CALLS]
Times, inside one plpgsql loop on the server, `billing.has_org_entitlement` plus
`billing.effective_limit` for the current organization, against an empty loop baseline,
over 100,000 calls; prints µs per call.
"""

from __future__ import annotations

import sys

import psycopg
from _db import scratch_database

LOOP = """
DO $$
DECLARE
    t0 timestamptz; t1 timestamptz; t2 timestamptz; ok boolean; lim bigint; n integer := %(n)s;
BEGIN
    t0 := clock_timestamp();
    FOR i IN 1..n LOOP ok := true; lim := i; END LOOP;
    t1 := clock_timestamp();
    FOR i IN 1..n LOOP
        ok := billing.has_org_entitlement('patient_portal');
        SELECT value INTO lim FROM billing.effective_limit(iam.current_org_id(), 'members.max');
    END LOOP;
    t2 := clock_timestamp();
    RAISE NOTICE 'baseline % us, checks % us',
        extract(epoch FROM t1 - t0) * 1e6 / n, extract(epoch FROM t2 - t1) * 1e6 / n;
END $$;
"""


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as conn:
        org = conn.execute(
            "INSERT INTO tenancy.organizations (slug, name)"
            " VALUES ('bench-clinic', 'Bench') RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "SELECT billing.grant_override(%s, NULL, 'members.max', NULL, 10, 'bench', NULL)",
            (org,),
        )
        conn.execute("SELECT set_config('app.current_org_id', %s, false)", (str(org),))
        notices: list[str] = []
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        conn.execute(LOOP.replace("%(n)s", str(int(calls))))
        baseline, checks = (
            float(x.split()[0]) for x in notices[-1].replace("baseline ", "").split(", checks ")
        )
        print(f"{calls:,} calls of has_org_entitlement + effective_limit (with a live override)")
        print(f"  {checks - baseline:.1f} µs per call (loop baseline {baseline:.2f} µs subtracted)")


if __name__ == "__main__":
    main()
