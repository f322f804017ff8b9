"""The unauthenticated path: which clinic does a host or slug belong to.

Answers come from the narrow security-definer functions tenancy.resolve_org(_by_slug)
through the system pool, cached in Redis (cache-aside) for a minute; changes to an
organization or its domains invalidate its keys (indexed by organization) after commit.
Every key starts with the deployment's Redis namespace (`Settings.redis_prefix`).
"""

from __future__ import annotations

import logging
from typing import Annotated
from uuid import UUID

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
    id: UUID
    slug: str
    name: str
    primary_domain: str | None


def _key(kind: str, value: str) -> str:
    return f"resolve:{kind}:{value}"


def namespaced(namespace: str, key: str) -> str:
    """A key of this module (`resolve:...`) as stored: under the deployment's namespace."""
    return f"{namespace}:{key}"


def org_index_key(org_id: str) -> str:
    return f"resolve:org:{org_id}"


def slug_key(slug: str) -> str:
    return _key("slug", slug)


def host_key(host: str) -> str:
    return _key("host", host)


async def invalidate_orgs(
    redis, namespace: str, org_ids: list[str], keys: list[str] | None = None
) -> None:
    """Drop every cached answer that named these organizations, plus `keys`: the slug or
    host a change touched, whose cached miss (e.g. while suspended or not yet verified)
    names no organization and so is not in any organization's index. The index holds the
    stored (namespaced) keys; `org_ids` and `keys` are given without the namespace."""
    for org_id in org_ids:
        index = namespaced(namespace, org_index_key(org_id))
        indexed = await redis.smembers(index)
        await redis.delete(index, *indexed) if indexed else await redis.delete(index)
    if keys:
        await redis.delete(*(namespaced(namespace, key) for key in keys))


async def _lookup(request: Request, kind: str, value: str) -> ResolvedOrganization:
    resources = request.app.state.resources
    namespace = resources.settings.redis_prefix
    key = namespaced(namespace, _key(kind, value))
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
            index = namespaced(namespace, org_index_key(row.id))
            await resources.redis.sadd(index, key)
            await resources.redis.expire(index, CACHE_SECONDS * 2)
    except Exception:
        log.warning("resolve cache unavailable", exc_info=True)
    if row is None:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return row


@get(
    "/v1/public/resolve",
    operation_id="organizations_resolve",
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
