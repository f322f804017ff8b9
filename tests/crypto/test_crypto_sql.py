"""Field encryption through SQL: a consumer table written and read through the pools, key
rotation over every row (resumable), misplaced ciphertexts, crypto-shredding and the CLI."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from app.crypto import (
    ContextMismatchError,
    FieldCipher,
    FieldContext,
    KeyDestroyedError,
    Keyring,
    TamperedCiphertextError,
    header_prefix,
)
from app.crypto.local import LocalKeyProvider, kek_id_of, read_kek_file
from app.crypto.rotation import (
    ColumnProgress,
    EncryptedColumn,
    RotationBusyError,
    Rotator,
    encrypted_columns,
)
from app.crypto.store import PostgresKeyStore
from tests.databases import ScratchDatabase
from tests.test_cli import assert_one_line_failure, run_cli

TABLE = "scratch.patients"
COLUMN = "national_id_encrypted"

# The consumer: a tenant table with one pii_regulated column, built as a migration would.
CONSUMER = """
SET ROLE restartix_owner;
CREATE SCHEMA scratch;
GRANT USAGE ON SCHEMA scratch TO restartix_app;
CREATE TABLE scratch.patients (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    name text NOT NULL,
    national_id_encrypted bytea
);
CREATE INDEX patients_org_idx ON scratch.patients (organization_id, id);
GRANT SELECT, INSERT, UPDATE ON scratch.patients TO restartix_app;
SELECT util.reset_policies('scratch.patients');
CREATE POLICY "members manage their organization's patients" ON scratch.patients
FOR ALL TO restartix_app
USING (organization_id = (SELECT iam.current_member_org_id()))
WITH CHECK (organization_id = (SELECT iam.current_member_org_id()));
INSERT INTO util.column_classification (table_schema, table_name, column_name, class, egress)
VALUES ('scratch', 'patients', 'id', 'system_metadata', '{}'),
       ('scratch', 'patients', 'organization_id', 'system_metadata', '{}'),
       ('scratch', 'patients', 'name', 'pii_basic', '{}'),
       ('scratch', 'patients', 'national_id_encrypted', 'pii_regulated', '{}');
SELECT audit.track('scratch.patients');
-- One row per organization, keyed by it (the shape of billing.organization_billing).
CREATE TABLE scratch.clinic_secrets (
    organization_id uuid PRIMARY KEY REFERENCES tenancy.organizations (id),
    api_token_encrypted bytea
);
INSERT INTO util.column_classification (table_schema, table_name, column_name, class, egress)
VALUES ('scratch', 'clinic_secrets', 'organization_id', 'system_metadata', '{}'),
       ('scratch', 'clinic_secrets', 'api_token_encrypted', 'auth_secret', '{}');
