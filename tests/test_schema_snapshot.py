"""db/schema.sql is the migrated schema; reviewers read the whole schema in one file."""

from __future__ import annotations

import psycopg
import pytest

from app.db import snapshot
from app.db.paths import SCHEMA_SNAPSHOT
from tests.databases import ScratchDatabase


def test_snapshot_equals_the_schema_built_from_migrations(migrated_database: ScratchDatabase):
    built = snapshot.dump_schema(migrated_database.owner_url)
    difference = snapshot.diff(SCHEMA_SNAPSHOT.read_text(), built)
    if difference:
        pytest.fail("db/schema.sql is stale; run `make schema`\n" + difference, pytrace=False)


def test_checker_reports_a_column_the_snapshot_lacks(fresh_database: ScratchDatabase):
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE tenancy.organizations ADD COLUMN sneaky text")
    built = snapshot.dump_schema(fresh_database.owner_url)
    difference = snapshot.diff(SCHEMA_SNAPSHOT.read_text(), built)
    assert '+    "sneaky" "text"' in difference


def test_normalize_drops_volatile_lines_and_monthly_partitions():
    dump = "\n".join(
        [
            "\\restrict AbC123",
            "-- Dumped from database version 15.20",
            "--",
            "-- Name: audit_log_p2026_11; Type: TABLE; Schema: audit; Owner: restartix_owner",
            "--",
            'CREATE TABLE "audit"."audit_log_p2026_11" (id uuid);',
            "--",
            "-- Name: organizations; Type: TABLE; Schema: tenancy; Owner: restartix_owner",
            "--",
            'CREATE TABLE "tenancy"."organizations" (id uuid);',
            "\\unrestrict AbC123",
        ]
    )
    normalized = snapshot.normalize(dump)
    assert "restrict" not in normalized
    assert "Dumped" not in normalized
    assert "audit_log_p2026_11" not in normalized
    assert '"tenancy"."organizations"' in normalized
