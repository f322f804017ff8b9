"""The Litestar application factory."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi import OpenAPIConfig

from app.api import health
from app.api.resources import lifespan
from app.config import Settings


def create_app(settings: Settings | None = None) -> Litestar:
    app = Litestar(
        route_handlers=[health.healthz, health.readyz],
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(title="RestartiX Core API", version="1", path="/schema"),
    )
    app.state.settings = settings or Settings.from_env()
    return app
