"""Test databases: one migrated template per run, a fresh clone for each test that asks.

Tests never touch the developer's database: every name starts with `restartix_test_` and
carries the pid of the run that made it, so leftovers of a crashed run are recognised and
dropped by the next one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import psycopg
import pytest

from app.config import Settings, with_database
from app.db import admin
from app.db.paths import TEST_HELPERS

PREFIX = "restartix_test_"


@dataclass(frozen=True)
class ScratchDatabase:
    name: str
    owner_url: str  # the superuser connection (MIGRATE_DATABASE_URL's server and role)
    app_url: str  # logs in as restartix_app
    system_url: str  # logs in as restartix_system


def _server_url() -> str:
    return Settings.from_env().migrate_database_url


def describe(name: str) -> ScratchDatabase:
    settings = Settings.from_env()
    return ScratchDatabase(
        name=name,
        owner_url=with_database(settings.migrate_database_url, name),
        app_url=with_database(settings.database_url, name),
        system_url=with_database(settings.system_database_url, name),
    )


def _maintenance() -> psycopg.Connection:
    return psycopg.connect(with_database(_server_url(), admin.MAINTENANCE_DB), autocommit=True)


def new_name(kind: str) -> str:
    return f"{PREFIX}{os.getpid()}_{kind}_{secrets.token_hex(3)}"


def drop_leftovers() -> None:
    """Drop test databases whose run (the pid in the name) no longer exists."""
    with _maintenance() as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select datname from pg_database where datname like %s", (PREFIX + "%",)
            )
        ]
        for name in names:
            pid = name[len(PREFIX) :].split("_", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                admin.drop_database(conn, name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_migrated(say=lambda _msg: None) -> ScratchDatabase:
    """A database built from the migrations alone, exactly as `restartix db migrate` leaves it."""
    db = describe(new_name("base"))
    admin.bootstrap(db.owner_url, say)
    admin.migrate(db.owner_url, say)
    return db


def build_template(base: ScratchDatabase) -> ScratchDatabase:
    """The base plus pgTAP and the `tests` helper schema: what every test clones."""
    template = clone(base.name, kind="tpl")
    with psycopg.connect(template.owner_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgtap")
        for path in sorted(TEST_HELPERS.glob("*.sql")):
            conn.execute(path.read_text())
    return template


def clone(template: str, kind: str = "t") -> ScratchDatabase:
    db = describe(new_name(kind))
    with _maintenance() as conn:
        admin.create_database(conn, db.name, template=template)
    return db


def drop(db: ScratchDatabase) -> None:
    with _maintenance() as conn:
        admin.drop_database(conn, db.name)


# Where the session keeps its two databases for fixtures and the pgTAP collector.
BASE_KEY = pytest.StashKey[ScratchDatabase]()
TEMPLATE_KEY = pytest.StashKey[ScratchDatabase]()
