"""Sliding-window rate limits in Redis, per client address and per principal, as route guards."""

from __future__ import annotations

import logging
import math
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import redis.asyncio as aioredis
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import Guard, Scope

from app.api.errors import ApiError, ErrorEnvelope
from app.api.requester import client_ip, principal_id

log = logging.getLogger(__name__)

STATE_KEY = "rate_limiter"
ENV_PREFIX = "RATE_LIMIT_"
DEFAULT_RATES = {"public": "60/minute", "auth": "20/minute"}

_UNITS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}  # fmt: skip
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*([a-z]+?)s?\s*$", re.IGNORECASE)

# A sorted set per identity holds the instants (ms, Redis clock) of the admitted requests
# in the last window. All identities of one request are checked and recorded in a single
# script, so concurrent requests cannot both take the last slot, and a denied request is not
# recorded (a client hammering while blocked does not extend its own block).
_SLIDING_WINDOW = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
local used = 0
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n > used then used = n end
  if n >= limit then
    -- the entry whose expiry brings the count back under the limit
    local entry = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local until_free = tonumber(entry[2]) + window - now
    if until_free > wait then wait = until_free end
  end
end
if wait > 0 then
  return {0, wait, 0}
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
end
return {1, 0, limit - used - 1}
"""


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: float

    def __str__(self) -> str:
        return f"{self.limit}/{self.window_seconds:g}s"


def parse_rate(text: str) -> Rate:
    """`60/minute`, `20/min`, `5/2s`, `1000/hour`, `10/30 seconds` → Rate."""
    match = _RATE.match(text)
    unit = _UNITS.get(match.group(3).lower()) if match else None
    if match is None or unit is None:
        raise ValueError(f"rate limit {text!r}: expected N/unit such as 60/minute or 5/2s")
    limit, count = int(match.group(1)), float(match.group(2) or 1)
    if limit < 1 or count <= 0:
        raise ValueError(f"rate limit {text!r}: the count and the window must be positive")
    return Rate(limit=limit, window_seconds=count * unit)


def rates_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Rate]:
    """The defaults, overridden or extended by `RATE_LIMIT_<BUCKET>=N/unit` variables."""
    environ = os.environ if environ is None else environ
    rates = {bucket: parse_rate(text) for bucket, text in DEFAULT_RATES.items()}
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and value.strip():
            try:
                rates[name.removeprefix(ENV_PREFIX).lower()] = parse_rate(value)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
    return rates


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: float
    remaining: int


class RateLimiter:
    """Counts requests per bucket and identity in Redis and refuses those over the rate.

    Redis being unreachable lets requests through (logged as an error): an outage of the
    limiter should not become an outage of the API, and /readyz reports Redis anyway.
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        rates: Mapping[str, Rate],
        *,
        prefix: str = "rl",
        fail_open: bool = True,
    ) -> None:
        self.rates = dict(rates)
        self.prefix = prefix
        self.fail_open = fail_open
        self._script = redis.register_script(_SLIDING_WINDOW)

    def identities(self, scope: Scope) -> list[str]:
        """Every identity a request counts against: its address, and its principal if known."""
        found = [f"ip:{client_ip(scope)}"]
        if principal := principal_id(scope):
            found.append(f"principal:{principal}")
        return found

    async def check(self, bucket: str, identities: Sequence[str]) -> Decision:
        rate = self.rates.get(bucket)
        if rate is None:
            raise LookupError(f"rate limit bucket {bucket!r} is not configured")
        keys = [f"{self.prefix}:{bucket}:{identity}" for identity in identities]
        window_ms = max(1, round(rate.window_seconds * 1000))
        allowed, wait_ms, remaining = await self._script(
            keys=keys, args=[rate.limit, window_ms, uuid.uuid4().hex]
        )
        return Decision(bool(allowed), int(wait_ms) / 1000, int(remaining))

    async def enforce(self, bucket: str, scope: Scope) -> Decision | None:
        """Record the request, or raise the 429 `ApiError` carrying `Retry-After`."""
        try:
            decision = await self.check(bucket, self.identities(scope))
        except aioredis.RedisError:
            if not self.fail_open:
                raise
            log.exception("rate limit check failed; request let through", extra={"bucket": bucket})
            return None
        if not decision.allowed:
            retry_after = max(1, math.ceil(decision.retry_after_seconds))
            rate = self.rates[bucket]
            raise ApiError(
                429,
                "rate_limited",
                "Too many requests; retry later.",
                details={
                    "bucket": bucket,
                    "limit": rate.limit,
                    "window_seconds": rate.window_seconds,
                    "retry_after": retry_after,
                },
                headers={"Retry-After": str(retry_after)},
            )
        return decision


def rate_limited(bucket: str) -> Guard:
    """A guard counting the request against `bucket` for its address and its principal.

    Declare it on a route, controller or router: `guards=[rate_limited("public")]`. It uses
    the `RateLimiter` at `app.state.rate_limiter`, built at startup with the Redis client and
    `rates_from_env()`. Guards run after the middleware, so the principal that the
    authentication layer stored on the request state is already known.
    """

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        limiter: RateLimiter | None = connection.app.state.get(STATE_KEY)
        if limiter is None:
            raise RuntimeError(f"app.state.{STATE_KEY} is not set; build a RateLimiter at startup")
        await limiter.enforce(bucket, connection.scope)

    guard.__name__ = guard.__qualname__ = f"rate_limited_{bucket}"
    return guard


RATE_LIMIT_RESPONSES = {
    429: ResponseSpec(
        data_container=ErrorEnvelope,
        description="Too many requests; the `Retry-After` header says when to retry (seconds).",
    )
}
