"""Activity tracking: humans.last_activity_at and memberships.last_used_at, written at most
once per five minutes per principal (and per principal and organization) by each process.

The throttle lives in the process, so a request that is not due costs nothing (no Redis, no
SQL); with N API processes a principal's stamp is written at most N times a window, which
is what an "active in the last five minutes" figure needs. The write itself goes through
the system pool, outside the request's transaction, so a failed request still counts as
activity and the request never waits on a row lock of its own transaction.
"""

from __future__ import annotations

import logging
import time

from psycopg_pool import AsyncConnectionPool

from app.db.queries import catalogue

log = logging.getLogger("restartix.activity")

WINDOW_SECONDS = 300
MAX_TRACKED = 100_000

Q = catalogue("iam")


class ActivityTracker:
    def __init__(self, pool: AsyncConnectionPool, window: float = WINDOW_SECONDS) -> None:
        self.pool = pool
        self.window = window
        self.due_at: dict[tuple[str, str | None], float] = {}

    def _due(self, key: tuple[str, str | None], now: float) -> bool:
        if self.due_at.get(key, 0.0) > now:
            return False
        if len(self.due_at) >= MAX_TRACKED:
            self.due_at = {k: v for k, v in self.due_at.items() if v > now}
        self.due_at[key] = now + self.window
        return True

    async def touch(self, principal_id: str, org_id: str | None) -> None:
        now = time.monotonic()
        human_due = self._due((principal_id, None), now)
        member_due = org_id is not None and self._due((principal_id, org_id), now)
        if not (human_due or member_due):
            return
        try:
            async with self.pool.connection() as conn:
                await conn.execute(
                    Q.touch_activity.sql,
                    {
                        "principal": principal_id,
                        "org": org_id if member_due else None,
                        "human": human_due,
                    },
                )
        except Exception:  # activity is best effort: it must never fail the request
            log.warning("could not record activity", exc_info=True)
