"""What `restartix integrations rotate-platform-key` does, behind a thin CLI handler: keys
through the system pool (as the application reaches them), rows rewritten as the owner."""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from app.config import Settings
from app.crypto import CryptoSettings, build_field_cipher
from app.crypto.errors import CryptoError
from app.db.admin import OWNER, connect
from app.domains.integrations.platform_keys import PlatformRotation, rotate_platform_key
from app.errors import CommandError


def rotate_platform(settings: Settings, say: Callable[[str], None]) -> PlatformRotation:
    """Rotate the platform key scope and re-seal every platform-owned credential."""
    try:
        cipher = build_field_cipher(
            lambda: connect(settings.system_database_url), CryptoSettings.from_env()
        )
        with connect(settings.migrate_database_url, autocommit=False, role=OWNER) as conn:
            return rotate_platform_key(cipher, conn, say)
    except CryptoError as exc:
        raise CommandError(str(exc)) from None
    except psycopg.Error as exc:
        lines = str(exc).strip().splitlines()
        raise CommandError(
            f"platform key rotation failed: {lines[0] if lines else type(exc).__name__}"
        ) from None
