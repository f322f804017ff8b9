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


def _dev_token_settings(db: ScratchDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path):
    from dataclasses import replace

    from app.config import Settings

    monkeypatch.setenv("RESTARTIX_DATA_DIR", str(tmp_path))
    return replace(
        Settings.from_env(), migrate_database_url=db.owner_url, auth_jwks_url="", auth_public_key=""
    )


def test_dev_token_role_changes_the_role_of_an_existing_member(
    fresh_database: ScratchDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path, capsys
):
    """Issue 14, finding 10: `--role` was silently ignored for an existing member."""
    from app.devtoken import dev_token

    settings = _dev_token_settings(fresh_database, monkeypatch, tmp_path)
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute("SELECT tests.create_org('role-clinic')")

    def role_of(email: str) -> str:
        with psycopg.connect(fresh_database.owner_url) as conn:
            return conn.execute(
                "SELECT r.code FROM tenancy.organization_memberships m"
                " JOIN iam.roles r ON r.id = m.role_id JOIN iam.humans h"
                " ON h.principal_id = m.principal_id WHERE h.email = %s",
                (email,),
            ).fetchone()[0]

    dev_token(settings, "boss@role.test", "role-clinic", "owner", False)
    dev_token(settings, "ana@role.test", "role-clinic", "receptionist", False)
    assert role_of("ana@role.test") == "receptionist"
    dev_token(settings, "ana@role.test", "role-clinic", "admin", False)
    assert role_of("ana@role.test") == "admin"
    assert "from receptionist to admin" in capsys.readouterr().err

    # The last owner cannot be demoted; the command says why instead of ignoring it.
    with pytest.raises(CommandError, match="last active owner"):
        dev_token(settings, "boss@role.test", "role-clinic", "specialist", False)
    assert role_of("boss@role.test") == "owner"
    with pytest.raises(CommandError, match="no role 'wizard'"):
        dev_token(settings, "ana@role.test", "role-clinic", "wizard", False)


def test_check_services_and_bootstrap_say_one_line_on_success(
    migrated_database: ScratchDatabase,
):
    """Issue 14, finding 10: both used to print nothing at all on success."""
    checked = run_cli("check-services", MIGRATE_DATABASE_URL=migrated_database.owner_url)
    assert checked.returncode == 0, checked.stderr
    assert len([ln for ln in (checked.stdout + checked.stderr).splitlines() if ln.strip()]) == 1
    assert "PostgreSQL" in checked.stdout + checked.stderr
    booted = run_cli("db", "bootstrap", MIGRATE_DATABASE_URL=migrated_database.owner_url)
    assert booted.returncode == 0, booted.stderr
    lines = [ln for ln in (booted.stdout + booted.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1, lines


def test_make_dev_serves_on_port(tmp_path):
    """Issue 14, finding 10: `make dev` always served on 8000."""
    result = subprocess.run(
        ["make", "-n", "dev", "PORT=8123"],
        capture_output=True,
        text=True,
        check=False,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert "serve --port 8123" in result.stdout, result.stdout + result.stderr
