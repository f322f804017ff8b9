"""db/manifest.txt names every function and policy file exactly once, in apply order."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.manifest import read_manifest
from app.errors import CommandError


def test_repository_manifest_is_complete():
    files = read_manifest()
    assert files, "the manifest lists the function and policy files"
    functions = [f for f in files if "functions" in f.parts]
    policies = [f for f in files if "policies" in f.parts]
    assert files == functions + policies, "functions are applied before policies"


def _tree(tmp_path: Path, manifest: str) -> tuple[Path, Path]:
    db = tmp_path / "db"
    (db / "functions" / "x").mkdir(parents=True)
    (db / "policies").mkdir()
    (db / "functions" / "x" / "a.sql").write_text("select 1;")
    (db / "policies" / "p.sql").write_text("select 1;")
    (db / "manifest.txt").write_text(manifest)
    return db / "manifest.txt", db


def test_unlisted_file_is_an_error(tmp_path: Path):
    manifest, db = _tree(tmp_path, "functions/x/a.sql\n")
    with pytest.raises(CommandError, match=r"not listed: policies/p\.sql"):
        read_manifest(manifest, db)


def test_missing_and_duplicate_files_are_errors(tmp_path: Path):
    manifest, db = _tree(
        tmp_path, "functions/x/a.sql\nfunctions/x/a.sql\nfunctions/gone.sql\npolicies/p.sql\n"
    )
    with pytest.raises(
        CommandError, match=r"listed but missing: functions/gone\.sql.*listed twice"
    ):
        read_manifest(manifest, db)


def test_order_and_comments_are_kept(tmp_path: Path):
    manifest, db = _tree(tmp_path, "# order\npolicies/p.sql\nfunctions/x/a.sql  # late\n")
    assert [p.name for p in read_manifest(manifest, db)] == ["p.sql", "a.sql"]
