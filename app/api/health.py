"""Liveness and readiness probes for load balancers and `make dev`."""

from __future__ import annotations

import asyncio
from typing import Literal

import msgspec
from litestar import Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Response

from app.api.resources import Resources
from app.domains.storage.client import StorageUnavailable

CHECK_TIMEOUT_SECONDS = 2.0


class Health(msgspec.Struct):
    status: Literal["ok"]


class Readiness(msgspec.Struct):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]


# `[{}]`: no credentials needed (the document's default is the bearer token).
ANONYMOUS: list = [{}]


@get(
    "/healthz",
    operation_id="health_get",
    summary="The process is alive",
    tags=["health"],
    security=ANONYMOUS,
)
async def healthz() -> Health:
    return Health(status="ok")


async def _check_postgres(resources: Resources) -> None:
    async with resources.app_pool.connection(timeout=CHECK_TIMEOUT_SECONDS) as conn:
        await conn.execute("select 1")


async def _check_redis(resources: Resources) -> None:
    await resources.redis.ping()


async def _check_object_store(resources: Resources) -> None:
    # The client is built on first use (no credentials: StorageUnavailable); HEAD of the
    # bucket proves the endpoint answers, the credentials work and the bucket exists.
    def head() -> None:
        store = resources.object_store()
        store.client.head_bucket(Bucket=store.bucket)

    await asyncio.to_thread(head)


async def _outcome(check) -> str:
    try:
        await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)
    except StorageUnavailable:
        # No object store is configured (no credentials): uploads answer 503
        # storage_unavailable, everything else serves, so the process is ready.
        return "not_configured"
    except Exception:  # any failure means "not ready"; the reason goes to the log, not the client
        return "unavailable"
    return "ok"


@get(
    "/readyz",
    operation_id="readiness_get",
    summary="PostgreSQL, Redis and the object store answer",
    tags=["health"],
    security=ANONYMOUS,
    responses={
        503: ResponseSpec(data_container=Readiness, description="A dependency is unavailable.")
    },
)
async def readyz(request: Request) -> Response[Readiness]:
    resources: Resources = request.app.state.resources
    postgres, redis_state, object_store = await asyncio.gather(
        _outcome(_check_postgres(resources)),
        _outcome(_check_redis(resources)),
        _outcome(_check_object_store(resources)),
    )
    checks = {"postgres": postgres, "redis": redis_state, "object_store": object_store}
    ready = all(v in ("ok", "not_configured") for v in checks.values())
    return Response(
        Readiness(status="ok" if ready else "unavailable", checks=checks),
        status_code=200 if ready else 503,
    )
