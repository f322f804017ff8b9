"""The query catalogue: every SQL text Python sends, named, commented, loaded once.

Each domain keeps its queries in `db/queries/<domain>.sql` as blocks:

    -- name: members_list
    -- The organization's members with their role and human.
    -- sort: created_at timestamptz, email text?, display_name text?
    -- key: id uuid
    SELECT ...

The comment lines after `name:` are the query's documentation. A list query names the
columns a client may sort by (`sort:`, each with its SQL type, `?` when it may be NULL; the
first is the default order, `-` before it for descending) and the unique, non-null column
that ends every order (`key:`); the list helper (`app.api.lists`)
builds its ORDER BY and keyset condition from these names alone, never from request text.
Parameters are named (`%(org)s`). `tests/test_queries.py` prepares every entry against the
migrated schema, so a renamed column fails in CI, not in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.db.paths import DB_DIR

QUERIES_DIR = DB_DIR / "queries"

_NAME = re.compile(r"^--\s*name:\s*(?P<name>[a-z][a-z0-9_]*)\s*$", re.M)
_SORT_TYPES = {"text", "uuid", "timestamptz", "date", "integer", "bigint", "boolean", "real"}


@dataclass(frozen=True)
class SortKey:
    column: str
    type: str
    nullable: bool = False


@dataclass(frozen=True)
class Query:
    """One named SQL text of the catalogue."""

    domain: str
    name: str
    doc: str
    sql: str
    sort: tuple[SortKey, ...] = ()
    key: SortKey | None = None
    default_sort: str = ""

    @property
    def qualified(self) -> str:
        return f"{self.domain}.{self.name}"

    def sort_key(self, column: str) -> SortKey | None:
        return next((k for k in self.sort if k.column == column), None)


_SORT_KEY = re.compile(r"^(?P<desc>-?)(?P<column>[a-z_][a-z0-9_]*) (?P<type>[a-z]+)(?P<null>\??)$")


def _keys(spec: str, where: str) -> tuple[tuple[SortKey, ...], str]:
    """The sort keys of a `sort:`/`key:` line, and the default order it names."""
    keys, default = [], ""
    for i, part in enumerate(p.strip() for p in spec.split(",")):
        m = _SORT_KEY.match(part)
        if not m or m["type"] not in _SORT_TYPES or (m["desc"] and i > 0):
            raise ValueError(f"{where}: bad sort column {part!r}")
        keys.append(SortKey(m["column"], m["type"], bool(m["null"])))
        if i == 0:
            default = m["desc"] + m["column"]
    return tuple(keys), default


def parse(text: str, domain: str) -> dict[str, Query]:
    """The blocks of one catalogue file, by name."""
    found: dict[str, Query] = {}
    marks = list(_NAME.finditer(text))
    for i, mark in enumerate(marks):
        name = mark["name"]
        where = f"db/queries/{domain}.sql: {name}"
        body = text[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        doc, sql, sort, key, default = [], [], (), None, ""
        for line in body.strip("\n").splitlines():
            stripped = line.strip()
            if not sql and stripped.startswith("--"):
                comment = stripped[2:].strip()
                if comment.startswith("sort:"):
                    sort, default = _keys(comment[5:], where)
                elif comment.startswith("key:"):
                    (key,), _ = _keys(comment[4:], where)
                    if key.nullable:
                        raise ValueError(f"{where}: the key column is never NULL")
                else:
                    doc.append(comment)
            elif stripped or sql:
                sql.append(line)
        statement = "\n".join(sql).strip().rstrip(";")
        if not doc:
            raise ValueError(f"{where}: say what the query is for in a comment")
        if not statement:
            raise ValueError(f"{where}: no SQL")
        if bool(sort) != bool(key):
            raise ValueError(f"{where}: a list query names both its sort columns and its key")
        if name in found:
            raise ValueError(f"{where}: named twice")
        found[name] = Query(domain, name, " ".join(doc), statement, sort, key, default)
    return found


class Catalogue:
    """The queries of one domain, as attributes: `Q.members_list`."""

    def __init__(self, domain: str, queries: dict[str, Query]) -> None:
        self._domain = domain
        self._queries = queries

    def __getattr__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(f"db/queries/{self._domain}.sql has no query {name}") from None

    def __iter__(self):
        return iter(self._queries.values())


@cache
def catalogue(domain: str, directory: Path = QUERIES_DIR) -> Catalogue:
    """The parsed `db/queries/<domain>.sql`, read once per process."""
    return Catalogue(domain, parse((directory / f"{domain}.sql").read_text(), domain))


def every_query(directory: Path = QUERIES_DIR) -> list[Query]:
    """Every entry of every catalogue file (for the test that prepares them all)."""
    return [q for path in sorted(directory.glob("*.sql")) for q in catalogue(path.stem, directory)]
