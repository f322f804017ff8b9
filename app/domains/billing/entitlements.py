"""The three gates of a tiered product, called at the start of a gated handler:

- `require_tier_entitlement(db, code)`: the subscription (or an override) includes a feature,
  else 402 `tier_entitlement_unavailable`;
- `require_org_entitlement(db, code)`: an org-scoped toggle is on, else 403
  `org_entitlement_disabled`;
- `enforce_limit(db, code, delta)`: usage plus delta fits the limit, else 402 `limit_exceeded`
  (raised by SQL, race-free, with limit and usage in `details`).

Each answer carries a `kind` discriminator in `details` so a frontend can tell an upsell
(402) from a compliance switch (403).
"""

from __future__ import annotations

from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue

Q = catalogue("billing")


async def require_tier_entitlement(db: Db, code: str) -> None:
    if not await db.scalar(Q.has_tier_entitlement, code=code):
        raise ApiError(
            402,
            "tier_entitlement_unavailable",
            f"The organization's plan does not include {code}.",
            {"kind": "tier_entitlement", "entitlement": code},
        )


async def require_org_entitlement(db: Db, code: str) -> None:
    if not await db.scalar(Q.has_org_entitlement, code=code):
        raise ApiError(
            403,
            "org_entitlement_disabled",
            f"{code} is switched off for this organization.",
            {"kind": "org_entitlement", "entitlement": code},
        )


async def enforce_limit(db: Db, code: str, delta: int = 1) -> None:
    await db.execute(Q.enforce_limit, code=code, delta=delta)
