"""Object keys under `orgs/{org_id}/{purpose}/{uuid}[.{ext}]` and the purposes they serve."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from uuid import UUID

MiB = 1024 * 1024


@dataclass(frozen=True)
class Purpose:
    """What an upload is for: which types it may hold and how big it may be."""

    name: str
    mime_types: frozenset[str]
    max_bytes: int


# Raster only for images: SVG can carry script, and a logo is shown inside our pages.
PURPOSES: dict[str, Purpose] = {
    "logo": Purpose("logo", frozenset({"image/png", "image/jpeg", "image/webp"}), 2 * MiB),
    # Printed on documents in the specialist's name: the two types every PDF renderer embeds.
    "specialist_signature": Purpose(
        "specialist_signature", frozenset({"image/png", "image/jpeg"}), 1 * MiB
    ),
    # A service's leaflets and pictures: shown to patients as they are, so raster images only.
    "service_attachment": Purpose(
        "service_attachment",
        frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"}),
        10 * MiB,
    ),
    # A patient's answer to a file item (a report, a scan, a photo): shown to the clinic as
    # it is, so PDFs and raster images only.
    "form_file": Purpose(
        "form_file",
        frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"}),
        10 * MiB,
    ),
    # The image a form is signed with, drawn on a screen: embedded in the form's PDF later.
    "form_signature": Purpose("form_signature", frozenset({"image/png", "image/jpeg"}), 1 * MiB),
    # Referral letters, scans and pictures of an appointment: shown to staff and the patient.
    "appointment_file": Purpose(
        "appointment_file",
        frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"}),
        20 * MiB,
    ),
}

EXTENSIONS: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
}

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_KEY = re.compile(rf"orgs/({_UUID})/([a-z][a-z_]*)/({_UUID})(?:\.([a-z0-9]{{1,8}}))?")


class InvalidKey(ValueError):
    """A key that is malformed or points outside the organization it is used for."""


@dataclass(frozen=True)
class ObjectKey:
    org_id: UUID
    purpose: str
    object_id: UUID
    extension: str | None

    def __str__(self) -> str:
        tail = f".{self.extension}" if self.extension else ""
        return f"orgs/{self.org_id}/{self.purpose}/{self.object_id}{tail}"


def purpose_named(name: str) -> Purpose:
    try:
        return PURPOSES[name]
    except KeyError:
        raise InvalidKey(f"unknown storage purpose {name!r}") from None


def new_upload_key(org_id: UUID, purpose: str) -> str:
    """A fresh key with no extension: uploads land there, verified objects move to `.ext`."""
    purpose_named(purpose)
    return str(ObjectKey(UUID(str(org_id)), purpose, uuid.uuid4(), None))


def stored_key(upload_key: str, mime: str) -> str:
    """The key a verified upload is kept under: the same object id plus its real extension."""
    return f"{upload_key}.{EXTENSIONS[mime]}"


def validate_key(key: str, org_id: UUID | str, purpose: str | None = None) -> ObjectKey:
    """Parse `key`, refusing anything that could resolve outside `orgs/{org_id}/`."""
    org = str(UUID(str(org_id)))
    if not isinstance(key, str) or not key:
        raise InvalidKey("empty key")
    # Each check names the trick it stops; the final pattern alone would refuse them all,
    # but a precise reason helps whoever reads the log.
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        raise InvalidKey("key contains a control character")
    if "\\" in key:
        raise InvalidKey("key contains a backslash")
    if "%" in key:
        raise InvalidKey("key contains percent-encoding")
    if key.startswith("/"):
        raise InvalidKey("key is absolute")
    segments = key.split("/")
    if any(seg in (".", "..") for seg in segments):
        raise InvalidKey("key contains a relative path segment")
    if any(seg == "" for seg in segments):
        raise InvalidKey("key contains an empty segment")
    if segments[0] != "orgs" or len(segments) < 2:
        raise InvalidKey("key is not under orgs/")
    if segments[1].lower() != org:
        raise InvalidKey("key belongs to another organization")
    match = _KEY.fullmatch(key)
    if match is None:
        raise InvalidKey("key does not have the form orgs/{org_id}/{purpose}/{uuid}[.{ext}]")
    key_purpose = match.group(2)
    purpose_named(key_purpose)
    if purpose is not None and key_purpose != purpose:
        raise InvalidKey(f"key is for purpose {key_purpose!r}, not {purpose!r}")
    return ObjectKey(UUID(match.group(1)), key_purpose, UUID(match.group(3)), match.group(4))
