"""Bad configuration gives one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from app.config import with_database
from app.db import admin
from app.errors import CommandError
from tests.databases import ScratchDatabase, new_name


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("restartix: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_unreachable_database_is_one_line():
    result = run_cli("db", "migrate", MIGRATE_DATABASE_URL="postgresql://postgres@127.0.0.1:1/x")
    assert_one_line_failure(result, "cannot connect to PostgreSQL at 127.0.0.1:1", "pg_ctlcluster")


def test_malformed_database_url_is_one_line():
    result = run_cli("check-services", MIGRATE_DATABASE_URL="postgresql://[nope")
    assert_one_line_failure(result, "PostgreSQL")


def test_redis_down_names_redis_and_how_to_start_it(migrated_database: ScratchDatabase):
    result = run_cli(
        "check-services",
        MIGRATE_DATABASE_URL=migrated_database.owner_url,
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert_one_line_failure(result, "Redis at 127.0.0.1:1/0 is not reachable", "redis-server")


def test_bootstrap_without_superuser_rights_is_one_line(migrated_database: ScratchDatabase):
    url = with_database(migrated_database.app_url, "restartix_nope")
    result = run_cli("db", "bootstrap", MIGRATE_DATABASE_URL=url)
    assert_one_line_failure(result, "role restartix_app may not create roles and databases")


def test_migrate_on_a_missing_database_says_bootstrap(migrated_database: ScratchDatabase):
    url = with_database(migrated_database.owner_url, "restartix_test_does_not_exist")
    result = run_cli("db", "migrate", MIGRATE_DATABASE_URL=url)
    assert_one_line_failure(result, "does not exist", "restartix db bootstrap")


def test_reset_refuses_a_database_that_does_not_say_dev():
    with pytest.raises(CommandError, match="refusing to reset restartix_prod"):
        admin.reset("postgresql://postgres@127.0.0.1/restartix_prod", dev_database=False)


@pytest.mark.parametrize(
    ("name", "dev"),
    [
        ("restartix_dev", True),
        ("restartix_test_1_t_ab", True),
        ("scratch_db", True),
        ("restartix", False),
        ("restartix_prod", False),
        ("devious", False),
    ],
)
def test_dev_database_names(name: str, dev: bool):
    assert admin.is_dev_database(name) is dev


def test_bootstrap_migrate_and_reset_are_repeatable(migrated_database: ScratchDatabase):
    name = new_name("dev")
    url = with_database(migrated_database.owner_url, name)
    try:
        admin.bootstrap(url, say=lambda _m: None)
        admin.bootstrap(url, say=lambda _m: None)
        messages: list[str] = []
        admin.migrate(url, say=messages.append)
        admin.migrate(url, say=messages.append)
        assert sum("applied" in m and "migration" in m for m in messages) == 1
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("INSERT INTO tenancy.organizations (slug, name) VALUES ('gone', 'Gone')")
        admin.reset(url, dev_database=False, say=lambda _m: None)
        with psycopg.connect(url) as conn:
            assert conn.execute("select count(*) from tenancy.organizations").fetchone()[0] == 0
            owner = conn.execute(
                "select pg_get_userbyid(relowner) from pg_class "
                "where oid = 'tenancy.organizations'::regclass"
            ).fetchone()[0]
            assert owner == "restartix_owner"
    finally:
        with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
            admin.drop_database(conn, name)


def test_check_services_passes_before_the_database_exists(migrated_database: ScratchDatabase):
    """A fresh machine: the server answers, the database is bootstrapped after this check."""
    url = with_database(migrated_database.owner_url, "restartix_test_not_bootstrapped_yet")
    result = run_cli("check-services", MIGRATE_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
