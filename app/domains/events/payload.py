"""The base of every event payload; each domain declares its own in `events.py`."""

from __future__ import annotations

from typing import ClassVar

import msgspec


class Payload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every payload; `TYPE` and `VERSION` name the event it belongs to."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]
