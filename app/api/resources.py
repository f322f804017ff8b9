"""Connections the API holds for its lifetime: the request pool, the system pool, Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis.asyncio as aioredis
from litestar import Litestar
from psycopg_pool import AsyncConnectionPool

from app.config import Settings


@dataclass
class Resources:
    settings: Settings
    app_pool: AsyncConnectionPool
    system_pool: AsyncConnectionPool
    redis: aioredis.Redis


def _pool(url: str, name: str) -> AsyncConnectionPool:
    # Opened lazily and without waiting, so the process starts (and /healthz answers) even
    # while the database is still coming up; /readyz reports it.
    return AsyncConnectionPool(
        url,
        name=name,
        min_size=1,
        max_size=10,
        open=False,
        kwargs={"autocommit": False, "prepare_threshold": None},
    )


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    resources = Resources(
        settings=settings,
        app_pool=_pool(settings.database_url, "app"),
        system_pool=_pool(settings.system_database_url, "system"),
        redis=aioredis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=2, socket_timeout=2
        ),
    )
    await resources.app_pool.open(wait=False)
    await resources.system_pool.open(wait=False)
    app.state.resources = resources
    try:
        yield
    finally:
        await resources.app_pool.close()
        await resources.system_pool.close()
        await resources.redis.aclose()
