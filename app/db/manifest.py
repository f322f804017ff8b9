"""The order in which function and policy files are re-applied on every migrate.

Files under db/functions and db/policies are idempotent (CREATE OR REPLACE, drop-and-create),
so they are re-applied in full after every migration run. The order follows the domains
(`app.domains`): the shared SQL libraries first, then each domain after the ones it depends
on; within a domain's folder, by file name. Every function file before every policy file,
because policies call functions. A file that belongs to no domain is an error, so nothing is
silently skipped.
"""

from __future__ import annotations

from pathlib import Path

from app import domains
from app.db.paths import DB_DIR
from app.errors import CommandError

APPLIED_DIRS = ("functions", "policies")


def apply_order(db_dir: Path = DB_DIR, names: tuple[str, ...] | None = None) -> list[Path]:
    """The files to apply, in order; raises when a file belongs to no domain."""
    owners = (*domains.SQL_LIBRARIES, *(names if names is not None else domains.names()))
    functions = [
        f for owner in owners for f in sorted((db_dir / "functions" / owner).glob("*.sql"))
    ]
    policies = [p for owner in owners if (p := db_dir / "policies" / f"{owner}.sql").exists()]
    listed = functions + policies
    on_disk = {p for d in APPLIED_DIRS for p in (db_dir / d).rglob("*.sql")}
    orphans = sorted(on_disk - set(listed))
    if orphans:
        raise CommandError(
            "SQL files that belong to no domain: "
            + ", ".join(str(p.relative_to(db_dir)) for p in orphans)
        )
    return listed
