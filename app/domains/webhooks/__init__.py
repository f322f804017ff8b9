"""Webhooks: a clinic's HTTPS endpoints that receive its events, signed per the Standard
Webhooks specification, retried on a schedule, with a delivery log and replay."""

from app.domains import Domain

DOMAIN = Domain(
    name="webhooks",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing"),
    errors={
        "webhook_not_found": 404,
        "message_not_found": 404,
        "invalid_field": 400,
    },
)
