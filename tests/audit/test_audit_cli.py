"""`restartix audit roll-partitions` creates both tables' months ahead, and only once."""

from __future__ import annotations

import psycopg

from tests.databases import ScratchDatabase
from tests.test_cli import assert_one_line_failure, run_cli


def _partitions(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
            "where i.inhparent in "
            "('audit.audit_log'::regclass, 'audit.audit_ai_provenance'::regclass)"
        ).fetchall()
    return {r[0] for r in rows}


def test_roll_is_idempotent_and_covers_both_tables(fresh_database: ScratchDatabase):
    before = _partitions(fresh_database.owner_url)
    assert len(before) == 4, "migrate creates this month and the next of both tables"

    first = run_cli(
        "audit", "roll-partitions", "--ahead", "5", MIGRATE_DATABASE_URL=fresh_database.owner_url
    )
    assert first.returncode == 0, first.stderr
    created = set(first.stdout.split())
    created.discard("created")
    assert len(created) == 8, "four more months of two tables"
    after = _partitions(fresh_database.owner_url)
    assert {f"audit.{name}" for name in after - before} == created
    assert sum(n.startswith("audit_log_p") for n in after) == 6
    assert sum(n.startswith("audit_ai_provenance_p") for n in after) == 6

    again = run_cli(
        "audit", "roll-partitions", "--ahead", "5", MIGRATE_DATABASE_URL=fresh_database.owner_url
    )
    assert again.returncode == 0
    assert again.stdout == ""
    assert _partitions(fresh_database.owner_url) == after


def test_roll_refuses_a_bad_horizon():
    result = run_cli("audit", "roll-partitions", "--ahead", "-2")
    assert result.returncode == 2
    assert "must be between 0 and 36" in result.stderr


def test_roll_on_an_unreachable_server_is_one_line():
    result = run_cli(
        "audit", "roll-partitions", MIGRATE_DATABASE_URL="postgresql://postgres@127.0.0.1:1/x"
    )
    assert_one_line_failure(result, "cannot connect to PostgreSQL")
