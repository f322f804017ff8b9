"""The committed schema snapshot: a normalized dump of the fully migrated schema."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess

from app.errors import CommandError

# Bookkeeping tables of the migration tool are not part of the product's schema.
EXCLUDED_TABLES = ("public._yoyo_*", "public.yoyo_lock")
# Monthly partitions depend on the day the dump runs; the partitioned parents carry the design.
EXCLUDED_PARTITIONS = re.compile(r"_p\d{4}_\d{2}(\b|_)")

_VOLATILE_LINE = re.compile(r"^(-- Dumped (from|by) |\\(un)?restrict )")
# The role list of a policy, which pg_dump writes in the order of the roles' OIDs.
_POLICY_ROLES = re.compile(
    r'^(CREATE POLICY .*? ON "[^"]+"\."[^"]+"(?: AS \w+)?(?: FOR \w+)? TO )'
    r'("[^"]+"(?:, "[^"]+")+)'
)
# Statements that commute with their neighbours of the same kind (grants with grants).
_GRANT = re.compile(r"^(GRANT |ALTER DEFAULT PRIVILEGES .* GRANT )")


def dump_schema(url: str) -> str:
    """pg_dump of the schema, normalized so that two builds of the same migrations compare equal."""
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise CommandError("pg_dump is not on PATH; install the PostgreSQL client")
    args = [pg_dump, "--schema-only", "--no-tablespaces", "--quote-all-identifiers", "-d", url]
    for pattern in EXCLUDED_TABLES:
        args += ["--exclude-table", pattern]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError("pg_dump failed: " + (result.stderr.strip().splitlines() or ["?"])[0])
    return normalize(result.stdout)


def dump_fresh_schema(migrate_url: str) -> str:
    """Build a scratch database from the migrations alone, dump its schema, drop it."""
    import os

    from app.config import with_database
    from app.db import admin

    name = f"restartix_schema_{os.getpid()}"
    url = with_database(migrate_url, name)
    try:
        admin.bootstrap(url, _quiet)
        admin.migrate(url, _quiet)
        return dump_schema(url)
    finally:
        with admin.connect(with_database(migrate_url, admin.MAINTENANCE_DB)) as conn:
            admin.drop_database(conn, name)


def normalize(text: str) -> str:
    lines = [ln.rstrip() for ln in text.splitlines() if not _VOLATILE_LINE.match(ln)]
    lines = _sorted_grants([_sorted_policy_roles(ln) for ln in lines])
    blocks = _drop_partition_blocks("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", blocks).strip() + "\n"


def _sorted_policy_roles(line: str) -> str:
    """`TO "b", "a"` of a policy as `TO "a", "b"`: the same on every cluster."""
    match = _POLICY_ROLES.match(line)
    if match is None:
        return line
    roles = ", ".join(sorted(match.group(2).split(", ")))
    return match.group(1) + roles + line[match.end() :]


def _sorted_grants(lines: list[str]) -> list[str]:
    """Each run of consecutive GRANT lines sorted (their order follows the cluster's ACLs
    and OIDs; grants commute). REVOKEs and everything else keep their places."""
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        if _GRANT.match(line):
            run.append(line)
            continue
        out += sorted(run)
        run = []
        out.append(line)
    return out + sorted(run)


def _drop_partition_blocks(text: str) -> str:
    """Remove the dump's blocks (separated by its `--` headers) that define monthly partitions."""
    parts = re.split(r"(?m)^(?=--\n-- Name: )", text)
    return "".join(p for p in parts if not _is_partition_block(p))


def _is_partition_block(block: str) -> bool:
    header = block.split("\n", 3)[:3]
    return any(EXCLUDED_PARTITIONS.search(line) for line in header if line.startswith("-- Name: "))


def _quiet(_message: str) -> None:
    """Scratch builds report nothing."""


def diff(expected: str, actual: str) -> str:
    """A unified diff, empty when the two schemas are the same."""
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile="db/schema.sql (committed)",
            tofile="schema built from migrations",
        )
    )
