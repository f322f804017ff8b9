"""Rotating the platform key scope. `restartix crypto rotate` walks organizations; the
platform-owned Cat A credentials (rows with no organization) are moved by this pass instead.
They are a handful of rows, so one transaction moves them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from app.crypto import FieldCipher, header_prefix
from app.db.queries import catalogue
from app.domains.integrations.credentials import PLATFORM_KEY_SCOPE, provider_context

Q = catalogue("integrations")


@dataclass
class PlatformRotation:
    version: int | None  # None: the platform scope never sealed anything
    moved: int = 0
    retired: list[int] = field(default_factory=list)
    still_used: dict[int, int] = field(default_factory=dict)


def rotate_platform_key(
    cipher: FieldCipher, conn: psycopg.Connection[Any], say: Callable[[str], None]
) -> PlatformRotation:
    """New platform data key, every platform credential re-sealed under it, old keys retired.

    `conn` may update the providers table whatever its policies (the CLI uses the owner).
    """
    keyring = cipher.keyring
    if not any(v.destroyed_at is None for v in keyring.store.list_versions(PLATFORM_KEY_SCOPE)):
        say("platform key scope: nothing to rotate (no data key yet)")
        return PlatformRotation(None)
    target = keyring.rotate(PLATFORM_KEY_SCOPE)
    result = PlatformRotation(target.version)
    prefix = header_prefix(target.version)
    with conn.transaction():
        conn.execute(Q.platform_rotation_context.sql)
        rows = conn.execute(
            Q.platform_credentials_to_rotate.sql, {"length": len(prefix), "prefix": prefix}
        ).fetchall()
        for row_id, value in rows:
            context = provider_context(row_id, None)
            sealed = cipher.reencrypt(value, context)
            if sealed is not None:
                conn.execute(
                    Q.platform_credentials_reseal.sql, {"credentials": sealed, "id": row_id}
                )
                result.moved += 1
    say(f"platform key scope: {result.moved} credential(s) now under version {target.version}")
    for record in keyring.store.list_versions(PLATFORM_KEY_SCOPE):
        if record.version >= target.version or record.destroyed_at or record.retired_at:
            continue
        old = header_prefix(record.version)
        used = conn.execute(
            Q.platform_credentials_using.sql, {"length": len(old), "prefix": old}
        ).fetchone()[0]
        if used:
            result.still_used[record.version] = used
        elif keyring.retire(PLATFORM_KEY_SCOPE, record.version):
            result.retired.append(record.version)
    return result
