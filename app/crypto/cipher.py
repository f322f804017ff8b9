"""Field encryption for the repository layer: the keyring picks the key, the envelope binds it."""

from __future__ import annotations

from app.crypto import envelope
from app.crypto.envelope import FieldContext
from app.crypto.keys import Keyring


class FieldCipher:
    """Encrypts with an org's current DEK; decrypts with whichever version the value names."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def encrypt(self, plaintext: bytes, context: FieldContext) -> bytes:
        key = self.keyring.current_key(context.organization_id)
        return envelope.seal(key, plaintext, context)

    def decrypt(self, ciphertext: bytes | bytearray | memoryview, context: FieldContext) -> bytes:
        sealed = envelope.parse(ciphertext)
        # Context first: a value pasted from another org must not even trigger a key lookup.
        envelope.check_context(sealed, context)
        key = self.keyring.key(context.organization_id, sealed.key_version)
        return envelope.open_sealed(key, sealed, context)

    def encrypt_text(self, value: str | None, context: FieldContext) -> bytes | None:
        """UTF-8 text to ciphertext; NULL stays NULL."""
        return None if value is None else self.encrypt(value.encode("utf-8"), context)

    def decrypt_text(
        self, ciphertext: bytes | bytearray | memoryview | None, context: FieldContext
    ) -> str | None:
        return None if ciphertext is None else self.decrypt(ciphertext, context).decode("utf-8")

    def reencrypt(
        self, ciphertext: bytes | bytearray | memoryview, context: FieldContext
    ) -> bytes | None:
        """The value sealed under the org's current key, or None if it already is (rotation)."""
        current = self.keyring.current_key(context.organization_id)
        if envelope.key_version_of(ciphertext) == current.version:
            return None
        return envelope.seal(current, self.decrypt(ciphertext, context), context)
