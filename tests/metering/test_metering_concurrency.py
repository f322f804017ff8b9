"""Quotas under concurrency: many recorders on their own connections take exactly the units
the limit allows, and a report retried concurrently counts once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import psycopg
import pytest

from tests.databases import ScratchDatabase

LIMIT = 25
WRITERS = 8


def _clinic(db: ScratchDatabase, slug: str, sms_limit: int) -> str:
    with psycopg.connect(db.owner_url, autocommit=True) as conn:
        org = str(conn.execute("SELECT tests.create_org(%s)", (slug,)).fetchone()[0])
        conn.execute(
            "SELECT billing.grant_override(%s, NULL, 'sms.sent', NULL, %s, 'concurrency test')",
            (org, sms_limit),
        )
    return org


def _record(conn: psycopg.Connection, org: str, quantity: int, key: str, at: datetime) -> str:
    """One report in its own transaction on the system pool; 'ok', 'dup' or the error code."""
    try:
        with conn.transaction():
            conn.execute("SELECT set_config('app.current_org_id', %s, true)", (org,))
            (duplicate,) = conn.execute(
                "SELECT duplicate FROM metering.record_usage('sms_sent', %s, %s, %s)",
                (quantity, at, key),
            ).fetchone()
        return "dup" if duplicate else "ok"
    except psycopg.errors.RaiseException as exc:
        return exc.diag.message_primary or "error"


def _usage(db: ScratchDatabase, org: str) -> tuple[int, int, int]:
    with psycopg.connect(db.owner_url) as conn:
        return conn.execute(
            """
            SELECT (SELECT count(*) FROM metering.usage_events WHERE organization_id = %(org)s),
                   (SELECT coalesce(sum(quantity), 0) FROM metering.usage_events
                    WHERE organization_id = %(org)s),
                   (SELECT quantity FROM metering.usage_rollups WHERE organization_id = %(org)s
                    AND meter = 'sms_sent' AND period_start = metering.period_start(now()))
            """,
            {"org": org},
        ).fetchone()


@pytest.mark.parametrize("round_", range(2))
def test_concurrent_recorders_stop_exactly_at_the_limit(
    fresh_database: ScratchDatabase, round_: int
) -> None:
    org = _clinic(fresh_database, "race-clinic", LIMIT)
    barrier = threading.Barrier(WRITERS)
    results: list[str] = []
    lock = threading.Lock()

    def writer(slot: int) -> None:
        outcomes = []
        with psycopg.connect(fresh_database.system_url) as conn:
            barrier.wait()
            # Each writer keeps reporting one message until the quota refuses it.
            for n in range(LIMIT):
                at = datetime.now(UTC)
                outcome = _record(conn, org, 1, f"r{round_}-w{slot}-{n}", at)
                outcomes.append(outcome)
                if outcome != "ok":
                    break
        with lock:
            results.extend(outcomes)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results.count("ok") == LIMIT
    assert set(results) == {"ok", "limit_exceeded"}
    assert results.count("limit_exceeded") == WRITERS
    assert _usage(fresh_database, org) == (LIMIT, LIMIT, LIMIT)


def test_a_report_retried_concurrently_counts_once(fresh_database: ScratchDatabase) -> None:
    org = _clinic(fresh_database, "retry-clinic", 1000)
    at = datetime.now(UTC)
    barrier = threading.Barrier(WRITERS)
    results: list[str] = []
    lock = threading.Lock()

    def retry() -> None:
        with psycopg.connect(fresh_database.system_url) as conn:
            barrier.wait()
            outcome = _record(conn, org, 3, "same-report", at)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=retry) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["dup"] * (WRITERS - 1) + ["ok"]
    assert _usage(fresh_database, org) == (1, 3, 3)


def test_the_last_unit_goes_to_one_of_two_racing_reports(fresh_database: ScratchDatabase) -> None:
    """Two reports of 3 against 4 units left: exactly one fits, whatever the interleaving."""
    org = _clinic(fresh_database, "last-unit", 10)
    with psycopg.connect(fresh_database.system_url) as conn:
        assert _record(conn, org, 6, "first", datetime.now(UTC)) == "ok"
    barrier = threading.Barrier(2)
    results: list[str] = []

    def report(key: str) -> None:
        with psycopg.connect(fresh_database.system_url) as conn:
            barrier.wait()
            results.append(_record(conn, org, 3, key, datetime.now(UTC)))

    threads = [threading.Thread(target=report, args=(k,)) for k in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["limit_exceeded", "ok"]
    assert _usage(fresh_database, org) == (2, 9, 9)
