"""PostgreSQL storage of wrapped data keys in crypto.organization_data_keys (RLS, org-scoped).

Each call runs in its own short transaction on a connection of its own, with
app.current_org_id set locally to the org it acts for, so it never borrows (or changes) the
org scope of a request's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from uuid import UUID

import psycopg
from psycopg import errors

from app.crypto.keys import KeyRecord
from app.crypto.providers import WrappedKey

ConnectionFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]

SET_ORG = "select set_config('app.current_org_id', %(org)s, true)"

_COLUMNS = (
    "organization_id, version, kek_id, data_key_encrypted, created_at, retired_at, destroyed_at"
)

GET_ACTIVE = f"""
select {_COLUMNS}
from (
    select {_COLUMNS}
    from crypto.organization_data_keys
    where organization_id = %(org)s
    order by version desc
    limit 1
) as newest
where retired_at is null and destroyed_at is null
"""

GET = f"""
select {_COLUMNS}
from crypto.organization_data_keys
where organization_id = %(org)s and version = %(version)s
"""

LIST_VERSIONS = f"""
select {_COLUMNS}
from crypto.organization_data_keys
where organization_id = %(org)s
order by version
"""

# Tombstones count towards max(version), so a destroyed version number is never reused.
CREATE = f"""
insert into crypto.organization_data_keys (organization_id, version, kek_id, data_key_encrypted)
select %(org)s, coalesce(max(version), 0) + 1, %(kek_id)s, %(wrapped)s
from crypto.organization_data_keys
where organization_id = %(org)s
returning {_COLUMNS}
"""

RETIRE = """
update crypto.organization_data_keys
set retired_at = util.now()
where organization_id = %(org)s and version = %(version)s
    and retired_at is null and destroyed_at is null
"""

DESTROY = """
update crypto.organization_data_keys
set data_key_encrypted = null, destroyed_at = util.now()
where organization_id = %(org)s and destroyed_at is null
    and (%(version)s::integer is null or version = %(version)s::integer)
"""

REPLACE_WRAPPING = """
update crypto.organization_data_keys
set kek_id = %(kek_id)s, data_key_encrypted = %(wrapped)s
where organization_id = %(org)s and version = %(version)s
    and kek_id = %(old_kek_id)s and destroyed_at is null
"""

_CREATE_ATTEMPTS = 5


class PostgresKeyStore:
    """The KeyStore the application uses; `connect` is e.g. the system pool's `.connection`."""

    def __init__(self, connect: ConnectionFactory) -> None:
        self._connect = connect

    def get_active(self, organization_id: UUID) -> KeyRecord | None:
        return self._one(organization_id, GET_ACTIVE, {})

    def get(self, organization_id: UUID, version: int) -> KeyRecord | None:
        return self._one(organization_id, GET, {"version": version})

    def list_versions(self, organization_id: UUID) -> list[KeyRecord]:
        with self._scoped(organization_id) as conn:
            rows = conn.execute(LIST_VERSIONS, {"org": organization_id}).fetchall()
        return [KeyRecord(*row) for row in rows]

    def create(self, organization_id: UUID, wrapped: WrappedKey) -> KeyRecord:
        params = {"kek_id": wrapped.kek_id, "wrapped": wrapped.blob}
        for attempt in range(_CREATE_ATTEMPTS):
            try:
                record = self._one(organization_id, CREATE, params)
            except errors.UniqueViolation:
                # Another process took the same version number first; take the next one.
                if attempt == _CREATE_ATTEMPTS - 1:
                    raise
                continue
            assert record is not None
            return record
        raise AssertionError("unreachable")

    def retire(self, organization_id: UUID, version: int) -> bool:
        return self._count(organization_id, RETIRE, {"version": version}) == 1

    def destroy(self, organization_id: UUID, version: int | None = None) -> int:
        return self._count(organization_id, DESTROY, {"version": version})

    def replace_wrapping(
        self, organization_id: UUID, version: int, old_kek_id: str, new: WrappedKey
    ) -> bool:
        params = {
            "version": version,
            "old_kek_id": old_kek_id,
            "kek_id": new.kek_id,
            "wrapped": new.blob,
        }
        return self._count(organization_id, REPLACE_WRAPPING, params) == 1

    @contextmanager
    def _scoped(self, organization_id: UUID) -> Iterator[psycopg.Connection[Any]]:
        with self._connect() as conn, conn.transaction():
            conn.execute(SET_ORG, {"org": str(organization_id)})
            yield conn

    def _one(self, organization_id: UUID, sql: str, params: dict[str, Any]) -> KeyRecord | None:
        with self._scoped(organization_id) as conn:
            row = conn.execute(sql, {"org": organization_id, **params}).fetchone()
        return None if row is None else KeyRecord(*row)

    def _count(self, organization_id: UUID, sql: str, params: dict[str, Any]) -> int:
        with self._scoped(organization_id) as conn:
            return conn.execute(sql, {"org": organization_id, **params}).rowcount
