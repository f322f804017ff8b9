"""50 concurrent consumers on one enrollment of 20 sessions, each in its own request-pool
transaction: exactly 20 succeed, the other 30 are told the plan is exhausted, and the
counter, the ledger and the events agree."""

from __future__ import annotations

from tests.catalog.consume_race import prepare, race
from tests.databases import ScratchDatabase


def test_fifty_consumers_twenty_sessions_exactly_twenty_succeed(
    fresh_database: ScratchDatabase,
) -> None:
    org, desk, enrollment = prepare(fresh_database.owner_url, sessions=20)
    result = race(
        fresh_database.app_url, fresh_database.owner_url, org, desk, enrollment, consumers=50
    )
    assert result.outcomes == {"consumed": 20, "plan_exhausted": 30}, result.outcomes
    assert (result.sessions_used, result.ledger_rows) == (20, 20)
    assert (result.consumed_events, result.exhausted_events) == (20, 1)
