"""Operating metering and the platform key scope: `restartix metering roll-partitions`, the
worker's partition task, and `restartix integrations rotate-platform-key`."""

from __future__ import annotations

import base64
import os
import uuid

import psycopg

from app.crypto import FieldCipher, Keyring
from app.crypto.local import LocalKeyProvider
from app.crypto.store import PostgresKeyStore
from app.domains.integrations.credentials import PLATFORM_KEY_SCOPE, provider_credentials, seal
from app.domains.integrations.credentials import provider_context as context
from tests.databases import ScratchDatabase
from tests.test_cli import assert_one_line_failure, run_cli
from workers.tasks import roll_partitions


def _months(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'metering.usage_events'::regclass"
        ).fetchall()
    return {r[0] for r in rows}


def test_roll_partitions_from_the_worker_and_the_cli(fresh_database: ScratchDatabase) -> None:
    before = _months(fresh_database.owner_url)
    assert len(before) == 3, "migrate makes last month, this month and the next"
    # The worker's monthly task rolls them with the audit log and the outbox (system pool).
    with psycopg.connect(fresh_database.system_url) as conn:
        note = roll_partitions.run(conn)
        conn.commit()
    by_worker = _months(fresh_database.owner_url) - before
    assert len(by_worker) == 2, "three months ahead of this one"
    assert all(f"metering.{name}" in note for name in by_worker)

    first = run_cli(
        "metering", "roll-partitions", "--ahead", "4", MIGRATE_DATABASE_URL=fresh_database.owner_url
    )
    assert first.returncode == 0, first.stderr
    created = set(first.stdout.split()) - {"created"}
    assert len(created) == 1, "one more month ahead"
    assert {f"metering.{n}" for n in _months(fresh_database.owner_url) - before - by_worker} == (
        created
    )
    again = run_cli(
        "metering", "roll-partitions", "--ahead", "4", MIGRATE_DATABASE_URL=fresh_database.owner_url
    )
    assert (again.returncode, again.stdout) == (0, "")

    bad = run_cli("metering", "roll-partitions", "--ahead", "99")
    assert bad.returncode == 2 and "must be between 0 and 36" in bad.stderr


def test_rotate_the_platform_key_from_the_cli(fresh_database: ScratchDatabase) -> None:
    kek = os.urandom(32)
    env = {
        "MIGRATE_DATABASE_URL": fresh_database.owner_url,
        "SYSTEM_DATABASE_URL": fresh_database.system_url,
        "ENCRYPTION_PROVIDER": "local",
        "ENCRYPTION_LOCAL_KEK": base64.b64encode(kek).decode(),
    }
    empty = run_cli("integrations", "rotate-platform-key", **env)
    assert empty.returncode == 0, empty.stderr
    assert "nothing to rotate" in empty.stderr and empty.stdout == ""

    store = PostgresKeyStore(lambda: psycopg.connect(fresh_database.system_url))
    cipher = FieldCipher(Keyring(store, LocalKeyProvider([kek])))
    row_id = uuid.uuid4()
    sealed = seal(cipher, {"api_key": "platform-secret"}, context(row_id, None))
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO integrations.platform_service_providers"
            " (id, category, provider, credentials_encrypted, is_default)"
            " VALUES (%s, 'email', 'postmark', %s, true)",
            (row_id, sealed),
        )
    rotated = run_cli("integrations", "rotate-platform-key", **env)
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "platform key version 2; re-encrypted 1 credential(s)"
    with psycopg.connect(fresh_database.owner_url) as conn:
        versions = conn.execute(
            "SELECT version, retired_at IS NOT NULL FROM crypto.organization_data_keys"
            " WHERE organization_id = %s ORDER BY version",
            (PLATFORM_KEY_SCOPE,),
        ).fetchall()
    assert versions == [(1, True), (2, False)]
    with psycopg.connect(fresh_database.system_url) as conn:
        assert provider_credentials(conn, cipher, row_id) == {"api_key": "platform-secret"}

    wrong_kek = run_cli(
        "integrations",
        "rotate-platform-key",
        **{**env, "ENCRYPTION_LOCAL_KEK": base64.b64encode(os.urandom(32)).decode()},
    )
    assert_one_line_failure(wrong_kek)
