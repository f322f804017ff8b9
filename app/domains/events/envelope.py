"""The envelope every event travels in, as a consumer receives it from `events.claim`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from app.domains.events.catalog import Payload, payload_type


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """One delivery of one event to one consumer.

    `payload` is the catalog struct when this code knows the (type, version); otherwise the
    decoded JSON object, so that a consumer deployed before a new type still sees the event.
    """

    id: uuid.UUID
    type: str
    version: int
    organization_id: uuid.UUID | None
    actor_id: uuid.UUID
    actor_type: str
    request_id: str | None
    occurred_at: datetime
    position: int
    attempt: int
    payload: Payload | dict[str, Any]

    @property
    def known(self) -> bool:
        return isinstance(self.payload, Payload)

    def payload_dict(self) -> dict[str, Any]:
        """The payload as plain JSON-compatible data, whichever form it arrived in."""
        if isinstance(self.payload, Payload):
            return msgspec.to_builtins(self.payload)
        return dict(self.payload)


class PayloadMismatch(ValueError):
    """A payload that does not match the catalog schema of its (type, version)."""


def decode_payload(event_type: str, version: int, raw: str | bytes) -> Payload | dict[str, Any]:
    """The payload JSON decoded into its catalog struct, or a dict for an unknown type."""
    schema = payload_type(event_type, version)
    if schema is None:
        return msgspec.json.decode(raw, type=dict[str, Any])
    try:
        return msgspec.json.decode(raw, type=schema)
    except msgspec.ValidationError as exc:
        raise PayloadMismatch(f"{event_type} v{version}: {exc}") from None
