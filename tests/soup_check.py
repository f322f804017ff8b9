"""Compare pyproject.toml's runtime dependencies with the runtime table of docs/soup.md."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

RUNTIME_HEADING = "Runtime dependencies"

# PEP 508: a name starts and ends with a letter or digit; extras and specifiers follow it.
_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


def normalize(name: str) -> str:
    """PEP 503 form: lowercase, runs of `-`, `_` and `.` become one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(requirement: str) -> tuple[str, str]:
    """(normalized name, version specifier without spaces) of one PEP 508 requirement."""
    match = _NAME.match(requirement)
    if not match:
        raise ValueError(f"not a requirement: {requirement!r}")
    rest = requirement[match.end() :].split(";", 1)[0]
    rest = re.sub(r"^\s*\[[^\]]*\]", "", rest)
    return normalize(match.group(1)), re.sub(r"\s+", "", rest)


def runtime_requirements(pyproject_text: str) -> dict[str, str]:
    """Normalized name -> version specifier for each `[project] dependencies` entry."""
    dependencies = tomllib.loads(pyproject_text)["project"].get("dependencies", [])
    return dict(split_requirement(requirement) for requirement in dependencies)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_rows(markdown: str, heading: str = RUNTIME_HEADING) -> dict[str, str]:
    """Normalized package name -> version cell, for the table under `## {heading}`."""
    rows: dict[str, str] = {}
    in_section = in_table = False
    for line in markdown.splitlines():
        if line.startswith("#"):
            in_section = line.lstrip("#").strip().lower() == heading.lower()
            in_table = False
            continue
        if not in_section or not line.lstrip().startswith("|"):
            continue
        cells = _cells(line)
        if not in_table:  # the header row
            in_table = True
            continue
        if all(_SEPARATOR_CELL.match(cell) for cell in cells):
            continue
        name_cell = cells[0].replace("`", "").replace("*", "")
        match = _NAME.match(name_cell)
        if match:
            version = cells[1].replace("`", "") if len(cells) > 1 else ""
            rows[normalize(match.group(1))] = re.sub(r"\s+", "", version)
    return rows


@dataclass(frozen=True)
class SoupReport:
    missing: list[str]  # runtime dependencies with no row
    wrong_version: list[str]  # rows whose version range differs from pyproject.toml
    stale: list[str]  # rows for packages that are not runtime dependencies

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_version or self.stale)

    def lines(self) -> list[str]:
        return (
            [f"{name}: runtime dependency missing from the SOUP table" for name in self.missing]
            + [f"{name}: version range differs from pyproject.toml" for name in self.wrong_version]
            + [f"{name}: listed in the SOUP table but not a dependency" for name in self.stale]
        )


def check_soup(pyproject_text: str, soup_markdown: str) -> SoupReport:
    required = runtime_requirements(pyproject_text)
    listed = table_rows(soup_markdown)
    return SoupReport(
        missing=sorted(set(required) - set(listed)),
        wrong_version=sorted(
            name for name in set(required) & set(listed) if listed[name] != required[name]
        ),
        stale=sorted(set(listed) - set(required)),
    )