RESET ROLE;
"""


@dataclass(frozen=True)
class Clinic:
    org: UUID
    member: UUID
    slug: str


@dataclass(frozen=True)
class World:
    db: ScratchDatabase
    kek: bytes
    a: Clinic
    b: Clinic

    def cipher(self, cache_ttl: float = 60.0) -> FieldCipher:
        """A cipher as one application process holds it (its own key cache)."""
        store = PostgresKeyStore(lambda: psycopg.connect(self.db.system_url))
        return FieldCipher(Keyring(store, LocalKeyProvider([self.kek]), cache_ttl=cache_ttl))

    @contextmanager
    def as_member(self, clinic: Clinic) -> Iterator[psycopg.Connection[Any]]:
        """A request transaction on the request pool, scoped as the API scopes it."""
        with psycopg.connect(self.db.app_url) as conn, conn.transaction():
            conn.execute(
                "select set_config('app.current_principal_id', %s, true), "
                "set_config('app.current_org_id', %s, true)",
                (str(clinic.member), str(clinic.org)),
            )
            yield conn

    def owner(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.db.owner_url, autocommit=True)

    def rotation_conn(self) -> psycopg.Connection[Any]:
        # What `restartix crypto rotate` uses: the owner, not the superuser.
        return psycopg.connect(
            self.db.owner_url, autocommit=True, options="-c role=restartix_owner"
        )


def context(clinic: Clinic, row_id: UUID) -> FieldContext:
    return FieldContext(TABLE, COLUMN, clinic.org, row_id)


def add_patients(
    world: World, cipher: FieldCipher, clinic: Clinic, values: list[str | None]
) -> list[UUID]:
    """Insert through the request pool; the id is chosen first because the AAD binds it."""
    ids = [uuid4() for _ in values]
    with world.as_member(clinic) as conn, conn.cursor() as cur:
        cur.executemany(
            "insert into scratch.patients (id, organization_id, name, national_id_encrypted) "
            "values (%s, %s, %s, %s)",
            [
                (
                    row_id,
                    clinic.org,
                    f"patient {i}",
                    cipher.encrypt_text(nid, context(clinic, row_id)),
                )
                for i, (row_id, nid) in enumerate(zip(ids, values, strict=True))
            ],
        )
    return ids


def read_patients(world: World, cipher: FieldCipher, clinic: Clinic) -> dict[UUID, str | None]:
    with world.as_member(clinic) as conn:
        rows = conn.execute("select id, national_id_encrypted from scratch.patients").fetchall()
    return {row_id: cipher.decrypt_text(value, context(clinic, row_id)) for row_id, value in rows}


def stored(world: World, row_id: UUID) -> bytes:
    with world.owner() as conn:
        row = conn.execute(
            "select national_id_encrypted from scratch.patients where id = %s", (row_id,)
        ).fetchone()
    assert row is not None
    return bytes(row[0])


def versions_in_use(world: World, clinic: Clinic) -> dict[int, int]:
    """How many of the clinic's values each key version sealed (by header prefix)."""
    with world.owner() as conn:
        values = conn.execute(
            "select national_id_encrypted from scratch.patients "
            "where organization_id = %s and national_id_encrypted is not null",
            (clinic.org,),
        ).fetchall()
    counts: dict[int, int] = {}
    for (value,) in values:
        version = next(v for v in range(1, 10) if bytes(value).startswith(header_prefix(v)))
        counts[version] = counts.get(version, 0) + 1
    return counts


def key_rows(world: World, clinic: Clinic) -> list[tuple[int, bool, bool, bool]]:
    """(version, has wrapped bytes, retired, destroyed) of each of the clinic's keys."""
    with world.owner() as conn:
        return conn.execute(
            "select version, data_key_encrypted is not null, retired_at is not null, "
            "destroyed_at is not null from crypto.organization_data_keys "
            "where organization_id = %s order by version",
            (clinic.org,),
        ).fetchall()


def national_ids(count: int, start: int = 0) -> list[str | None]:
    return [f"1850101{n:06d}" for n in range(start, start + count)]


@pytest.fixture
def world(fresh_database: ScratchDatabase) -> World:
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute(CONSUMER)
        clinics = []
        for slug in ("clinic-a", "clinic-b"):
            org = conn.execute("select tests.create_org(%s)", (slug,)).fetchone()[0]
            member = conn.execute(
                "select tests.create_human(%s)", (f"owner@{slug}.test",)
            ).fetchone()[0]
            conn.execute("select tests.add_member(%s, %s, 'owner')", (org, member))
            clinics.append(Clinic(org, member, slug))
    return World(fresh_database, os.urandom(32), *clinics)


def test_round_trip_through_the_request_pool(world: World) -> None:
    cipher = world.cipher()
    values = ["1850101123456", "2900202654321", None]
    ids = add_patients(world, cipher, world.a, values)

    assert read_patients(world, cipher, world.a) == dict(zip(ids, values, strict=True))
    assert read_patients(world, world.cipher(), world.a) == dict(zip(ids, values, strict=True))
    raw = stored(world, ids[0])
    assert raw.startswith(header_prefix(1))
    assert len(raw) == len(values[0]) + 34
    assert values[0].encode() not in raw
    assert key_rows(world, world.a) == [(1, True, False, False)]
    assert key_rows(world, world.b) == [], "a key is created on an org's first write only"
    with world.owner() as conn:
        audit = conn.execute(
            "select new_values::text from audit.audit_log "
            "where entity_type = %s and action = 'insert'",
            (TABLE,),
        ).fetchall()
    assert len(audit) == 3
    assert all('"national_id_encrypted": "[redacted]"' in row for (row,) in audit)
    assert not any(values[0] in row for (row,) in audit)


