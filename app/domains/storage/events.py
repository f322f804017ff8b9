"""The events the storage domain publishes: one payload struct per (type, version)."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from app.domains.events.payload import Payload

FilePurpose = Literal[
    "logo",
    "specialist_signature",
    "form_file",
    "form_signature",
    "service_attachment",
    "appointment_file",
]


class FileUploaded(Payload):
    """An upload was confirmed: its bytes were read back, typed and hashed; the file is ready."""

    TYPE: ClassVar[str] = "file.uploaded"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "file_id": "storage.files.id",
        "purpose": "storage.files.purpose",
        "content_type": "storage.files.detected_mime",
        "size_bytes": "storage.files.size_bytes",
        "sha256": "storage.files.sha256",
        "replaces_file_id": "storage.files.id",
    }
    file_id: uuid.UUID
    purpose: FilePurpose
    content_type: str
    size_bytes: int
    sha256: str
    replaces_file_id: uuid.UUID | None


class FileRejected(Payload):
    """An upload was refused and nothing of it kept (`reason` is the stable code)."""

    TYPE: ClassVar[str] = "file.rejected"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "file_id": "storage.files.id",
        "purpose": "storage.files.purpose",
        "reason": "storage.files.rejection_reason",
        "declared_mime": "storage.files.declared_mime",
        "detected_mime": "storage.files.detected_mime",
        "size_bytes": "storage.files.size_bytes",
    }
    file_id: uuid.UUID
    purpose: FilePurpose
    reason: Literal[
        "missing", "too_large", "type_not_allowed", "mime_mismatch", "expired", "quota_exceeded"
    ]
    declared_mime: str
    detected_mime: str | None
    size_bytes: int | None


class FileDeleted(Payload):
    """A file was replaced by a newer one of its purpose, or removed."""

    TYPE: ClassVar[str] = "file.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "file_id": "storage.files.id",
        "purpose": "storage.files.purpose",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"reason"})
    file_id: uuid.UUID
    purpose: FilePurpose
    reason: Literal["replaced", "removed"]
