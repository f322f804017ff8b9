"""Sealing and opening provider credentials (auth_secret) with the field cipher.

Cat A rows with no organization are platform-owned: they are sealed under the platform key
scope, the nil organization id, whose data keys live in crypto.organization_data_keys like
any organization's. An override row, and every Cat B row, is sealed under its organization's
own keys, so shredding an organization makes its secrets unreadable with the rest of its data.
Only the system side opens credentials; the request pool can write them and never select them.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import psycopg

from app.crypto import FieldCipher, FieldContext
from app.db.queries import catalogue

Q = catalogue("integrations")

PLATFORM_KEY_SCOPE = UUID(int=0)
PROVIDERS_TABLE = "integrations.platform_service_providers"
INTEGRATIONS_TABLE = "integrations.organization_integrations"
COLUMN = "credentials_encrypted"

Credentials = dict[str, str]


def provider_context(provider_id: UUID | str, organization_id: UUID | str | None) -> FieldContext:
    """Where a Cat A secret lives: its row, under its override org or the platform scope."""
    scope = PLATFORM_KEY_SCOPE if organization_id is None else organization_id
    return FieldContext(PROVIDERS_TABLE, COLUMN, scope, provider_id)


def integration_context(integration_id: UUID | str, organization_id: UUID | str) -> FieldContext:
    """Where a Cat B secret lives: its row, under the clinic's keys."""
    return FieldContext(INTEGRATIONS_TABLE, COLUMN, organization_id, integration_id)


def seal(cipher: FieldCipher, credentials: Credentials, context: FieldContext) -> bytes:
    return cipher.encrypt(msgspec.json.encode(credentials), context)


def open_sealed(
    cipher: FieldCipher, ciphertext: bytes | memoryview, context: FieldContext
) -> Credentials:
    return msgspec.json.decode(cipher.decrypt(bytes(ciphertext), context), type=Credentials)


def provider_credentials(
    conn: psycopg.Connection[Any], cipher: FieldCipher, provider_id: UUID | str
) -> Credentials | None:
    """A Cat A row's credentials, on a system-pool connection; None when it has none."""
    row = conn.execute(Q.provider_sealed_credentials.sql, {"id": str(provider_id)}).fetchone()
    if row is None:
        return None
    organization_id, sealed = row
    if sealed is None:
        return None
    return open_sealed(cipher, sealed, provider_context(provider_id, organization_id))


def integration_credentials(
    conn: psycopg.Connection[Any],
    cipher: FieldCipher,
    organization_id: UUID | str,
    integration_id: UUID | str,
) -> Credentials | None:
    """A Cat B row's credentials, on a system-pool connection inside a transaction: the
    system pool sees only the integrations of the organization its transaction names."""
    conn.execute(Q.system_act_for_organization.sql, {"organization_id": str(organization_id)})
    sealed = conn.execute(
        Q.integration_sealed_credentials.sql,
        {"id": str(integration_id), "organization_id": str(organization_id)},
    ).fetchone()
    if sealed is None or sealed[0] is None:
        return None
    return open_sealed(cipher, sealed[0], integration_context(integration_id, organization_id))
