"""Test wiring for API pieces that use Redis: a client with a chosen peer address, key cleanup."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from app.api.requester import PRINCIPAL_STATE_KEY

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PRINCIPAL_HEADER = b"x-test-principal"


class HeaderPrincipal(ASGIMiddleware):
    """Stands in for the authentication middleware: the principal comes from a test header."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        for name, value in scope.get("headers", ()):
            if name == PRINCIPAL_HEADER:
                scope["state"][PRINCIPAL_STATE_KEY] = value.decode()
        await next_app(scope, receive, send)


@pytest.fixture
async def redis() -> AsyncIterator[aioredis.Redis]:
    """An async connection to the test Redis, closed after the test."""
    connection = aioredis.Redis.from_url(REDIS_URL)
    try:
        yield connection
    finally:
        await connection.aclose()


def client(app: Litestar, ip: str = "203.0.113.10") -> httpx.AsyncClient:
    """An HTTP client talking ASGI to `app`, seen by it as coming from `ip`.

    httpx's ASGI transport lets each client have its own peer address and runs requests
    concurrently in the test's event loop, which the per-IP and in-flight tests need.
    """
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://api.test")


def unique_prefix(kind: str) -> str:
    return f"test:{kind}:{uuid.uuid4().hex}"


async def drop_keys(redis: aioredis.Redis, prefix: str) -> None:
    keys = [key async for key in redis.scan_iter(match=f"{prefix}:*", count=500)]
    if keys:
        await redis.delete(*keys)


def closed_port_url() -> str:
    """A Redis URL on a loopback port nothing listens on (taken, then released)."""

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"
