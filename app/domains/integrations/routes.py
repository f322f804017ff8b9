"""The integrations domain's HTTP routes."""

from app.api.common import console_router, org_router
from app.domains.integrations import connections, console

ROUTERS = [
    org_router(
        connections.list_integrations,
        connections.connect_integration,
        connections.update_integration,
        connections.remove_integration,
    ),
    console_router(
        console.list_service_providers,
        console.create_service_provider,
        console.update_service_provider,
        console.remove_service_provider,
        console.resolved_providers,
    ),
]
