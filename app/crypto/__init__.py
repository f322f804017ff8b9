"""Application-level field encryption: AES-256-GCM envelopes under per-organization data keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.crypto.cipher import FieldCipher
from app.crypto.envelope import FieldContext, header_prefix, key_version_of
from app.crypto.errors import (
    ConfigurationError,
    ContextMismatchError,
    CryptoError,
    DecryptionError,
    KeyDestroyedError,
    KeyProviderError,
    KeyUnwrapError,
    MalformedCiphertextError,
    TamperedCiphertextError,
    UnknownKekError,
    UnknownKeyError,
    UnsupportedFormatError,
)
from app.crypto.keys import DataKey, KeyRecord, Keyring, KeyStore
from app.crypto.providers import KeyProvider, WrappedKey, provider_from_settings
from app.crypto.settings import CryptoSettings

if TYPE_CHECKING:
    from app.crypto.store import ConnectionFactory

__all__ = [
    "ConfigurationError",
    "ContextMismatchError",
    "CryptoError",
    "CryptoSettings",
    "DataKey",
    "DecryptionError",
    "FieldCipher",
    "FieldContext",
    "KeyDestroyedError",
    "KeyProvider",
    "KeyProviderError",
    "KeyRecord",
    "KeyStore",
    "KeyUnwrapError",
    "Keyring",
    "MalformedCiphertextError",
    "TamperedCiphertextError",
    "UnknownKekError",
    "UnknownKeyError",
    "UnsupportedFormatError",
    "WrappedKey",
    "build_field_cipher",
    "header_prefix",
    "key_version_of",
    "provider_from_settings",
]


def build_field_cipher(
    connect: ConnectionFactory, settings: CryptoSettings | None = None
) -> FieldCipher:
    """The cipher the app uses: configured provider, keys in PostgreSQL via `connect`.

    `connect` returns a connection context manager on the system pool (e.g. the
    restartix_system pool's `.connection`): only that role may touch
    crypto.organization_data_keys, and only for the org each call names.
    """
    from app.crypto.store import PostgresKeyStore

    settings = settings or CryptoSettings.from_env()
    keyring = Keyring(
        PostgresKeyStore(connect),
        provider_from_settings(settings),
        cache_ttl=settings.key_cache_seconds,
    )
    return FieldCipher(keyring)
