"""Connections and services the API holds for its lifetime."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis.asyncio as aioredis
from litestar import Litestar
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from app.api import idempotency, ratelimit
from app.api.activity import ActivityTracker
from app.api.auth import IdentityCache, TokenVerifier
from app.api.lists import CursorSigner
from app.config import Settings
from app.crypto import FieldCipher, build_field_cipher
from app.domains.storage.client import ObjectStore, open_store


@dataclass
class Resources:
    settings: Settings
    app_pool: AsyncConnectionPool
    system_pool: AsyncConnectionPool
    redis: aioredis.Redis
    verifier: TokenVerifier
    activity: ActivityTracker
    identities: IdentityCache
    cursors: CursorSigner
    _cipher: FieldCipher | None = None
    _key_pool: ConnectionPool | None = None
    _store: ObjectStore | None = None

    def object_store(self) -> ObjectStore:
        """The S3 client, built on first use (boto3 clients are thread-safe; calls run in
        worker threads)."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def field_cipher(self) -> FieldCipher:
        """The field cipher, built on first use: its key store uses a small synchronous
        system-pool connection (calls run in a worker thread; data keys are cached)."""
        if self._cipher is None:
            self._key_pool = ConnectionPool(
                self.settings.system_database_url,
                min_size=0,
                max_size=2,
                open=True,
                kwargs={"autocommit": False, "prepare_threshold": None},
            )
            self._cipher = build_field_cipher(self._key_pool.connection)
        return self._cipher


log = logging.getLogger("restartix.api")


def _pool(url: str, name: str, settings: Settings) -> AsyncConnectionPool:
    # Opened without waiting, so the process starts (and /healthz answers) even while the
    # database is still coming up; /readyz reports it. Statements are prepared on their
    # first run (the catalogue is small and fixed), unless DB_PREPARED_STATEMENTS=off.
    async def configure(conn) -> None:
        conn.prepared_max = 512

    return AsyncConnectionPool(
        url,
        name=name,
        min_size=1,
        max_size=settings.db_pool_size,
        open=False,
        configure=configure,
        kwargs={
            "autocommit": False,
            "prepare_threshold": 0 if settings.db_prepared_statements else None,
        },
    )


def _cursor_signer(settings: Settings) -> CursorSigner:
    key = settings.cursor_signing_key
    if not key:
        log.warning("no CURSOR_SIGNING_KEY: cursors are signed with a key of this process only")
        key = secrets.token_urlsafe(32)
    return CursorSigner(key.encode())


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    redis = aioredis.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
    system_pool = _pool(settings.system_database_url, "system", settings)
    resources = Resources(
        settings=settings,
        app_pool=_pool(settings.database_url, "app", settings),
        system_pool=system_pool,
        redis=redis,
        verifier=TokenVerifier(settings),
        activity=ActivityTracker(system_pool),
        identities=IdentityCache(),
        cursors=_cursor_signer(settings),
    )
    await resources.app_pool.open(wait=False)
    await resources.system_pool.open(wait=False)
    app.state.resources = resources
    # Every Redis key starts with the deployment's namespace (REDIS_NAMESPACE, default the
    # database name), so two deployments or a dev and a test run on one Redis share nothing.
    namespace = settings.redis_prefix
    app.state[ratelimit.STATE_KEY] = ratelimit.RateLimiter(
        redis, ratelimit.rates_from_env(), prefix=f"{namespace}:rl"
    )
    app.state[idempotency.STATE_KEY] = idempotency.IdempotencyStore(
        redis, prefix=f"{namespace}:idem"
    )
    try:
        yield
    finally:
        await resources.app_pool.close()
        await resources.system_pool.close()
        await resources.redis.aclose()
        if resources._key_pool is not None:
            resources._key_pool.close()
