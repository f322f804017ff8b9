"""Activity tracking: humans.last_activity_at and memberships.last_used_at, written at most
once per five minutes per principal (and per principal and organization).

A Redis key with a TTL is the throttle, so the write happens once across all API processes;
the write itself goes through the system pool, outside the request's transaction, so a
failed request still counts as activity and the request never waits on a row lock.
"""

from __future__ import annotations

import logging

import redis.asyncio as aioredis
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("restartix.activity")

WINDOW_SECONDS = 300


class ActivityTracker:
    def __init__(self, redis: aioredis.Redis, pool: AsyncConnectionPool) -> None:
        self.redis = redis
        self.pool = pool

    async def touch(self, principal_id: str, org_id: str | None) -> None:
        try:
            human_due = await self.redis.set(
                f"activity:human:{principal_id}", 1, nx=True, ex=WINDOW_SECONDS
            )
            member_due = org_id is not None and await self.redis.set(
                f"activity:member:{org_id}:{principal_id}", 1, nx=True, ex=WINDOW_SECONDS
            )
            if not (human_due or member_due):
                return
            async with self.pool.connection() as conn:
                if human_due:
                    await conn.execute(
                        "UPDATE iam.humans SET last_activity_at = util.now() "
                        "WHERE principal_id = %s",
                        (principal_id,),
                    )
                if member_due:
                    await conn.execute(
                        "UPDATE tenancy.organization_memberships SET last_used_at = util.now() "
                        "WHERE organization_id = %s AND principal_id = %s",
                        (org_id, principal_id),
                    )
        except Exception:  # activity is best effort: it must never fail the request
            log.warning("could not record activity", exc_info=True)
