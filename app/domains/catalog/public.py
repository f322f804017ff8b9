"""The unauthenticated booking page's list of services: live, active, online-bookable
services of an active organization, public fields only.

Read through `catalog.public_services` on the system pool and cached in Redis (cache-aside,
a minute) under `catalog:services:<slug>` in the deployment's namespace. The key joins the
organization's resolve index (`resolve:org:<id>`, app/domains/tenancy/public.py), so a
change to any of its services, and any change that drops its resolve answers, drops the
listing after the commit.
"""

from __future__ import annotations

import logging
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Request, get
from litestar.params import FromPath
from psycopg.rows import kwargs_row

from app.api.common import ERRORS, Slug
from app.api.errors import ApiError
from app.api.health import ANONYMOUS
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.db.queries import catalogue
from app.domains.tenancy.public import CACHE_SECONDS, MISS, namespaced, org_index_key

Q = catalogue("catalog")

log = logging.getLogger("restartix.catalog.public")


class PublicService(msgspec.Struct):
    """`price_amount` is in minor units of `currency`; `translations` holds the other
    languages' `name` and `description`."""

    id: UUID
    name: str
    description: str
    translations: dict[str, dict[str, str]]
    duration_minutes: int
    price_amount: int
    currency: str
    modality: Literal["in_clinic", "video", "home_visit"]


def services_key(slug: str) -> str:
    return f"catalog:services:{slug}"


async def _fetch(request: Request, slug: str) -> tuple[str | None, list[PublicService]]:
    async with request.app.state.resources.system_pool.connection() as conn:
        cursor = await conn.execute(Q.public_org_id.sql, {"slug": slug})
        found = await cursor.fetchone()
        if found is None:
            return None, []
        async with conn.cursor(row_factory=kwargs_row(PublicService)) as rows:
            await rows.execute(Q.public_services.sql, {"slug": slug})
            return found[0], await rows.fetchall()


@get(
    "/v1/public/orgs/{slug:str}/services",
    operation_id="public_services_list",
    guards=[rate_limited("public")],
    responses={**ERRORS, **RATE_LIMIT_RESPONSES},
    tags=["public"],
    security=ANONYMOUS,
)
async def public_services(
    request: Request, slug: FromPath[Annotated[str, Slug]]
) -> list[PublicService]:
    """The services a clinic offers for online booking: names, durations, prices, modality."""
    resources = request.app.state.resources
    slug = slug.lower()
    key = namespaced(resources.settings.redis_prefix, services_key(slug))
    try:
        cached = await resources.redis.get(key)
    except Exception:
        log.warning("catalog cache unavailable", exc_info=True)
        cached = None
    if cached == MISS:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    if cached:
        return msgspec.json.decode(cached, type=list[PublicService])
    org_id, services = await _fetch(request, slug)
    try:
        if org_id is None:
            await resources.redis.set(key, MISS, ex=CACHE_SECONDS)
        else:
            await resources.redis.set(key, msgspec.json.encode(services), ex=CACHE_SECONDS)
            index = namespaced(resources.settings.redis_prefix, org_index_key(org_id))
            await resources.redis.sadd(index, key)
            await resources.redis.expire(index, CACHE_SECONDS * 2)
    except Exception:
        log.warning("catalog cache unavailable", exc_info=True)
    if org_id is None:
        raise ApiError(404, "organization_not_found", "Organization not found.")
    return services
