"""Failures of field encryption, one class per cause so callers and operators can tell them apart.

No message ever carries plaintext or key material; org, table, column, row and key ids only.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base of every failure raised by `app.crypto`."""


class ConfigurationError(CryptoError):
    """The encryption settings are missing or invalid (provider, KEK, key file, KMS key id)."""


class KeyProviderError(CryptoError):
    """The key provider (local KEK or KMS) could not generate, wrap or unwrap a data key."""


class UnknownKekError(KeyProviderError):
    """A data key was wrapped by a key-encryption key this process is not configured with."""


class KeyUnwrapError(KeyProviderError):
    """A wrapped data key failed authentication: corrupted, or bound to another organization."""


class DecryptionError(CryptoError):
    """A field could not be decrypted; nothing was returned."""


class UnsupportedFormatError(DecryptionError):
    """The ciphertext starts with a format version this build does not read."""


class TamperedCiphertextError(DecryptionError):
    """The ciphertext failed GCM authentication: altered bytes, nonce, tag or header."""


class MalformedCiphertextError(TamperedCiphertextError):
    """The ciphertext is too short or its header cannot be parsed."""


class ContextMismatchError(DecryptionError):
    """The ciphertext was written for another table, column, organization or row."""


class UnknownKeyError(DecryptionError):
    """The ciphertext names a data key version the organization does not have."""


class KeyDestroyedError(DecryptionError):
    """The data key was destroyed (crypto-shredded); the value is unrecoverable by design."""
