"""The explicit order in which function and policy files are re-applied on every migrate.

Files under db/functions and db/policies are idempotent (CREATE OR REPLACE, drop-and-create),
so they are re-applied in full after every migration run. The order is written down in
db/manifest.txt rather than inferred, because functions depend on each other and policies
depend on functions; a file on disk that the manifest does not name is an error, so nothing
is silently skipped.
"""

from __future__ import annotations

from pathlib import Path

from app.db.paths import DB_DIR, MANIFEST
from app.errors import CommandError

APPLIED_DIRS = ("functions", "policies")


def read_manifest(manifest: Path = MANIFEST, db_dir: Path = DB_DIR) -> list[Path]:
    """The files to apply, in order; raises when the manifest and the disk disagree."""
    listed: list[Path] = []
    for raw in manifest.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            listed.append(db_dir / line)
    on_disk = {p for d in APPLIED_DIRS for p in (db_dir / d).rglob("*.sql")}
    missing = [p for p in listed if p not in on_disk]
    unlisted = sorted(on_disk - set(listed))
    duplicated = sorted({p for p in listed if listed.count(p) > 1})
    problems = []
    if missing:
        problems.append("listed but missing: " + ", ".join(_rel(p, db_dir) for p in missing))
    if unlisted:
        problems.append("not listed: " + ", ".join(_rel(p, db_dir) for p in unlisted))
    if duplicated:
        problems.append("listed twice: " + ", ".join(_rel(p, db_dir) for p in duplicated))
    if problems:
        raise CommandError(f"{_rel(manifest, db_dir.parent)}: " + "; ".join(problems))
    return listed


def _rel(path: Path, base: Path) -> str:
    return str(path.relative_to(base))
