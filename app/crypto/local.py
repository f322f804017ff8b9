"""The local key provider: KEKs from ENCRYPTION_LOCAL_KEK or from a key file outside the repo.

For development and tests; production uses KMS. A KEK's id is a fingerprint of its bytes, so
a wrapped DEK always names the KEK that can unwrap it and KEKs rotate by adding a newer one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.crypto.errors import ConfigurationError, KeyUnwrapError, UnknownKekError
from app.crypto.providers import DEK_SIZE, WrappedKey
from app.crypto.settings import CryptoSettings

KEK_SIZE = 32
WRAP_FORMAT = 1
NONCE_SIZE = 12
FILE_FORMAT = 1
_ID_LABEL = b"restartix-local-kek-id\x00"
_WRAP_LABEL = b"restartix-dek-wrap-v1\x00"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def kek_id_of(kek: bytes) -> str:
    return "local-" + hashlib.sha256(_ID_LABEL + kek).hexdigest()[:16]


def decode_kek(text: str, source: str) -> bytes:
    try:
        kek = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"{source} is not valid base64") from None
    if len(kek) != KEK_SIZE:
        raise ConfigurationError(
            f"{source} decodes to {len(kek)} bytes; a KEK is base64 of {KEK_SIZE} random bytes"
        )
    return kek


class LocalKeyProvider:
    """Wraps DEKs with AES-256-GCM under a local KEK; the newest configured KEK wraps."""

    def __init__(self, keks: Sequence[bytes]) -> None:
        if not keks:
            raise ConfigurationError("the local key provider needs at least one KEK")
        for kek in keks:
            if len(kek) != KEK_SIZE:
                raise ConfigurationError(f"a KEK is {KEK_SIZE} bytes, got {len(kek)}")
        self._aeads = {kek_id_of(kek): AESGCM(kek) for kek in keks}
        self._current = kek_id_of(keks[0])

    @classmethod
    def from_settings(cls, settings: CryptoSettings) -> LocalKeyProvider:
        if settings.local_kek:
            parts = enumerate(settings.local_kek.split(","), start=1)
            return cls([decode_kek(p, f"ENCRYPTION_LOCAL_KEK entry {i}") for i, p in parts])
        return cls(read_kek_file(settings.local_kek_file))

    @property
    def current_kek_id(self) -> str:
        return self._current

    @property
    def kek_ids(self) -> tuple[str, ...]:
        return tuple(self._aeads)

    def generate_dek(self, organization_id: UUID) -> tuple[bytes, WrappedKey]:
        dek = AESGCM.generate_key(bit_length=256)
        return dek, self.wrap(organization_id, dek)

    def wrap(self, organization_id: UUID, dek: bytes) -> WrappedKey:
        if len(dek) != DEK_SIZE:
            raise ValueError(f"a DEK is {DEK_SIZE} bytes, got {len(dek)}")
        nonce = os.urandom(NONCE_SIZE)
        aad = _aad(organization_id, self._current)
        sealed = self._aeads[self._current].encrypt(nonce, dek, aad)
        return WrappedKey(self._current, bytes([WRAP_FORMAT]) + nonce + sealed)

    def unwrap(self, organization_id: UUID, wrapped: WrappedKey) -> bytes:
        aead = self._aeads.get(wrapped.kek_id)
        if aead is None:
            raise UnknownKekError(
                f"the data key of organization {organization_id} is wrapped by KEK "
                f"{wrapped.kek_id}, which is not configured (configured: "
                f"{', '.join(self._aeads)}); add that KEK to ENCRYPTION_LOCAL_KEK or the key file"
            )
        blob = wrapped.blob
        if len(blob) != 1 + NONCE_SIZE + DEK_SIZE + 16 or blob[0] != WRAP_FORMAT:
            raise KeyUnwrapError(
                f"the wrapped data key of organization {organization_id} is not a format-"
                f"{WRAP_FORMAT} local wrapping ({len(blob)} bytes)"
            )
        try:
            return aead.decrypt(
                blob[1 : 1 + NONCE_SIZE],
                blob[1 + NONCE_SIZE :],
                _aad(organization_id, wrapped.kek_id),
            )
        except InvalidTag:
            raise KeyUnwrapError(
                f"the wrapped data key of organization {organization_id} failed authentication "
                f"under KEK {wrapped.kek_id} (corrupted, or wrapped for another organization)"
            ) from None


def _aad(organization_id: UUID, kek_id: str) -> bytes:
    # Binding the org stops a wrapped DEK copied to another org's row from unwrapping there.
    return _WRAP_LABEL + kek_id.encode("ascii") + b"\x00" + organization_id.bytes


def _refuse_inside_project(path: Path) -> None:
    if (_PROJECT_ROOT / "pyproject.toml").exists() and path.resolve().is_relative_to(_PROJECT_ROOT):
        raise ConfigurationError(
            f"the local KEK file {path} is inside the project tree; keep key material outside "
            "the repository (set ENCRYPTION_LOCAL_KEK_FILE elsewhere)"
        )


def read_kek_file(path: Path) -> list[bytes]:
    """The KEKs of a key file, newest first."""
    _refuse_inside_project(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            "no local KEK: set ENCRYPTION_LOCAL_KEK (base64 of 32 bytes) or point "
            f"ENCRYPTION_LOCAL_KEK_FILE at a key file ({path} does not exist)"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot read the local KEK file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"the local KEK file {path} is accessible to other users; chmod 600 it"
        )
    try:
        data = json.loads(text)
        entries = data["keks"] if data.get("format") == FILE_FORMAT else None
    except (ValueError, AttributeError, KeyError):
        entries = None
    if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
        raise ConfigurationError(
            f"the local KEK file {path} is not a format-{FILE_FORMAT} key file "
            '({"format": 1, "keks": ["<base64>", ...]})'
        )
    return [decode_kek(entry, f"entry {i + 1} of {path}") for i, entry in enumerate(entries)]


def add_kek_to_file(path: Path) -> str:
    """Create the key file or put a new KEK first in it (older ones still unwrap); its id."""
    _refuse_inside_project(path)
    keks = read_kek_file(path) if path.exists() else []
    new = os.urandom(KEK_SIZE)
    entries = [base64.b64encode(k).decode("ascii") for k in [new, *keks]]
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Write-then-rename so a crash never leaves a truncated key file behind.
    fd, tmp = tempfile.mkstemp(prefix=".kek-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"format": FILE_FORMAT, "keks": entries}, handle, indent=2)
            handle.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return kek_id_of(new)
