"""docs/soup.md names every runtime dependency of pyproject.toml, with its version range."""

from __future__ import annotations

from pathlib import Path

from tests.soup_check import (
    check_soup,
    normalize,
    runtime_requirements,
    split_requirement,
    table_rows,
)

ROOT = Path(__file__).resolve().parents[1]

PYPROJECT = """
[project]
name = "example"
dependencies = [
    "psycopg[binary,pool]>=3.2,<4",
    "Yoyo_Migrations >= 9, < 10",
    "ruamel.yaml>=0.18; python_version >= '3.11'",
]
"""

SOUP = """
# SOUP

## Runtime dependencies

| Package | Version range | Purpose |
| --- | --- | --- |
| psycopg (extras `binary`, `pool`) | `>=3.2,<4` | driver |
| yoyo-migrations | `>=9,<10` | migrations |
| `ruamel-yaml` | `>=0.18` | YAML |

## Development and test only

| Tool | Version range | Purpose |
| --- | --- | --- |
| pytest | `>=8` | tests |
"""


def test_soup_names_every_runtime_dependency():
    report = check_soup((ROOT / "pyproject.toml").read_text(), (ROOT / "docs/soup.md").read_text())
    assert report.ok, "\n".join(report.lines())


def test_names_are_normalized_as_pep_503():
    assert normalize("Yoyo_Migrations") == "yoyo-migrations"
    assert normalize("ruamel.yaml") == "ruamel-yaml"
    assert normalize("zope__interface") == "zope-interface"
    assert split_requirement("psycopg[binary,pool]>=3.2,<4") == ("psycopg", ">=3.2,<4")
    assert split_requirement("Yoyo_Migrations >= 9, < 10") == ("yoyo-migrations", ">=9,<10")
    assert split_requirement("ruamel.yaml>=0.18; python_version >= '3.11'") == (
        "ruamel-yaml",
        ">=0.18",
    )


def test_a_complete_table_passes():
    assert runtime_requirements(PYPROJECT) == {
        "psycopg": ">=3.2,<4",
        "yoyo-migrations": ">=9,<10",
        "ruamel-yaml": ">=0.18",
    }
    assert check_soup(PYPROJECT, SOUP).ok


def test_checker_reports_a_dependency_missing_from_the_table():
    without_yoyo = SOUP.replace("| yoyo-migrations | `>=9,<10` | migrations |\n", "")
    report = check_soup(PYPROJECT, without_yoyo)
    assert report.missing == ["yoyo-migrations"]
    assert report.lines() == ["yoyo-migrations: runtime dependency missing from the SOUP table"]


def test_a_dev_table_row_does_not_count_as_runtime():
    moved = SOUP.replace("| psycopg (extras `binary`, `pool`) | `>=3.2,<4` | driver |\n", "")
    moved = moved.replace("| pytest |", "| psycopg | `>=3.2,<4` | driver |\n| pytest |")
    assert "psycopg" not in table_rows(moved)
    assert check_soup(PYPROJECT, moved).missing == ["psycopg"]


def test_checker_reports_a_wrong_version_range_and_a_stale_row():
    drifted = SOUP.replace("`>=9,<10`", "`>=8,<9`").replace(
        "| `ruamel-yaml` |", "| attrs | `>=23` | classes |\n| `ruamel-yaml` |"
    )
    report = check_soup(PYPROJECT, drifted)
    assert report.missing == []
    assert report.wrong_version == ["yoyo-migrations"]
    assert report.stale == ["attrs"]
    assert not report.ok
