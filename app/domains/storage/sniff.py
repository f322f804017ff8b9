"""The real type of a file from its first bytes, whatever name or Content-Type it came with."""

from __future__ import annotations

import re

# Enough to see past a BOM, whitespace and an XML prolog or comment to the first element.
SNIFF_BYTES = 512

# ISO base media files share `ftyp`; only these major brands are MP4 video (not HEIC, AVIF,
# QuickTime or 3GP, which a player may treat differently).
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash"}
)

_SVG = re.compile(rb"<\s*svg\b", re.I)
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe)\b", re.I)


def sniff_mime(head: bytes) -> str | None:
    """The MIME type `head` (a file's first bytes) starts like, or None if it is no type we know.

    Markup is recognised only so it can be named in a rejection; no purpose accepts it.
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return "video/mp4"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if _SVG.search(text):
            return "image/svg+xml"
        if _HTML.search(text):
            return "text/html"
        if text.startswith(b"<?xml"):
            return "application/xml"
    return None
