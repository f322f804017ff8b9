"""`expire_booking_requests`: guests' requested bookings the clinic did not confirm before
their `request_expires_at` are cancelled (reason `expired`), which frees their slots, and
each publishes `appointment.request_expired`.

Every 15 minutes, in batches, each batch its own statement inside the task's transaction.
Idempotent: a request already expired, confirmed or cancelled is no longer `requested`."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from app.db.queries import catalogue
from workers.registry import PeriodicTask, every

BATCH = 1000

APPOINTMENTS = catalogue("appointments")


def run(conn: psycopg.Connection, batch: int = BATCH) -> str:
    total = 0
    while True:
        row = conn.execute(APPOINTMENTS.expire_requests.sql, {"batch": batch}).fetchone()
        done = row[0] if row else 0
        total += done
        if done < batch:
            return f"expired {total} booking requests"


TASK = PeriodicTask(name="expire_booking_requests", body=run, due=every(timedelta(minutes=15)))
