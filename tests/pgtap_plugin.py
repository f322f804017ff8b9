"""Runs db/tests/test_*.sql with pgTAP and reports every assertion as its own pytest result.

Each file runs once, at collection, in a fresh clone of the migrated template, through psql
(which reports the line of a failing statement). The file's assertions become items that
pass or fail with pgTAP's diagnostics; one more item per file checks that psql succeeded
and that the number of assertions matches the plan.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import databases

TAP_LINE = re.compile(r"^(?P<ok>not ok|ok) (?P<num>\d+)(?: - (?P<desc>.*))?$")
PLAN_LINE = re.compile(r"^1\.\.(?P<count>\d+)$")


@dataclass
class Assertion:
    number: int
    passed: bool
    description: str
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class FileRun:
    returncode: int
    stderr: str
    planned: int | None
    assertions: list[Assertion]


def parse_tap(output: str) -> tuple[int | None, list[Assertion]]:
    planned = None
    assertions: list[Assertion] = []
    for line in output.splitlines():
        if m := PLAN_LINE.match(line):
            planned = int(m["count"])
        elif m := TAP_LINE.match(line):
            assertions.append(Assertion(int(m["num"]), m["ok"] == "ok", m["desc"] or ""))
        elif line.startswith("#") and assertions:
            assertions[-1].diagnostics.append(line)
    return planned, assertions


def run_file(path: Path, template: str) -> FileRun:
    psql = shutil.which("psql")
    if not psql:
        raise pytest.UsageError("psql is not on PATH; install the PostgreSQL client")
    db = databases.clone(template)
    try:
        result = subprocess.run(
            [
                psql,
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                db.owner_url,
                "-f",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    finally:
        databases.drop(db)
    planned, assertions = parse_tap(result.stdout)
    return FileRun(result.returncode, result.stderr.strip(), planned, assertions)


class PgTapFailure(Exception):
    pass


class PgTapFile(pytest.File):
    def collect(self):
        template = self.config.stash[databases.TEMPLATE_KEY].name
        run = run_file(self.path, template)
        for a in run.assertions:
            yield PgTapItem.from_parent(self, name=f"{a.number:03d} {a.description}", assertion=a)
        yield PgTapPlanItem.from_parent(self, name="plan", run=run)


class PgTapItem(pytest.Item):
    def __init__(self, *, assertion: Assertion, **kwargs):
        super().__init__(**kwargs)
        self.assertion = assertion

    def runtest(self):
        if not self.assertion.passed:
            raise PgTapFailure(
                "\n".join(
                    [
                        f"not ok {self.assertion.number} - {self.assertion.description}",
                        *self.assertion.diagnostics,
                    ]
                )
            )

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PgTapFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: {self.name}"


class PgTapPlanItem(pytest.Item):
    def __init__(self, *, run: FileRun, **kwargs):
        super().__init__(**kwargs)
        self.run = run

    def runtest(self):
        run = self.run
        if run.returncode != 0:
            raise PgTapFailure(f"psql exited {run.returncode}:\n{run.stderr}")
        if not run.assertions:
            raise PgTapFailure("the file ran no assertion")
        if run.planned != len(run.assertions):
            raise PgTapFailure(f"planned {run.planned} assertions, ran {len(run.assertions)}")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, PgTapFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}: plan"


def pytest_collect_file(file_path: Path, parent):
    if (
        file_path.suffix == ".sql"
        and file_path.name.startswith("test_")
        and "db" in file_path.parts
    ):
        return PgTapFile.from_parent(parent, path=file_path)
    return None
