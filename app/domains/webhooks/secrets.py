"""Signing secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks), sealed with the
organization's data key (auth_secret) under their own row of webhooks.webhook_secrets. Shown in
clear once, in the answer of create and rotate; never readable again through the API."""

from __future__ import annotations

import base64
import secrets
from uuid import UUID

from app.crypto import FieldCipher, FieldContext

PREFIX = "whsec_"
TABLE = "webhooks.webhook_secrets"
COLUMN = "secret_encrypted"


def generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key: the base64-decoded part after `whsec_`."""
    return base64.b64decode(secret.removeprefix(PREFIX))


def context(secret_id: UUID | str, organization_id: UUID | str) -> FieldContext:
    return FieldContext(TABLE, COLUMN, organization_id, secret_id)


def seal(cipher: FieldCipher, secret: str, secret_id: UUID, organization_id: UUID | str) -> bytes:
    return cipher.encrypt(secret.encode(), context(secret_id, organization_id))


def open_sealed(
    cipher: FieldCipher, sealed: bytes | memoryview, secret_id: UUID, organization_id: UUID
) -> str:
    return cipher.decrypt(bytes(sealed), context(secret_id, organization_id)).decode()
