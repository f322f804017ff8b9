"""`log_sink`: every event as one structured, redacted log line, for the log pipeline.

It gives operators a searchable trail of what the platform did (the audit log says what
changed in which table; this says which domain events went out, to whom, for which request).
"""

from __future__ import annotations

import logging

from app.domains.events.envelope import Event
from workers.registry import Consumer

log = logging.getLogger("restartix.events")


def handle(event: Event) -> None:
    # Extras go through the handler's RedactingFilter (emails, phones, tokens, national ids,
    # and any value under a key that names a secret) before anything is written.
    log.info(
        "event %s v%s",
        event.type,
        event.version,
        extra={
            "event_id": str(event.id),
            "event_type": event.type,
            "event_version": event.version,
            "organization_id": str(event.organization_id) if event.organization_id else None,
            "actor_id": str(event.actor_id),
            "actor_type": event.actor_type,
            "event_request_id": event.request_id,
            "occurred_at": event.occurred_at.isoformat(),
            "attempt": event.attempt,
            "known_type": event.known,
            "payload": event.payload_dict(),
        },
    )


CONSUMER = Consumer(name="log_sink", handler=handle, types=("*",), max_attempts=5)
