"""Data key rotation over the database: move every encrypted field of an org to the new key.

The columns come from the registry (crypto.encrypted_columns()), so a column is covered as
soon as it is classified. Work is done in short batches; the header prefix of the target
version tells which rows are still to move, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from app.crypto import envelope
from app.crypto.cipher import FieldCipher
from app.crypto.envelope import FieldContext, header_prefix
from app.crypto.errors import CryptoError, DecryptionError

DEFAULT_BATCH = 500
MAX_BATCH = 10_000
# Rows locked by a request, or written with the old key by a process whose key cache is not
# yet expired, are picked up by the next sweep; sweeps stop when one moves nothing.
MAX_SWEEPS = 10
ACTION_CONTEXT = "crypto_rotation"

Say = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class RotationBusyError(CryptoError):
    """Another process holds this organization's rotation lock."""


def _lock_name(organization_id: UUID) -> str:
    return f"restartix.crypto.rotate:{organization_id}"


@dataclass(frozen=True)
class EncryptedColumn:
    table: str  # schema.table
    column: str
    row_key: str = "id"  # the column whose value is the row id of the encryption context

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def sql_names(self) -> dict[str, sql.Composable]:
        schema, table = self.table.split(".", 1)
        return {
            "table": sql.Identifier(schema, table),
            "col": sql.Identifier(self.column),
            "key": sql.Identifier(self.row_key),
        }


def encrypted_columns(conn: psycopg.Connection[Any]) -> list[EncryptedColumn]:
    """Every encrypted field column the registry loaded into the database names."""
    rows = conn.execute(
        "select table_schema, table_name, column_name, row_key from crypto.encrypted_columns()"
    ).fetchall()
    return [EncryptedColumn(f"{s}.{t}", column, key) for s, t, column, key in rows]


@dataclass
class ColumnProgress:
    column: EncryptedColumn
    remaining: int
    done: int = 0
    # Values that do not decrypt (destroyed key, tampered or misplaced): left as they are.
    unreadable: int = 0

    def line(self, label: str) -> str:
        text = f"{label}: {self.column.name}: {self.done} done, {self.remaining} remaining"
        return text + (f", {self.unreadable} unreadable" if self.unreadable else "")


