"""The query catalogue: every entry parses, is documented, and prepares against the schema.

Preparing is what PostgreSQL does before running a statement: it resolves every table,
column, function and operator. So a column renamed by a migration fails here, in CI, and a
list query is prepared in every order its sort whitelist allows, with and without a cursor.
"""

from __future__ import annotations

import itertools
import re

import psycopg
import pytest

from app.api.lists import page_sql, parse_sort
from app.db.queries import Query, every_query, parse
from tests.databases import ScratchDatabase

_PARAM = re.compile(r"%\((\w+)\)s")


def _numbered(sql: str) -> str:
    """psycopg's named placeholders as PostgreSQL's $n, the same name the same number."""
    numbers: dict[str, int] = {}
    text = _PARAM.sub(lambda m: f"${numbers.setdefault(m[1], len(numbers) + 1)}", sql)
    return text.replace("%%", "%")


def _texts(query: Query) -> list[str]:
    if query.key is None:
        return [query.sql]
    texts = []
    for key in query.sort:
        for desc in (False, True):
            order = parse_sort(query, ("-" if desc else "") + key.column)
            masks = itertools.product((False, True), repeat=len(order.columns))
            usable = [
                m
                for m in masks
                if all(k.nullable or not m[i] for i, (k, _) in enumerate(order.columns))
            ]
            texts.append(page_sql(order, None))
            texts.extend(page_sql(order, mask) for mask in usable)
    return texts


QUERIES = every_query()


def test_the_catalogue_is_not_empty_and_names_are_unique_per_domain():
    assert QUERIES
    names = [q.qualified for q in QUERIES]
    assert len(names) == len(set(names))
    assert all(q.doc for q in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.qualified)
def test_every_query_prepares_against_the_migrated_schema(
    query: Query, migrated_database: ScratchDatabase
):
    with psycopg.connect(migrated_database.owner_url, autocommit=True) as conn:
        for i, text in enumerate(_texts(query)):
            statement = f"q{i}"
            conn.execute(f"PREPARE {statement} AS {_numbered(text)}")
            conn.execute(f"DEALLOCATE {statement}")


def test_a_block_without_documentation_or_with_half_a_sort_spec_is_refused():
    with pytest.raises(ValueError, match="say what the query is for"):
        parse("-- name: bare\nSELECT 1;\n", "x")
    with pytest.raises(ValueError, match="both its sort columns and its key"):
        parse("-- name: half\n-- A list.\n-- sort: name text\nSELECT 1 AS name;\n", "x")
    with pytest.raises(ValueError, match="named twice"):
        parse("-- name: a\n-- One.\nSELECT 1;\n-- name: a\n-- Two.\nSELECT 2;\n", "x")
    with pytest.raises(ValueError, match="key column is never NULL"):
        parse("-- name: k\n-- L.\n-- sort: a text\n-- key: id uuid?\nSELECT 1;\n", "x")


def test_a_renamed_column_fails_to_prepare(migrated_database: ScratchDatabase):
    (broken,) = parse(
        "-- name: broken\n-- A column that is not there.\n"
        "SELECT m.no_such_column FROM tenancy.organization_memberships AS m;\n",
        "tenancy",
    ).values()
    with (
        psycopg.connect(migrated_database.owner_url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.UndefinedColumn),
    ):
        conn.execute(f"PREPARE broken AS {_numbered(broken.sql)}")
