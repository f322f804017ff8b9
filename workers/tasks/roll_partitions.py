"""`roll_partitions`: the audit log's, the outbox's, the usage events' and the webhook delivery
log's monthly partitions, three months ahead (and the delivery log's months past retention dropped).

None of them has a default partition, so a month without one makes audited writes,
publishing and usage reports fail; running monthly (and at every worker start) with three
months of horizon leaves two months of margin if runs are missed.
"""

from __future__ import annotations

import psycopg

from app.db.queries import catalogue
from workers.registry import PeriodicTask, monthly

AHEAD = 3

AUDIT = catalogue("audit")
EVENTS = catalogue("events")
METERING = catalogue("metering")
WEBHOOKS = catalogue("webhooks")


def run(conn: psycopg.Connection) -> str:
    created = [r[0] for r in conn.execute(AUDIT.ensure_partitions.sql, {"ahead": AHEAD})]
    created += [r[0] for r in conn.execute(EVENTS.ensure_partitions.sql, {"ahead": AHEAD})]
    created += [r[0] for r in conn.execute(METERING.ensure_partitions.sql, {"ahead": AHEAD})]
    # The webhook delivery log also drops its months past 90 days (named "dropped …").
    created += [r[0] for r in conn.execute(WEBHOOKS.ensure_partitions.sql, {"ahead": AHEAD})]
    return "created " + ", ".join(created) if created else "nothing to create"


TASK = PeriodicTask(name="roll_partitions", body=run, due=monthly, at_start=True)