def test_the_registry_names_the_encrypted_columns(world: World) -> None:
    with world.owner() as conn:
        found = encrypted_columns(conn)
    assert EncryptedColumn(TABLE, COLUMN, "id") in found
    assert (
        EncryptedColumn("scratch.clinic_secrets", "api_token_encrypted", "organization_id") in found
    )
    # Its wrapped keys are auth_secret too, but belong to no row: KEK rotation rewraps them.
    assert not [c for c in found if c.table.startswith("crypto.")]
    with world.owner() as conn:
        conn.execute(
            "update util.column_classification set class = 'clinical' "
            "where table_name = 'patients' and column_name = %s",
            (COLUMN,),
        )
        assert EncryptedColumn(TABLE, COLUMN, "id") not in encrypted_columns(conn)


def test_rotation_covers_a_table_keyed_by_organization(world: World) -> None:
    cipher = world.cipher()
    secret = FieldContext("scratch.clinic_secrets", "api_token_encrypted", world.a.org, world.a.org)
    with world.owner() as conn:
        conn.execute(
            "insert into scratch.clinic_secrets values (%s, %s)",
            (world.a.org, cipher.encrypt_text("tok_live_123", secret)),
        )
    add_patients(world, cipher, world.a, national_ids(2))
    lines: list[str] = []
    with world.rotation_conn() as conn:
        result = Rotator(cipher, conn, say=lines.append).rotate(world.a.org, "a")
    assert (result.done, result.retired) == (3, [1])
    assert "a: scratch.clinic_secrets.api_token_encrypted: 1 done, 0 remaining" in lines
    with world.owner() as conn:
        (value,) = conn.execute("select api_token_encrypted from scratch.clinic_secrets").fetchone()
    assert bytes(value).startswith(header_prefix(2))
    assert world.cipher().decrypt_text(value, secret) == "tok_live_123"


def test_a_ciphertext_moved_to_another_row_or_org_fails(world: World) -> None:
    cipher = world.cipher()
    first, second = add_patients(world, cipher, world.a, national_ids(2))
    (other_org_row,) = add_patients(world, cipher, world.b, national_ids(1, start=9))
    with world.owner() as conn:
        for target in (second, other_org_row):
            conn.execute(
                "update scratch.patients set national_id_encrypted = "
                "(select national_id_encrypted from scratch.patients where id = %s) where id = %s",
                (first, target),
            )

    with world.as_member(world.a) as conn:
        (copied,) = conn.execute(
            "select national_id_encrypted from scratch.patients where id = %s", (second,)
        ).fetchone()
    with pytest.raises(ContextMismatchError):
        cipher.decrypt(copied, context(world.a, second))
    with world.as_member(world.b) as conn:
        (pasted,) = conn.execute(
            "select national_id_encrypted from scratch.patients where id = %s", (other_org_row,)
        ).fetchone()
    with pytest.raises(ContextMismatchError):
        cipher.decrypt(pasted, context(world.b, other_org_row))

    with world.owner() as conn:
        conn.execute(
            "update scratch.patients set national_id_encrypted = "
            "set_byte(national_id_encrypted, octet_length(national_id_encrypted) - 1, 0) "
            "where id = %s",
            (first,),
        )
    with pytest.raises(TamperedCiphertextError):
        cipher.decrypt(stored(world, first), context(world.a, first))


def test_rotation_moves_every_row_and_retires_the_old_key(world: World) -> None:
    cipher = world.cipher()
    values_a = [*national_ids(23), None]
    ids_a = add_patients(world, cipher, world.a, values_a)
    add_patients(world, cipher, world.b, national_ids(4, start=100))
    lines: list[str] = []

    with world.rotation_conn() as conn:
        result = Rotator(cipher, conn, batch_size=5, say=lines.append).rotate(world.a.org, "a")

    assert (result.version, result.resumed, result.done, result.unreadable) == (2, False, 23, 0)
    assert result.retired == [1] and result.still_used == {}
    assert versions_in_use(world, world.a) == {2: 23}
    assert key_rows(world, world.a) == [(1, True, True, False), (2, True, False, False)]
    # Another process, with nothing cached, reads every value, old key retired or not.
    assert read_patients(world, world.cipher(), world.a) == dict(zip(ids_a, values_a, strict=True))
    assert versions_in_use(world, world.b) == {1: 4}
    assert key_rows(world, world.b) == [(1, True, False, False)]
    assert lines[0] == "a: rotating to data key version 2"
    assert f"a: {TABLE}.{COLUMN}: 5 done, 18 remaining" in lines
    assert f"a: {TABLE}.{COLUMN}: 23 done, 0 remaining" in lines
    assert lines[-1] == "a: retired data key version(s) 1"
    with world.owner() as conn:
        (audited,) = conn.execute(
            "select count(*) from audit.audit_log where entity_type = %s and action = 'update' "
            "and action_context = 'crypto_rotation' and changed_columns = %s",
            (TABLE, [COLUMN]),
        ).fetchone()
    assert audited == 23, "each re-encrypted row is audited as a rotation (value redacted)"