@dataclass
class RotationResult:
    organization_id: UUID
    version: int | None  # None when the org has no live key (never encrypted, or shredded)
    resumed: bool = False
    columns: list[ColumnProgress] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    still_used: dict[int, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(c.done for c in self.columns)

    @property
    def unreadable(self) -> int:
        return sum(c.unreadable for c in self.columns)


_COUNT_PENDING = """
select count(*) from {table}
where organization_id = %(org)s and {col} is not null
    and substring({col} from 1 for %(length)s) <> %(prefix)s
"""
_COUNT_WITH_PREFIX = """
select count(*) from {table}
where organization_id = %(org)s and substring({col} from 1 for %(length)s) = %(prefix)s
"""
_COUNT_VALUES = "select count(*) from {table} where organization_id = %(org)s and {col} is not null"
_BATCH = """
select {key}, {col} from {table}
where organization_id = %(org)s and {col} is not null
    and substring({col} from 1 for %(length)s) <> %(prefix)s {after}
order by {key}
limit %(limit)s
for no key update skip locked
"""
_UPDATE = "update {table} set {col} = %s where organization_id = %s and {key} = %s"


class Rotator:
    """Rotates one org at a time on `conn`, a connection that may read and update every
    table with encrypted columns (the CLI uses the owner); keys go through `cipher`."""

    def __init__(
        self,
        cipher: FieldCipher,
        conn: psycopg.Connection[Any],
        *,
        batch_size: int = DEFAULT_BATCH,
        say: Say = _stderr,
        on_batch: Callable[[ColumnProgress], None] | None = None,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch size must be between 1 and {MAX_BATCH}, got {batch_size}")
        if not conn.autocommit:
            raise ValueError("the rotation connection must be in autocommit mode (one txn a batch)")
        self.cipher = cipher
        self.keyring = cipher.keyring
        self.conn = conn
        self.batch_size = batch_size
        self.say = say
        self.on_batch = on_batch

    def rotate(self, organization_id: UUID, label: str | None = None) -> RotationResult:
        """Start (or resume) a rotation, move every row, retire the versions no row uses."""
        label = label or str(organization_id)
        lock = self.conn.execute(
            "select pg_try_advisory_lock(hashtextextended(%s, 0))", (_lock_name(organization_id),)
        ).fetchone()
        if not lock or not lock[0]:
            raise RotationBusyError(f"{label}: another rotation of this organization is running")
        try:
            return self._rotate(organization_id, label)
        finally:
            self.conn.execute(
                "select pg_advisory_unlock(hashtextextended(%s, 0))",
                (_lock_name(organization_id),),
            )

    def _rotate(self, organization_id: UUID, label: str) -> RotationResult:
        versions = self.keyring.store.list_versions(organization_id)
        if not any(v.destroyed_at is None for v in versions):
            state = "its data keys were destroyed" if versions else "it has no data key yet"
            self.say(f"{label}: nothing to rotate ({state})")
            return RotationResult(organization_id, None)
        # Every live version must open here before a new one is made: a missing KEK stops
        # the run now, not halfway through with a spare version left behind.
        for record in versions:
            if record.destroyed_at is None:
                self.keyring.key(organization_id, record.version)
        newest = versions[-1]
        unfinished = [v for v in versions[:-1] if v.destroyed_at is None and v.retired_at is None]
        # An older version still live means an earlier run stopped before retiring it:
        # continue towards the same target rather than start yet another version.
        if newest.destroyed_at is None and newest.retired_at is None and unfinished:
            result = RotationResult(organization_id, newest.version, resumed=True)
            self.say(f"{label}: resuming the rotation to data key version {newest.version}")
        else:
            result = RotationResult(organization_id, self.keyring.rotate(organization_id).version)
            self.say(f"{label}: rotating to data key version {result.version}")
        assert result.version is not None
        columns = encrypted_columns(self.conn)
        for column in columns:
            result.columns.append(self._move(column, organization_id, result.version, label))
        self._retire_unused(organization_id, result, columns, label)
        return result

    def _move(
        self, column: EncryptedColumn, organization_id: UUID, version: int, label: str
    ) -> ColumnProgress:
        names = column.sql_names()
        prefix = header_prefix(version)
        params: dict[str, Any] = {"org": organization_id, "prefix": prefix, "length": len(prefix)}
        pending = self._count(_COUNT_PENDING, names, params)
        progress = ColumnProgress(column, remaining=pending)
        if not pending:
            return progress
        target = self.keyring.key(organization_id, version)
        unreadable: set[Any] = set()
        first = sql.SQL(_BATCH).format(after=sql.SQL(""), **names)
        after_key = sql.SQL("and {key} > %(after)s").format(**names)
        following = sql.SQL(_BATCH).format(after=after_key, **names)
        update = sql.SQL(_UPDATE).format(**names)
        for _sweep in range(MAX_SWEEPS):
            moved_in_sweep = 0
            after = None
            while True:
                with self.conn.transaction():
                    self.conn.execute(
                        "select set_config('app.action_context', %s, true)", (ACTION_CONTEXT,)
                    )
                    query = first if after is None else following
                    rows = self.conn.execute(
                        query, {**params, "after": after, "limit": self.batch_size}
                    ).fetchall()
                    if not rows:
                        break
                    changes = []
                    for row_id, value in rows:
                        context = FieldContext(column.table, column.column, organization_id, row_id)
                        try:
                            plaintext = self.cipher.decrypt(value, context)
                        except DecryptionError:
                            if row_id not in unreadable:
                                unreadable.add(row_id)
                                progress.unreadable += 1
                            continue
                        sealed = envelope.seal(target, plaintext, context)
                        changes.append((sealed, organization_id, row_id))
                    if changes:
                        with self.conn.cursor() as cur:
                            cur.executemany(update, changes)
                    after = rows[-1][0]
                moved_in_sweep += len(changes)
                progress.done += len(changes)
                progress.remaining = max(pending - progress.done - progress.unreadable, 0)
                self.say(progress.line(label))
                if self.on_batch is not None:
                    self.on_batch(progress)
            if not moved_in_sweep:
                break
        # The truth at the end, whatever other writers did meanwhile.
        still_pending = self._count(_COUNT_PENDING, names, params)
        progress.remaining = max(still_pending - progress.unreadable, 0)
        return progress

    def _retire_unused(
        self,
        organization_id: UUID,
        result: RotationResult,
        columns: list[EncryptedColumn],
        label: str,
    ) -> None:
        assert result.version is not None
        for record in self.keyring.store.list_versions(organization_id):
            if (
                record.version >= result.version
                or record.destroyed_at is not None
                or record.retired_at is not None
            ):
                continue
            prefix = header_prefix(record.version)
            params = {"org": organization_id, "prefix": prefix, "length": len(prefix)}
            used = sum(self._count(_COUNT_WITH_PREFIX, c.sql_names(), params) for c in columns)
            if used:
                result.still_used[record.version] = used
            elif self.keyring.retire(organization_id, record.version):
                result.retired.append(record.version)
        if result.retired:
            retired = ", ".join(str(v) for v in result.retired)
            self.say(f"{label}: retired data key version(s) {retired}")
        for version, used in sorted(result.still_used.items()):
            self.say(
                f"{label}: data key version {version} is still used by {used} value(s); "
                "not retired (run the rotation again once they can be moved)"
            )
        if result.unreadable:
            self.say(
                f"{label}: {result.unreadable} value(s) do not decrypt (destroyed key, tampered "
                "or misplaced); they were left as they are"
            )

    def _count(
        self, template: str, names: dict[str, sql.Composable], params: dict[str, Any]
    ) -> int:
        row = self.conn.execute(sql.SQL(template).format(**names), params).fetchone()
        return int(row[0]) if row else 0


def count_values(
    conn: psycopg.Connection[Any], organization_id: UUID, columns: list[EncryptedColumn]
) -> int:
    """How many encrypted values the org holds across `columns` (what shredding makes moot)."""
    total = 0
    for column in columns:
        query = sql.SQL(_COUNT_VALUES).format(**column.sql_names())
        row = conn.execute(query, {"org": organization_id}).fetchone()
        total += int(row[0]) if row else 0
    return total
