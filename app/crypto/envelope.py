"""The ciphertext format of one encrypted field, and sealing/opening it under a data key.

Format 1, as stored in a `bytea` column:

    0x01 | key version (unsigned LEB128, 1-5 bytes) | context fingerprint (4) | nonce (12)
         | AES-256-GCM ciphertext + tag (16)

The associated data is the header plus the field context (table, column, organization, row),
so a value copied to another row, column or organization fails authentication. The
fingerprint (SHA-256 of the context, truncated) is public and only lets a mismatch be
reported as such before any key is touched; the GCM tag is what enforces it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from uuid import UUID

from cryptography.exceptions import InvalidTag

from app.crypto.errors import (
    ContextMismatchError,
    MalformedCiphertextError,
    TamperedCiphertextError,
    UnsupportedFormatError,
)
from app.crypto.keys import DataKey

FORMAT_VERSION = 1
FINGERPRINT_SIZE = 4
NONCE_SIZE = 12
TAG_SIZE = 16
MAX_KEY_VERSION = 2**32 - 1
_AAD_LABEL = b"restartix-field-v1\x00"
_TABLE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")
_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class FieldContext:
    """Where a value lives: schema-qualified table, column, organization and row id."""

    table: str
    column: str
    organization_id: UUID
    row_id: UUID | str
    # Derived once per context: both are needed by every seal and open.
    encoded: bytes = field(init=False, repr=False, compare=False)
    fingerprint: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        organization_id = _as_uuid(self.organization_id)
        row_id = _normalized_row_id(self.row_id)
        row = str(row_id).encode()
        names = _framed_names(self.table, self.column)
        encoded = organization_id.bytes + names + len(row).to_bytes(2, "big") + row
        fingerprint = hashlib.sha256(_AAD_LABEL + encoded).digest()[:FINGERPRINT_SIZE]
        for name, value in (
            ("organization_id", organization_id),
            ("row_id", row_id),
            ("encoded", encoded),
            ("fingerprint", fingerprint),
        ):
            object.__setattr__(self, name, value)

    def describe(self) -> str:
        return (
            f"{self.table}.{self.column} of row {self.row_id} "
            f"in organization {self.organization_id}"
        )


@functools.lru_cache(maxsize=1024)
def _framed_names(table: str, column: str) -> bytes:
    if not isinstance(table, str) or not _TABLE.fullmatch(table):
        raise ValueError(f"table must be lower-case schema.table, got {table!r}")
    if not isinstance(column, str) or not _COLUMN.fullmatch(column):
        raise ValueError(f"column must be a lower-case identifier, got {column!r}")
    return b"".join(len(p).to_bytes(2, "big") + p for p in (table.encode(), column.encode()))


def _as_uuid(value: object) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise ValueError(f"organization_id must be a UUID, got {value!r}") from None


def _normalized_row_id(value: object) -> UUID | str:
    # A UUID and its text form must bind the same way, whichever the caller holds.
    if isinstance(value, UUID):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value or len(value.encode()) > 0xFFFF:
        raise ValueError(f"row_id must be a UUID or a non-empty string, got {value!r}")
    try:
        return UUID(value)
    except ValueError:
        return value


def encode_key_version(version: int) -> bytes:
    if not 1 <= version <= MAX_KEY_VERSION:
        raise ValueError(f"a key version is between 1 and {MAX_KEY_VERSION}, got {version}")
    out = bytearray()
    while True:
        byte = version & 0x7F
        version >>= 7
        if version:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _decode_key_version(blob: bytes, offset: int) -> tuple[int, int]:
    version = 0
    for shift in range(0, 35, 7):
        if offset >= len(blob):
            break
        byte = blob[offset]
        offset += 1
        version |= (byte & 0x7F) << shift
        if not byte & 0x80:
            # Minimal encoding only, so each version has exactly one header prefix.
            if (byte == 0 and shift) or not 1 <= version <= MAX_KEY_VERSION:
                break
            return version, offset
    raise MalformedCiphertextError("ciphertext header has an invalid key version")


def header_prefix(key_version: int) -> bytes:
    """Leading bytes of every format-1 value sealed with this key version.

    Lets SQL find rows by key version without decrypting:
    `substring(col from 1 for octet_length(%(prefix)s)) = %(prefix)s` (the encoding is
    prefix-free, so one version's prefix never starts another's).
    """
    return bytes([FORMAT_VERSION]) + encode_key_version(key_version)


@dataclass(frozen=True)
class Sealed:
    """A parsed ciphertext: header fields and the GCM input."""

    key_version: int
    fingerprint: bytes
    nonce: bytes
    body: bytes
    header: bytes


def parse(blob: bytes | bytearray | memoryview) -> Sealed:
    """Split a ciphertext into its fields; raises for anything that is not format 1."""
    data = bytes(blob)
    if not data:
        raise MalformedCiphertextError("ciphertext is empty")
    if data[0] != FORMAT_VERSION:
        raise UnsupportedFormatError(
            f"ciphertext format version {data[0]} is not supported (this build reads "
            f"version {FORMAT_VERSION})"
        )
    version, offset = _decode_key_version(data, 1)
    end_of_header = offset + FINGERPRINT_SIZE
    if len(data) < end_of_header + NONCE_SIZE + TAG_SIZE:
        raise MalformedCiphertextError(f"ciphertext is truncated ({len(data)} bytes)")
    return Sealed(
        key_version=version,
        fingerprint=data[offset:end_of_header],
        nonce=data[end_of_header : end_of_header + NONCE_SIZE],
        body=data[end_of_header + NONCE_SIZE :],
        header=data[:end_of_header],
    )


def key_version_of(blob: bytes | bytearray | memoryview) -> int:
    return parse(blob).key_version


def seal(key: DataKey, plaintext: bytes, context: FieldContext) -> bytes:
    if key.organization_id != context.organization_id:
        raise ValueError("the data key belongs to another organization than the field")
    header = header_prefix(key.version) + context.fingerprint
    nonce = os.urandom(NONCE_SIZE)
    body = key.aead.encrypt(nonce, bytes(plaintext), _AAD_LABEL + header + context.encoded)
    return header + nonce + body


def check_context(sealed: Sealed, context: FieldContext) -> None:
    if sealed.fingerprint != context.fingerprint:
        raise ContextMismatchError(
            f"ciphertext does not belong to {context.describe()}: it was written for another "
            "table, column, organization or row (or its header was altered)"
        )


def open_sealed(key: DataKey, sealed: Sealed, context: FieldContext) -> bytes:
    check_context(sealed, context)
    if key.organization_id != context.organization_id or key.version != sealed.key_version:
        raise ValueError("the data key does not match the ciphertext's organization and version")
    try:
        return key.aead.decrypt(
            sealed.nonce, sealed.body, _AAD_LABEL + sealed.header + context.encoded
        )
    except InvalidTag:
        raise TamperedCiphertextError(
            f"ciphertext of {context.describe()} failed authentication (key version "
            f"{sealed.key_version}): it was altered"
        ) from None
