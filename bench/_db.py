"""A scratch database for a benchmark: built from the migrations, dropped afterwards."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import databases


@contextmanager
def scratch_database() -> Iterator[databases.ScratchDatabase]:
    databases.drop_leftovers()
    db = databases.build_migrated()
    try:
        yield db
    finally:
        databases.drop(db)