class Interrupted(Exception):
    pass


def test_rotation_resumes_after_an_interruption(world: World) -> None:
    cipher = world.cipher()
    values = national_ids(23)
    ids = add_patients(world, cipher, world.a, values)

    def stop_after_first_batch(progress: ColumnProgress) -> None:
        raise Interrupted(progress.done)

    with world.rotation_conn() as conn, pytest.raises(Interrupted):
        rotator = Rotator(
            cipher, conn, batch_size=5, say=lambda _: None, on_batch=stop_after_first_batch
        )
        rotator.rotate(world.a.org)

    assert versions_in_use(world, world.a) == {1: 18, 2: 5}
    assert key_rows(world, world.a) == [(1, True, False, False), (2, True, False, False)]
    # Mid-rotation, the application reads both versions and writes with the new one.
    assert read_patients(world, world.cipher(), world.a) == dict(zip(ids, values, strict=True))
    (late,) = add_patients(world, world.cipher(), world.a, ["1991231000001"])
    assert stored(world, late).startswith(header_prefix(2))

    lines: list[str] = []
    with world.rotation_conn() as conn:
        result = Rotator(world.cipher(), conn, batch_size=5, say=lines.append).rotate(
            world.a.org, "a"
        )

    assert lines[0] == "a: resuming the rotation to data key version 2"
    assert (result.version, result.resumed, result.done) == (2, True, 18)
    assert versions_in_use(world, world.a) == {2: 24}
    assert key_rows(world, world.a) == [(1, True, True, False), (2, True, False, False)]
    expected = {**dict(zip(ids, values, strict=True)), late: "1991231000001"}
    assert read_patients(world, world.cipher(), world.a) == expected


def test_one_rotation_per_organization_at_a_time(world: World) -> None:
    cipher = world.cipher()
    add_patients(world, cipher, world.a, national_ids(2))
    with world.owner() as holder:
        holder.execute(
            "select pg_advisory_lock(hashtextextended(%s, 0))",
            (f"restartix.crypto.rotate:{world.a.org}",),
        )
        with world.rotation_conn() as conn, pytest.raises(RotationBusyError, match="another"):
            Rotator(cipher, conn, say=lambda _: None).rotate(world.a.org)
    assert key_rows(world, world.a) == [(1, True, False, False)]


def test_a_version_still_in_use_is_not_retired(world: World) -> None:
    cipher = world.cipher()
    ids = add_patients(world, cipher, world.a, national_ids(6))
    with world.owner() as conn:
        # Damage one value's tag but keep its header: it stays on version 1 and never opens.
        conn.execute(
            "update scratch.patients set national_id_encrypted = "
            "set_byte(national_id_encrypted, octet_length(national_id_encrypted) - 1, 0) "
            "where id = %s",
            (ids[0],),
        )
    lines: list[str] = []
    with world.rotation_conn() as conn:
        result = Rotator(cipher, conn, say=lines.append).rotate(world.a.org, "a")

    assert (result.done, result.unreadable, result.retired) == (5, 1, [])
    assert result.still_used == {1: 1}
    assert versions_in_use(world, world.a) == {1: 1, 2: 5}
    assert key_rows(world, world.a) == [(1, True, False, False), (2, True, False, False)]
    assert "a: data key version 1 is still used by 1 value(s); not retired" in lines[-2]
    assert "1 value(s) do not decrypt" in lines[-1]


