"""The column classification registry (docs/data-classification.md) and what it allows.

The registry is the one place that says, for every column of every table, how sensitive it is
and where its values may go. `restartix db migrate` loads it into util.column_classification
(the audit trigger masks pii_regulated and auth_secret values from it); `check` compares it
with a live schema; `filter_for_egress` is what every export, webhook or AI path calls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from app.db.paths import ROOT
from app.errors import CommandError

REGISTRY = ROOT / "docs" / "data-classification.md"

CLASSES = (
    "public",
    "org_internal",
    "pii_basic",
    "pii_regulated",
    "clinical",
    "clinical_sensitive",
    "auth_secret",
    "audit_only",
    "system_metadata",
)
ENCRYPTED_CLASSES = frozenset({"pii_regulated", "auth_secret"})
EGRESS_TARGETS = (
    "bulk_export",
    "analytics_internal",
    "webhook_egress",
    "marketing_email",
    "support_export",
    "ai_processing",
)


# Schemas whose tables are the product's; the registry must cover every column in them: the
# shared SQL libraries, every domain's schema, and the analysts' read-only views.
def app_schemas() -> tuple[str, ...]:
    from app import domains

    return (*domains.SQL_LIBRARIES, *domains.names(), "analytics")


_HEADING = re.compile(r"^##\s+`?(?P<table>[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)`?\s*$")
_ROW = re.compile(
    r"^\|\s*`?(?P<column>[a-z_][a-z0-9_]*)`?\s*\|\s*(?P<class>[a-z_]+)\s*\|(?P<egress>[^|]*)\|"
)


@dataclass(frozen=True)
class Entry:
    table: str  # schema.table
    column: str
    cls: str
    egress: tuple[str, ...]


def parse(text: str) -> dict[tuple[str, str], Entry]:
    """Registry entries by (schema.table, column); raises on malformed or duplicate rows."""
    entries: dict[tuple[str, str], Entry] = {}
    table = None
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _HEADING.match(line):
            table = m["table"]
            continue
        m = _ROW.match(line)
        if not m or table is None or m["column"] == "column":
            continue
        egress = tuple(e.strip() for e in m["egress"].replace("`", "").split(",") if e.strip())
        problems = []
        if m["class"] not in CLASSES:
            problems.append(f"unknown class {m['class']!r}")
        unknown = [e for e in egress if e not in EGRESS_TARGETS and e != "none"]
        if unknown:
            problems.append(f"unknown egress {', '.join(unknown)}")
        key = (table, m["column"])
        if key in entries:
            problems.append("listed twice")
        if problems:
            raise CommandError(f"data-classification.md line {number}: {'; '.join(problems)}")
        entries[key] = Entry(
            table, m["column"], m["class"], tuple(e for e in egress if e != "none")
        )
    return entries


def load_registry(path: Path = REGISTRY) -> dict[tuple[str, str], Entry]:
    return parse(path.read_text())


@dataclass(frozen=True)
class Column:
    table: str
    column: str
    data_type: str


def live_columns(conn: psycopg.Connection) -> list[Column]:
    """Every column of every ordinary or partitioned table in the app schemas (no partitions)."""
    rows = conn.execute(
        """
        SELECT n.nspname || '.' || c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_class AS c
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY(%s)
        ORDER BY 1, a.attnum
        """,
        (list(app_schemas()),),
    ).fetchall()
    return [Column(t, c, d) for t, c, d in rows]


def check(registry: Mapping[tuple[str, str], Entry], columns: list[Column]) -> list[str]:
    """Every rule the registry must keep against a schema; an empty list means it keeps them."""
    problems = []
    live = {(c.table, c.column): c for c in columns}
    for key, col in live.items():
        if key not in registry:
            problems.append(f"unclassified column {col.table}.{col.column}")
    for key in registry:
        if key not in live:
            problems.append(f"stale entry {key[0]}.{key[1]} (no such column)")
    for key, col in live.items():
        entry = registry.get(key)
        if entry is None:
            continue
        looks_encrypted = col.data_type == "bytea" and col.column.endswith("_encrypted")
        must_be_encrypted = entry.cls in ENCRYPTED_CLASSES
        if must_be_encrypted and not looks_encrypted:
            problems.append(
                f"{col.table}.{col.column} is {entry.cls} but stored in plaintext "
                "(it must be a bytea column named *_encrypted)"
            )
        if looks_encrypted and not must_be_encrypted:
            problems.append(
                f"{col.table}.{col.column} is encrypted but classified {entry.cls}; "
                "only pii_regulated and auth_secret columns are encrypted"
            )
    return problems


def draft_rows(registry: Mapping[tuple[str, str], Entry], columns: list[Column]) -> str:
    """Markdown rows for the columns the registry lacks, to be classified by a person."""
    lines = []
    current = None
    for col in columns:
        if (col.table, col.column) in registry:
            continue
        if col.table != current:
            lines += ["", f"## {col.table}", "", "| column | class | egress |", "|---|---|---|"]
            current = col.table
        lines.append(f"| {col.column} | ? | ? |")
    return "\n".join(lines).strip() + "\n" if lines else ""


def load_into_database(conn: psycopg.Connection, registry: Mapping[tuple[str, str], Entry]) -> None:
    """Replace util.column_classification with the registry, in the caller's transaction."""
    conn.execute("DELETE FROM util.column_classification")
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO util.column_classification "
            "(table_schema, table_name, column_name, class, egress) VALUES (%s, %s, %s, %s, %s)",
            [(*e.table.split(".", 1), e.column, e.cls, list(e.egress)) for e in registry.values()],
        )


def filter_for_egress(
    registry: Mapping[tuple[str, str], Entry], table: str, record: Mapping[str, Any], target: str
) -> dict[str, Any]:
    """The part of a record that may leave through `target`: unclassified columns never do."""
    if target not in EGRESS_TARGETS:
        raise ValueError(f"unknown egress target {target!r}")
    return {
        column: value
        for column, value in record.items()
        if (entry := registry.get((table, column))) is not None and target in entry.egress
    }


# A payload field that carries column names (`changed: ["url", "status"]`), never values.
COLUMN_NAMES = "column_names"


def filter_payload_for_egress(
    registry: Mapping[tuple[str, str], Entry],
    carries: Mapping[str, str] | None,
    payload: Mapping[str, Any],
    target: str,
) -> dict[str, Any]:
    """The part of an event payload that may leave through `target`.

    `carries` is the payload struct's `CARRIES` (field -> `schema.table.column` of the registry,
    or COLUMN_NAMES). A field whose column does not allow the target, or that declares nothing,
    never leaves: a payload type that declares nothing leaves empty.
    """
    if target not in EGRESS_TARGETS:
        raise ValueError(f"unknown egress target {target!r}")
    kept: dict[str, Any] = {}
    for field, value in payload.items():
        carrier = (carries or {}).get(field)
        if carrier is None:
            continue
        if carrier == COLUMN_NAMES:
            kept[field] = value
            continue
        table, _, column = carrier.rpartition(".")
        entry = registry.get((table, column))
        if entry is not None and target in entry.egress:
            kept[field] = value
    return kept
