"""Every event type the outbox accepts, collected from the domains (one struct per version).

Each domain declares its payloads in `app/domains/<d>/events.py` as `Payload` subclasses;
this module gathers them, and `restartix db migrate` loads the (type, version, description)
rows into `events.event_types`, so the SQL side accepts exactly what the code knows.
`tests/events/test_event_catalog.py` keeps this and docs/events.md in step. Payloads carry ids
and public facts only; the envelope carries organization, actor and request.
"""

from __future__ import annotations

from app import domains
from app.domains.events.payload import Payload


def _collect() -> tuple[type[Payload], ...]:
    found = []
    for domain in domains.domains():
        module = domain.module("events")
        if module is None:
            continue
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Payload)
            and value is not Payload
            and value.__module__ == module.__name__
        )
    return tuple(found)


PAYLOADS: tuple[type[Payload], ...] = _collect()

CATALOG: dict[tuple[str, int], type[Payload]] = {(p.TYPE, p.VERSION): p for p in PAYLOADS}


def payload_type(event_type: str, version: int) -> type[Payload] | None:
    """The struct of a (type, version), or None when this code does not know it (yet)."""
    return CATALOG.get((event_type, version))


def description(payload: type[Payload]) -> str:
    """The one-line description stored beside the type in events.event_types."""
    return " ".join((payload.__doc__ or "").split())