def test_shredding_makes_the_organizations_fields_unrecoverable(world: World) -> None:
    cipher = world.cipher()
    ids_a = add_patients(world, cipher, world.a, national_ids(3))
    ids_b = add_patients(world, cipher, world.b, national_ids(2, start=50))
    with world.rotation_conn() as conn:
        Rotator(cipher, conn, say=lambda _: None).rotate(world.a.org)

    assert cipher.keyring.destroy(world.a.org) == 2
    assert key_rows(world, world.a) == [(1, False, True, True), (2, False, False, True)]
    for reader in (cipher, world.cipher()):
        for row_id in ids_a:
            with pytest.raises(KeyDestroyedError):
                reader.decrypt(stored(world, row_id), context(world.a, row_id))
    assert read_patients(world, world.cipher(), world.b) == dict(
        zip(ids_b, national_ids(2, start=50), strict=True)
    )
    # Writing again starts a new version; the shredded ones are never reused or revived.
    (again,) = add_patients(world, cipher, world.a, ["1700101000000"])
    assert stored(world, again).startswith(header_prefix(3))
    with pytest.raises(KeyDestroyedError):
        world.cipher().decrypt(stored(world, ids_a[0]), context(world.a, ids_a[0]))


def test_rotating_a_shredded_organization_does_nothing(world: World) -> None:
    cipher = world.cipher()
    add_patients(world, cipher, world.a, national_ids(2))
    cipher.keyring.destroy(world.a.org)
    lines: list[str] = []
    with world.rotation_conn() as conn:
        result = Rotator(cipher, conn, say=lines.append).rotate(world.b.org, "b")
        shredded = Rotator(cipher, conn, say=lines.append).rotate(world.a.org, "a")
    assert result.version is None and shredded.version is None
    assert lines == [
        "b: nothing to rotate (it has no data key yet)",
        "a: nothing to rotate (its data keys were destroyed)",
    ]
    assert key_rows(world, world.a) == [(1, False, False, True)]


def cli_env(world: World) -> dict[str, str]:
    return {
        "MIGRATE_DATABASE_URL": world.db.owner_url,
        "DATABASE_URL": world.db.app_url,
        "SYSTEM_DATABASE_URL": world.db.system_url,
        "ENCRYPTION_PROVIDER": "local",
        "ENCRYPTION_LOCAL_KEK": base64.b64encode(world.kek).decode(),
    }


def test_cli_rotates_reports_progress_and_shreds(world: World) -> None:
    cipher = world.cipher()
    ids_a = add_patients(world, cipher, world.a, national_ids(7))
    add_patients(world, cipher, world.b, national_ids(3, start=70))
    env = cli_env(world)

    one = run_cli("crypto", "rotate", "--org", "clinic-a", "--batch", "3", **env)
    assert one.returncode == 0, one.stderr
    assert one.stdout == "rotated 1 organization(s); re-encrypted 7 value(s)\n"
    assert one.stderr.splitlines() == [
        "clinic-a: rotating to data key version 2",
        f"clinic-a: {TABLE}.{COLUMN}: 3 done, 4 remaining",
        f"clinic-a: {TABLE}.{COLUMN}: 6 done, 1 remaining",
        f"clinic-a: {TABLE}.{COLUMN}: 7 done, 0 remaining",
        "clinic-a: retired data key version(s) 1",
    ]
    every = run_cli("crypto", "rotate", "--all", **env)
    assert every.returncode == 0, every.stderr
    assert every.stdout == "rotated 2 organization(s); re-encrypted 10 value(s)\n"
    assert versions_in_use(world, world.a) == {3: 7}
    assert versions_in_use(world, world.b) == {2: 3}

    refused = run_cli("crypto", "shred", "--org", "clinic-a", **env)
    assert_one_line_failure(refused, "add --yes to confirm")
    assert read_patients(world, world.cipher(), world.a)  # still readable

    shred = run_cli("crypto", "shred", "--org", "clinic-a", "--yes", **env)
    assert shred.returncode == 0, shred.stderr
    assert shred.stdout == (
        "destroyed 3 data key version(s) of clinic-a; 7 encrypted value(s) are unrecoverable\n"
    )
    with pytest.raises(KeyDestroyedError):
        world.cipher().decrypt(stored(world, ids_a[0]), context(world.a, ids_a[0]))
    assert len(read_patients(world, world.cipher(), world.b)) == 3

    assert_one_line_failure(
        run_cli("crypto", "rotate", "--org", "no-such-clinic", **env), "no organization"
    )
    assert_one_line_failure(
        run_cli("crypto", "rotate", "--org", "clinic-b", **{**env, "ENCRYPTION_LOCAL_KEK": "x"}),
        "ENCRYPTION_LOCAL_KEK entry 1 is not valid base64",
    )
    bad_batch = run_cli("crypto", "rotate", "--all", "--batch", "0", **env)
    assert bad_batch.returncode == 2 and "must be between 1 and 10000" in bad_batch.stderr


