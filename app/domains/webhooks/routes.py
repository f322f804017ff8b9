"""The webhooks domain's HTTP routes: an organization's webhook subscriptions."""

from app.api.common import org_router
from app.domains.webhooks import subscriptions

ROUTERS = [
    org_router(
        subscriptions.list_webhooks,
        subscriptions.get_webhook,
        subscriptions.create_webhook,
        subscriptions.update_webhook,
        subscriptions.delete_webhook,
        subscriptions.rotate_secret,
        subscriptions.send_test,
        subscriptions.list_attempts,
        subscriptions.replay_message,
        subscriptions.replay_since,
    )
]
