"""`roll_subscription_periods`: patient subscriptions whose monthly period has ended move to
the period that contains now, and the catalog's provisioning hook (a trigger on the period)
grants the enrollments the tier includes for the new period.

Hourly, in batches, each batch its own statement inside the task's transaction: a tier-wide
rollover of many thousands of subscriptions is one run. A missed run only delays the new
period's enrollments; the old period's expire on their own (expiry is derived). The same
run renews the memberships patients bought (`catalog.renew_memberships`)."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from app.db.queries import catalogue
from workers.registry import PeriodicTask, every

BATCH = 1000

PEOPLE = catalogue("people")
CATALOG = catalogue("catalog")


def _drain(conn: psycopg.Connection, sql: str, batch: int) -> int:
    total = 0
    while True:
        row = conn.execute(sql, {"batch": batch}).fetchone()
        done = row[0] if row else 0
        total += done
        if done < batch:
            return total


def run(conn: psycopg.Connection, batch: int = BATCH) -> str:
    rolled = _drain(conn, PEOPLE.roll_subscription_periods.sql, batch)
    renewed = _drain(conn, CATALOG.renew_memberships.sql, batch)
    return f"rolled {rolled} patient subscriptions, renewed {renewed} memberships"


TASK = PeriodicTask(name="roll_subscription_periods", body=run, due=every(timedelta(hours=1)))
