"""The Litestar application: routes, the middleware order, the error envelope, OpenAPI."""

from __future__ import annotations

import logging
import os

from litestar import Litestar, Request
from litestar.middleware import ASGIMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app import domains
from app.api import health
from app.api.auth import AuthenticationMiddleware
from app.api.bodies import BoundedJsonRequest
from app.api.contract import ContractJsonPlugin
from app.api.errors import exception_handlers, request_id_of
from app.api.idempotency import IdempotencyMiddleware
from app.api.media_type import JsonBodyMiddleware
from app.api.resources import lifespan
from app.config import Settings
from app.domains.tenancy import public
from app.logs import configure_logging, request_id_var

OPENAPI_PATH = "/schema"
ROUTES = [health.healthz, health.readyz, *domains.routers()]


class RequestIdMiddleware(ASGIMiddleware):
    """Assigns the request id first, so every later layer (and the log) sees the same one,
    and echoes it in the X-Request-Id response header."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = request_id_of(Request(scope, receive))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        # Every line logged while serving the request carries its id (see app.logs).
        token = request_id_var.set(request_id)
        try:
            await next_app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


async def _after_response(request: Request) -> None:
    """Cache invalidation runs after the response, i.e. after the request transaction committed."""
    org_ids = request.state.get("invalidate_orgs")
    if org_ids:
        resources = request.app.state.resources
        await public.invalidate_orgs(
            resources.redis,
            resources.settings.redis_prefix,
            org_ids,
            request.state.get("invalidate_keys"),
        )


def operations(app: Litestar) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation the app serves, as its routes spell the path."""
    return sorted(
        (method, route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        for method in handler.http_methods
        if method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        and not route.path.startswith(OPENAPI_PATH)
    )


def create_app(settings: Settings | None = None) -> Litestar:
    if level := os.environ.get("RESTARTIX_JSON_LOGS"):
        # A worker process of `restartix serve`: log as the parent does, and keep the access
        # log off (uvicorn silenced it before this handler was installed in the worker).
        configure_logging(level)
        access = logging.getLogger("uvicorn.access")
        access.handlers, access.propagate = [], False
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan],
        middleware=[
            RequestIdMiddleware(),
            AuthenticationMiddleware(),
            JsonBodyMiddleware(),
            IdempotencyMiddleware(),
        ],
        exception_handlers=exception_handlers,
        request_class=BoundedJsonRequest,
        after_response=_after_response,
        logging_config=None,
        request_max_body_size=1024 * 1024,
        openapi_config=OpenAPIConfig(
            title="RestartiX Core API",
            version="1",
            path=OPENAPI_PATH,
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            security=[{"bearer": []}],
            render_plugins=[ScalarRenderPlugin(), ContractJsonPlugin()],
        ),
    )
    app.state.settings = settings or Settings.from_env()
    return app
