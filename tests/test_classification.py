"""The registry classifies every column, names no stale one, and encryption matches class."""

from __future__ import annotations

import psycopg
import pytest

from app import classification
from app.classification import Column, Entry, check, filter_for_egress, parse
from app.errors import CommandError
from tests.databases import ScratchDatabase


def test_registry_matches_the_migrated_schema(migrated_database: ScratchDatabase):
    registry = classification.load_registry()
    with psycopg.connect(migrated_database.owner_url) as conn:
        problems = check(registry, classification.live_columns(conn))
    assert problems == []


def test_registry_is_loaded_into_the_database(migrated_database: ScratchDatabase):
    registry = classification.load_registry()
    with psycopg.connect(migrated_database.app_url) as conn:
        rows = conn.execute(
            "select table_schema || '.' || table_name, column_name, class, egress "
            "from util.column_classification"
        ).fetchall()
    loaded = {(t, c): (cls, tuple(e)) for t, c, cls, e in rows}
    assert loaded == {k: (e.cls, e.egress) for k, e in registry.items()}


def test_checker_reports_an_unclassified_column(fresh_database: ScratchDatabase):
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE tenancy.organizations ADD COLUMN fax_number text")
        problems = check(classification.load_registry(), classification.live_columns(conn))
    assert problems == ["unclassified column tenancy.organizations.fax_number"]


def test_checker_reports_a_plaintext_regulated_column_and_a_stale_entry():
    registry = {
        ("people.patients", "cnp"): Entry("people.patients", "cnp", "pii_regulated", ()),
        ("people.patients", "note_encrypted"): Entry(
            "people.patients", "note_encrypted", "clinical", ()
        ),
        ("people.patients", "gone"): Entry("people.patients", "gone", "pii_basic", ()),
    }
    columns = [
        Column("people.patients", "cnp", "text"),
        Column("people.patients", "note_encrypted", "bytea"),
    ]
    problems = check(registry, columns)
    assert "stale entry people.patients.gone (no such column)" in problems
    assert any("cnp is pii_regulated but stored in plaintext" in p for p in problems)
    assert any("note_encrypted is encrypted but classified clinical" in p for p in problems)
    assert len(problems) == 3


def test_parse_refuses_unknown_class_egress_and_duplicates():
    with pytest.raises(CommandError, match="unknown class 'secretish'"):
        parse("## a.b\n| x | secretish | none |\n")
    with pytest.raises(CommandError, match="unknown egress tiktok"):
        parse("## a.b\n| x | public | bulk_export, tiktok |\n")
    with pytest.raises(CommandError, match="listed twice"):
        parse("## a.b\n| x | public | none |\n| x | public | none |\n")


def test_egress_filter_keeps_only_allowed_columns():
    registry = classification.load_registry()
    human = {
        "principal_id": "p1",
        "email": "ana@example.com",
        "idp_subject": "idp|1",
        "display_name": "Ana",
        "unknown_column": "never leaves",
    }
    assert filter_for_egress(registry, "iam.humans", human, "marketing_email") == {
        "email": "ana@example.com",
        "display_name": "Ana",
    }
    assert filter_for_egress(registry, "iam.humans", human, "ai_processing") == {}
    assert "unknown_column" not in filter_for_egress(
        registry, "iam.humans", human, "support_export"
    )
    with pytest.raises(ValueError, match="unknown egress target"):
        filter_for_egress(registry, "iam.humans", human, "carrier_pigeon")