def test_cli_rotation_without_the_old_kek_stops_with_one_line(world: World) -> None:
    add_patients(world, world.cipher(), world.a, national_ids(2))
    other_kek = base64.b64encode(os.urandom(32)).decode()
    result = run_cli(
        "crypto",
        "rotate",
        "--org",
        "clinic-a",
        **{**cli_env(world), "ENCRYPTION_LOCAL_KEK": other_kek},
    )
    assert_one_line_failure(result, "which is not configured")
    assert key_rows(world, world.a) == [(1, True, False, False)], "no spare version was made"


def test_cli_finds_an_organization_by_id_or_a_deleted_one_by_slug(world: World) -> None:
    cipher = world.cipher()
    ids_b = add_patients(world, cipher, world.b, national_ids(2))
    env = cli_env(world)
    by_id = run_cli("crypto", "rotate", "--org", str(world.b.org), **env)
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stderr.startswith("clinic-b: rotating to data key version 2\n")

    with world.owner() as conn:
        conn.execute(
            "update tenancy.organizations set deleted_at = now() where id = %s", (world.b.org,)
        )
    shred = run_cli("crypto", "shred", "--org", "clinic-b", "--yes", **env)
    assert shred.returncode == 0, shred.stderr
    assert shred.stdout.startswith("destroyed 2 data key version(s) of clinic-b; 2 encrypted")
    with pytest.raises(KeyDestroyedError):
        world.cipher().decrypt(stored(world, ids_b[0]), context(world.b, ids_b[0]))

    with world.owner() as conn:
        conn.execute("select tests.create_org('clinic-b')")
        conn.execute(
            "update tenancy.organizations set deleted_at = now() where slug = 'clinic-b' "
            "and deleted_at is null"
        )
    assert_one_line_failure(
        run_cli("crypto", "shred", "--org", "clinic-b", "--yes", **env),
        "several deleted organizations had the slug 'clinic-b'; pass the organization id",
    )


def test_dev_keys_creates_the_kek_file_once(tmp_path: Path) -> None:
    env = {"ENCRYPTION_LOCAL_KEK": "", "RESTARTIX_DATA_DIR": str(tmp_path / "data")}
    first = run_cli("dev-keys", **env)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "data" / "local-kek.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (kek,) = read_kek_file(path)
    assert f"created local KEK file {path} (KEK {kek_id_of(kek)})" in first.stdout
    content = path.read_text()

    again = run_cli("dev-keys", **env)
    assert again.returncode == 0, again.stderr
    assert f"kept local KEK file {path}" in again.stdout
    assert path.read_text() == content

    chosen = tmp_path / "elsewhere" / "kek.json"
    third = run_cli("dev-keys", **env, ENCRYPTION_LOCAL_KEK_FILE=str(chosen))
    assert third.returncode == 0, third.stderr
    assert json.loads(chosen.read_text())["format"] == 1


def test_dev_keys_default_is_the_users_data_dir(tmp_path: Path) -> None:
    env = {
        "ENCRYPTION_LOCAL_KEK": "",
        "ENCRYPTION_LOCAL_KEK_FILE": "",
        "RESTARTIX_DATA_DIR": "",
        "XDG_DATA_HOME": str(tmp_path),
    }
    result = run_cli("dev-keys", **env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "restartix" / "local-kek.json").exists()


def test_dev_keys_refuses_a_file_inside_the_repository(tmp_path: Path) -> None:
    inside = Path(__file__).resolve().parents[1] / "local-kek.json"
    result = run_cli(
        "dev-keys",
        ENCRYPTION_LOCAL_KEK="",
        ENCRYPTION_LOCAL_KEK_FILE=str(inside),
        RESTARTIX_DATA_DIR=str(tmp_path),
    )
    assert_one_line_failure(result, "inside the project tree")
    assert not inside.exists()
