"""The unauthenticated path: which clinic does a host or slug belong to.

Answers come from the narrow security-definer functions tenancy.resolve_org(_by_slug)
through the system pool, cached in Redis (cache-aside) for a minute; changes to an
organization or its domains invalidate its keys (namespaced by organization) after commit.
"""

from __future__ import annotations

import logging
from typing import Annotated

import msgspec
from litestar import Request, get
from litestar.params import QueryParameter
from psycopg.rows import kwargs_row

from app.api.common import ERRORS
from app.api.errors import ApiError
from app.api.health import ANONYMOUS
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.db.queries import catalogue

Q = catalogue("tenancy")

log = logging.getLogger("restartix.resolve")

CACHE_SECONDS = 60
MISS = b"-"


class ResolvedOrganization(msgspec.Struct):
    id: str
    slug: str
    name: str
    primary_domain: str | None


def _key(kind: str, value: str) -> str:
    return f"resolve:{kind}:{value}"


def org_index_key(org_id: str) -> str:
    return f"resolve:org:{org_id}"


def slug_key(slug: str) -> str:
    return _key("slug", slug)


def host_key(host: str) -> str:
    return _key("host", host)


async def invalidate_orgs(redis, org_ids: list[str], keys: list[str] | None = None) -> None:
    """Drop every cached answer that named these organizations, plus `keys`: the slug or
    host a change touched, whose cached miss (e.g. while suspended or not yet verified)
    names no organization and so is not in any organization's index."""
    for org_id in org_ids:
        index = org_index_key(org_id)
        indexed = await redis.smembers(index)
        await redis.delete(index, *indexed) if indexed else await redis.delete(index)
    if keys:
        await redis.delete(*keys)


async def _lookup(request: Request, kind: str, value: str) -> ResolvedOrganization:
    resources = request.app.state.resources
    key = _key(kind, value)
    try:
        cached = await resources.redis.get(key)
    except Exception:
        log.warning("resolve cache unavailable", exc_info=True)
        cached = None
    if cached == MISS:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    if cached:
        return msgspec.json.decode(cached, type=ResolvedOrganization)
    query = Q.resolve_by_host if kind == "host" else Q.resolve_by_slug
    async with (
        resources.system_pool.connection() as conn,
        conn.cursor(row_factory=kwargs_row(ResolvedOrganization)) as cursor,
    ):
        await cursor.execute(query.sql, {"value": value})
        row = await cursor.fetchone()
    try:
        if row is None:
            await resources.redis.set(key, MISS, ex=CACHE_SECONDS)
        else:
            await resources.redis.set(key, msgspec.json.encode(row), ex=CACHE_SECONDS)
            await resources.redis.sadd(org_index_key(row.id), key)
            await resources.redis.expire(org_index_key(row.id), CACHE_SECONDS * 2)
    except Exception:
        log.warning("resolve cache unavailable", exc_info=True)
    if row is None:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return row


@get(
    "/v1/public/resolve",
    guards=[rate_limited("public")],
    responses={**ERRORS, **RATE_LIMIT_RESPONSES},
    tags=["public"],
    security=ANONYMOUS,
)
async def resolve(
    request: Request,
    host: Annotated[str | None, QueryParameter(max_length=260)] = None,
    slug: Annotated[str | None, QueryParameter(max_length=63)] = None,
) -> ResolvedOrganization:
    """Public fields of the active organization a host name (or slug) belongs to."""
    if (host is None) == (slug is None):
        raise ApiError(
            400,
            "validation_failed",
            "Give exactly one of host or slug.",
            {"fields": [{"field": "host", "source": "query", "message": "host xor slug"}]},
        )
    if host is not None:
        return await _lookup(request, "host", host.strip().lower().split(":")[0].rstrip("."))
    return await _lookup(request, "slug", slug.strip().lower())
