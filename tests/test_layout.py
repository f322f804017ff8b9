"""The shape of the codebase: every domain has its pieces, and every piece names a domain.

A domain is one name in every layer (docs/architecture.md). This test is the checklist of
that page, run: it fails when a domain lacks a piece, when a file or folder belongs to no
domain, or when Python sends SQL text that is not in the query catalogue.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app import domains
from app.db.manifest import apply_order
from app.db.paths import DB_DIR, ROOT
from app.errors import CommandError

NAMES = domains.names()
OWNERS = {*NAMES, *domains.SQL_LIBRARIES}
# Python packages outside app/domains that are shared machinery, not domains.
SHARED_TEST_DIRS = {"acceptance", "crypto", "contract"}
# The list helper wraps a catalogued list query in its keyset condition and ORDER BY, built
# from the query's declared sort columns only: the one place that composes SQL.
COMPOSES_SQL = {"app/api/lists.py"}
SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s")


@pytest.mark.parametrize("name", NAMES)
def test_every_domain_has_its_pieces(name: str):
    assert (DB_DIR / "functions" / name).is_dir(), f"db/functions/{name}/"
    assert (DB_DIR / "policies" / f"{name}.sql").is_file(), f"db/policies/{name}.sql"
    assert (ROOT / "docs" / f"{name}.md").is_file(), f"docs/{name}.md"
    assert (ROOT / "tests" / name).is_dir() or (DB_DIR / "tests" / name).is_dir(), (
        f"tests/{name}/ or db/tests/{name}/"
    )
    domain = next(d for d in domains.domains() if d.name == name)
    assert domain.summary.strip(), "the domain says what it is in its docstring"
    if domain.module("routes") is not None:
        assert (DB_DIR / "queries" / f"{name}.sql").is_file(), f"db/queries/{name}.sql"


def test_every_piece_names_a_domain():
    strays = [
        str(path.relative_to(ROOT))
        for path in (
            *(p for p in (DB_DIR / "functions").iterdir() if p.name not in OWNERS),
            *(p for p in (DB_DIR / "policies").glob("*.sql") if p.stem not in OWNERS),
            *(p for p in (DB_DIR / "queries").glob("*.sql") if p.stem not in NAMES),
            *(
                p
                for p in (DB_DIR / "tests").iterdir()
                if p.is_dir() and p.name not in {*OWNERS, "helpers"}
            ),
            *(
                p
                for p in (ROOT / "tests").iterdir()
                if p.is_dir()
                and not p.name.startswith("__")
                and p.name not in {*NAMES, *SHARED_TEST_DIRS}
            ),
        )
    ]
    assert not strays, f"these belong to no domain: {strays}"


def test_sql_files_apply_in_domain_order_functions_before_policies():
    files = apply_order()
    kinds = [f.relative_to(DB_DIR).parts[0] for f in files]
    assert kinds == sorted(kinds), "every function file before every policy file"
    owners = [
        f.relative_to(DB_DIR).parts[1].removesuffix(".sql")
        for f in files
        if f.parts[-2] != "policies"
    ]
    ranked = [(*domains.SQL_LIBRARIES, *NAMES).index(o) for o in owners]
    assert ranked == sorted(ranked), "each domain after the ones it depends on"


def test_a_file_of_no_domain_is_an_error(tmp_path: Path):
    (tmp_path / "functions" / "stray").mkdir(parents=True)
    (tmp_path / "functions" / "stray" / "a.sql").write_text("select 1;")
    (tmp_path / "policies").mkdir()
    with pytest.raises(CommandError, match=r"belong to no domain: functions/stray/a\.sql"):
        apply_order(tmp_path, names=())


def test_domain_dependencies_name_domains():
    for domain in domains.domains():
        assert set(domain.depends) <= set(NAMES), domain.name


def _sql_literals(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SQL_TEXT.match(node.value)
    ]


def test_python_sends_only_catalogued_sql():
    """SQL text lives in db/queries; the request path and the workers have no SQL literals of
    their own."""
    found = {
        str(path.relative_to(ROOT)): lines
        for folder in ("app/api", "app/domains", "workers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in COMPOSES_SQL and (lines := _sql_literals(path))
    }
    assert not found, f"move these SQL texts to db/queries/<domain>.sql: {found}"


RAISED = re.compile(r"RAISE\s+EXCEPTION\s+'([a-z][a-z0-9_]*)'")


def test_every_code_a_domain_raises_is_declared_by_it_or_a_dependency():
    # A code no domain declares answers 422 by default, and a later domain that declared the
    # same code for its own reason would silently remap it; so the raising domain (or one it
    # depends on) must say which status its code is.
    from app.api.errors import SQL_CODE_STATUS

    by_name = {d.name: d for d in domains.domains()}

    def reachable(name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            for dependency in by_name[todo.pop()].depends:
                if dependency not in seen:
                    seen.add(dependency)
                    todo.append(dependency)
        return seen | {name}

    undeclared = []
    for path in sorted((DB_DIR / "functions").rglob("*.sql")):
        owner = path.relative_to(DB_DIR / "functions").parts[0]
        if owner not in by_name:
            continue  # the shared libraries (util, crypto) raise only SQLSTATE errors
        declared = set(SQL_CODE_STATUS)
        for name in reachable(owner):
            declared |= set(by_name[name].errors)
        for code in sorted(set(RAISED.findall(path.read_text()))):
            if code not in declared:
                undeclared.append(f"{path.relative_to(ROOT)}: {code}")
    assert not undeclared, "codes raised but declared by no domain they belong to:\n" + "\n".join(
        undeclared
    )
