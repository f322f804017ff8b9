"""Session setup shared by the pgTAP files and the Python tests: the test databases."""

from __future__ import annotations

import pytest

from tests import databases

pytest_plugins = ["tests.pgtap_plugin", "tests.fixtures", "tests.api_client"]


def pytest_sessionstart(session: pytest.Session) -> None:
    databases.drop_leftovers()
    base = databases.build_migrated()
    session.config.stash[databases.BASE_KEY] = base
    session.config.stash[databases.TEMPLATE_KEY] = databases.build_template(base)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for key in (databases.TEMPLATE_KEY, databases.BASE_KEY):
        db = session.config.stash.get(key, None)
        if db is not None:
            databases.drop(db)
