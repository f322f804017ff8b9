"""What `restartix crypto ...` and `restartix dev-keys` do, behind thin CLI handlers.

Keys are reached through the system pool (SYSTEM_DATABASE_URL), as the application reaches
them; the encrypted tables are read and rewritten as the owner (MIGRATE_DATABASE_URL), the
one role that may update every table whatever its policies, as migrations do.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from app.config import Settings
from app.crypto import build_field_cipher
from app.crypto.errors import CryptoError
from app.crypto.local import add_kek_to_file, kek_id_of, read_kek_file
from app.crypto.rotation import (
    ColumnProgress,
    RotationResult,
    Rotator,
    count_values,
    encrypted_columns,
)
from app.crypto.settings import CryptoSettings
from app.crypto.store import PostgresKeyStore
from app.db.admin import OWNER, connect
from app.errors import CommandError

Say = Callable[[str], None]


@dataclass(frozen=True)
class Organization:
    id: UUID
    slug: str


_BY_ID = "select id, slug from tenancy.organizations where id = %s"
_BY_SLUG = """
select id, slug, deleted_at is not null from tenancy.organizations
where slug = %s
order by deleted_at nulls first
"""
_WITH_LIVE_KEYS = """
select o.id, o.slug from tenancy.organizations as o
where exists (
    select 1 from crypto.organization_data_keys as k
    where k.organization_id = o.id and k.destroyed_at is null
)
order by o.slug, o.id
"""


def resolve_organization(conn: psycopg.Connection[Any], ref: str) -> Organization:
    """An org by id, or by slug: the live org holding it, else the one deleted org that had it."""
    try:
        org_id = UUID(ref)
    except ValueError:
        rows = conn.execute(_BY_SLUG, (ref,)).fetchall()
        live = [r for r in rows if not r[2]]
        if len(live) != 1 and len(rows) > 1:
            raise CommandError(
                f"several deleted organizations had the slug {ref!r}; pass the organization id"
            ) from None
        found = [(r[0], r[1]) for r in (live or rows)]
    else:
        found = conn.execute(_BY_ID, (org_id,)).fetchall()
    if not found:
        raise CommandError(f"no organization {ref!r}")
    return Organization(found[0][0], found[0][1])


def _system_pool(settings: Settings) -> Callable[[], AbstractContextManager[psycopg.Connection]]:
    return lambda: connect(settings.system_database_url)


def rotate(
    settings: Settings,
    *,
    org: str | None,
    all_orgs: bool,
    batch_size: int,
    say: Say,
    on_batch: Callable[[ColumnProgress], None] | None = None,
) -> list[RotationResult]:
    """Rotate one org (`org`, a slug or id) or every org with a live key; progress to `say`."""
    results = []
    try:
        cipher = build_field_cipher(_system_pool(settings), _crypto_settings())
        with connect(settings.migrate_database_url, role=OWNER) as conn:
            if all_orgs:
                orgs = [Organization(i, s) for i, s in conn.execute(_WITH_LIVE_KEYS).fetchall()]
                if not orgs:
                    say("no organization has a data key; nothing to rotate")
            else:
                assert org is not None
                orgs = [resolve_organization(conn, org)]
            rotator = Rotator(cipher, conn, batch_size=batch_size, say=say, on_batch=on_batch)
            for organization in orgs:
                results.append(rotator.rotate(organization.id, organization.slug))
    except CryptoError as exc:
        raise CommandError(str(exc)) from None
    except psycopg.Error as exc:
        raise CommandError(
            f"rotation stopped (run it again to resume): {_first_line(exc)}"
        ) from None
    return results


@dataclass(frozen=True)
class ShredResult:
    organization: Organization
    destroyed: int
    values: int


def shred(settings: Settings, *, org: str) -> ShredResult:
    """Destroy every data key of an org: its encrypted fields become unrecoverable."""
    # Straight to the store: destroying needs no KEK, so an org can be shredded even where
    # the key provider is unreachable.
    store = PostgresKeyStore(_system_pool(settings))
    try:
        with connect(settings.migrate_database_url, role=OWNER) as conn:
            organization = resolve_organization(conn, org)
            destroyed = store.destroy(organization.id)
            values = count_values(conn, organization.id, encrypted_columns(conn))
    except CryptoError as exc:
        raise CommandError(str(exc)) from None
    except psycopg.Error as exc:
        raise CommandError(f"shredding failed: {_first_line(exc)}") from None
    return ShredResult(organization, destroyed, values)


@dataclass(frozen=True)
class DevKek:
    path: Path
    kek_id: str
    created: bool
    overridden_by_env: bool


def ensure_dev_kek(crypto: CryptoSettings | None = None) -> DevKek:
    """The local KEK file: created (mode 600, outside the repo) if missing, else checked."""
    crypto = crypto or _crypto_settings()
    path = crypto.local_kek_file
    try:
        if path.exists():
            kek_id, created = kek_id_of(read_kek_file(path)[0]), False
        else:
            kek_id, created = add_kek_to_file(path), True
    except CryptoError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot write the local KEK file {path}: {exc.strerror}") from None
    return DevKek(path, kek_id, created, overridden_by_env=bool(crypto.local_kek))


def _crypto_settings() -> CryptoSettings:
    try:
        return CryptoSettings.from_env()
    except CryptoError as exc:
        raise CommandError(str(exc)) from None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__
