"""The transactional outbox: event types, publishing, consumers and their deliveries."""

from app.domains import Domain

DOMAIN = Domain(
    name="events",
    summary=__doc__,
    depends=("iam",),
    errors={},
)
