"""Fixtures of the event-bus tests: a bus of worker processes (tests/worker_harness.py)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.databases import ScratchDatabase
from tests.events.test_worker import Bus


@pytest.fixture
def bus(fresh_database: ScratchDatabase, tmp_path: Path):
    with psycopg.connect(fresh_database.owner_url) as conn:
        conn.execute(
            "INSERT INTO events.event_types (type, version, description) "
            "VALUES ('test.ping', 1, 'A test event.')"
        )
    bus = Bus(fresh_database, tmp_path)
    try:
        yield bus
    finally:
        bus.stop_all()
