"""The transactional outbox: event types, publishing, consumers and their deliveries."""

from app.domains import Domain

DOMAIN = Domain(
    name="events",
    summary=__doc__,
    depends=("iam",),
    errors={
        "event_type_unknown": 422,
        "event_payload_not_object": 422,
        "event_payload_too_large": 422,
        "consumer_unknown": 404,
        "events_month_has_deliveries": 409,
    },
)
