"""The integrations domain's HTTP routes."""

from litestar import Router

from app.domains.integrations import connections, console

ROUTERS = [
    Router(
        path="/",
        route_handlers=[
            connections.list_integrations,
            connections.connect_integration,
            connections.update_integration,
            connections.remove_integration,
            console.list_service_providers,
            console.create_service_provider,
            console.update_service_provider,
            console.remove_service_provider,
            console.resolved_providers,
        ],
    )
]
