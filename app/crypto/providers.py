"""The key-provider interface: generate, wrap and unwrap an organization's data key (DEK)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from app.crypto.settings import CryptoSettings

DEK_SIZE = 32  # AES-256


@dataclass(frozen=True)
class WrappedKey:
    """A DEK encrypted under a KEK, and the id of that KEK (a local fingerprint or a KMS ARN)."""

    kek_id: str
    blob: bytes = field(repr=False)


class KeyProvider(Protocol):
    """Holds the key-encryption key; every wrapping is bound to one organization."""

    @property
    def current_kek_id(self) -> str:
        """The KEK new wrappings use; a DEK wrapped by another one is due for rewrapping."""
        ...

    def generate_dek(self, organization_id: UUID) -> tuple[bytes, WrappedKey]:
        """A fresh 32-byte DEK and its wrapping under the current KEK."""
        ...

    def wrap(self, organization_id: UUID, dek: bytes) -> WrappedKey:
        """Wrap an existing DEK under the current KEK (used to rewrap after KEK rotation)."""
        ...

    def unwrap(self, organization_id: UUID, wrapped: WrappedKey) -> bytes:
        """The DEK in clear; raises KeyUnwrapError or UnknownKekError, never returns garbage."""
        ...


def provider_from_settings(settings: CryptoSettings) -> KeyProvider:
    """The provider ENCRYPTION_PROVIDER names, configured from the same settings."""
    if settings.provider == "kms":
        from app.crypto.kms import KmsKeyProvider

        return KmsKeyProvider.from_settings(settings)
    from app.crypto.local import LocalKeyProvider

    return LocalKeyProvider.from_settings(settings)
