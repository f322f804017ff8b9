"""Fixtures for Python tests: fresh databases cloned from the run's template."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import databases


@pytest.fixture(scope="session")
def migrated_database(request: pytest.FixtureRequest) -> databases.ScratchDatabase:
    """The run's database built from migrations alone; read it, never change it."""
    return request.config.stash[databases.BASE_KEY]


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest) -> Iterator[databases.ScratchDatabase]:
    """A database of this test's own, cloned from the migrated template, dropped afterwards."""
    db = databases.clone(request.config.stash[databases.TEMPLATE_KEY].name)
    try:
        yield db
    finally:
        databases.drop(db)
