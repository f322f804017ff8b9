"""Rate limits through a Litestar app against the real Redis: trigger, Retry-After, recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from litestar import Litestar, get, post

from app.api.errors import exception_handlers
from app.api.ratelimit import (
    STATE_KEY,
    Rate,
    RateLimiter,
    parse_rate,
    rate_limited,
    rates_from_env,
)
from app.api.requester import client_ip
from tests.api_harness import (
    HeaderPrincipal,
    client,
    closed_port_url,
    drop_keys,
    unique_prefix,
)
from tests.api_harness import redis as redis

pytestmark = pytest.mark.anyio

RATES = {"public": parse_rate("3/2s"), "auth": parse_rate("2/minute")}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@get("/public", guards=[rate_limited("public")])
async def public_page() -> dict[str, bool]:
    return {"ok": True}


@post("/sessions", guards=[rate_limited("auth")], status_code=200)
async def sensitive() -> dict[str, bool]:
    return {"ok": True}


@get("/unlimited")
async def unlimited() -> dict[str, bool]:
    return {"ok": True}


def build_app(limiter: RateLimiter) -> Litestar:
    app = Litestar(
        route_handlers=[public_page, sensitive, unlimited],
        middleware=[HeaderPrincipal()],
        exception_handlers=exception_handlers,
        logging_config=None,
    )
    setattr(app.state, STATE_KEY, limiter)
    return app


@pytest.fixture
async def app(redis: aioredis.Redis) -> AsyncIterator[Litestar]:
    prefix = unique_prefix("rl")
    try:
        yield build_app(RateLimiter(redis, RATES, prefix=prefix))
    finally:
        await drop_keys(redis, prefix)


# --- configuration -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60/minute", Rate(60, 60)),
        ("20/min", Rate(20, 60)),
        ("5/2s", Rate(5, 2)),
        ("10 / 30 seconds", Rate(10, 30)),
        ("1000/hour", Rate(1000, 3600)),
        ("100000/day", Rate(100000, 86400)),
        ("3/0.5s", Rate(3, 0.5)),
    ],
)
def test_parse_rate_accepts_the_usual_spellings(text: str, expected: Rate) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "60", "60/fortnight", "0/minute", "x/minute", "5/0s"])
def test_parse_rate_rejects_nonsense_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"N/unit|positive"):
        parse_rate(text)


def test_rates_from_env_has_defaults_overrides_and_new_buckets() -> None:
    rates = rates_from_env({"RATE_LIMIT_AUTH": "5/minute", "RATE_LIMIT_UPLOADS": "10/hour"})
    assert rates == {
        "public": Rate(60, 60),
        "auth": Rate(5, 60),
        "uploads": Rate(10, 3600),
    }
    with pytest.raises(ValueError, match=r"^RATE_LIMIT_PUBLIC: .*N/unit"):
        rates_from_env({"RATE_LIMIT_PUBLIC": "lots"})


def test_client_ip_groups_ipv6_by_64_and_unwraps_mapped_ipv4() -> None:
    a = client_ip({"client": ("2001:db8:1:2:aaaa::1", 1)})  # type: ignore[typeddict-item]
    b = client_ip({"client": ("2001:db8:1:2:bbbb::9", 1)})  # type: ignore[typeddict-item]
    other = client_ip({"client": ("2001:db8:1:3::1", 1)})  # type: ignore[typeddict-item]
    assert a == b == "2001:db8:1:2::/64"
    assert other != a
    assert client_ip({"client": ("::ffff:198.51.100.7", 1)}) == "198.51.100.7"  # type: ignore[typeddict-item]


# --- through the app ---------------------------------------------------------------------


async def test_limit_triggers_on_request_n_plus_one_with_retry_after(app: Litestar) -> None:
    async with client(app) as http:
        for _ in range(3):
            assert (await http.get("/public")).status_code == 200
        refused = await http.get("/public", headers={"X-Request-Id": "req-abc-123"})

    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 2
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["request_id"] == "req-abc-123"
    assert error["details"] == {
        "bucket": "public",
        "limit": 3,
        "window_seconds": 2.0,
        "retry_after": retry_after,
    }


async def test_recovers_once_the_window_has_passed(app: Litestar) -> None:
    async with client(app) as http:
        for _ in range(3):
            assert (await http.get("/public")).status_code == 200
        refused = await http.get("/public")
        assert refused.status_code == 429
        await asyncio.sleep(int(refused.headers["Retry-After"]) + 0.1)
        assert (await http.get("/public")).status_code == 200


async def test_refused_requests_do_not_extend_the_block(app: Litestar) -> None:
    async with client(app) as http:
        for _ in range(3):
            await http.get("/public")
        for _ in range(10):
            assert (await http.get("/public")).status_code == 429
        await asyncio.sleep(2.1)
        assert (await http.get("/public")).status_code == 200


async def test_each_client_address_has_its_own_count(app: Litestar) -> None:
    async with client(app, "198.51.100.1") as first, client(app, "198.51.100.2") as second:
        for _ in range(3):
            assert (await first.get("/public")).status_code == 200
        assert (await first.get("/public")).status_code == 429
        assert (await second.get("/public")).status_code == 200


async def test_a_principal_is_counted_across_addresses_and_apart_from_others(
    app: Litestar,
) -> None:
    alice = {"X-Test-Principal": "alice"}
    bob = {"X-Test-Principal": "bob"}
    async with (
        client(app, "198.51.100.1") as office,
        client(app, "198.51.100.2") as home,
        client(app, "198.51.100.3") as cafe,
    ):
        assert (await office.post("/sessions", headers=alice)).status_code == 200
        assert (await office.post("/sessions", headers=alice)).status_code == 200
        # Alice from another address: her own count follows her.
        assert (await home.post("/sessions", headers=alice)).status_code == 429
        # The office address is spent too, whoever asks from it.
        assert (await office.post("/sessions", headers=bob)).status_code == 429
        assert (await office.post("/sessions")).status_code == 429
        # Bob elsewhere is untouched.
        assert (await cafe.post("/sessions", headers=bob)).status_code == 200


async def test_buckets_are_counted_separately_and_unguarded_routes_are_free(
    app: Litestar,
) -> None:
    async with client(app) as http:
        for _ in range(2):
            assert (await http.post("/sessions")).status_code == 200
        assert (await http.post("/sessions")).status_code == 429
        assert (await http.get("/public")).status_code == 200
        for _ in range(10):
            assert (await http.get("/unlimited")).status_code == 200


async def test_concurrent_requests_cannot_overrun_the_limit(app: Litestar) -> None:
    async with client(app) as http:
        answers = await asyncio.gather(*(http.get("/public") for _ in range(20)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == 3
    assert statuses.count(429) == 17


async def test_counts_live_in_redis_under_the_prefix_and_expire(
    app: Litestar, redis: aioredis.Redis
) -> None:
    limiter: RateLimiter = getattr(app.state, STATE_KEY)
    async with client(app, "198.51.100.9") as http:
        await http.post("/sessions", headers={"X-Test-Principal": "carol"})
    ip_key = f"{limiter.prefix}:auth:ip:198.51.100.9"
    principal_key = f"{limiter.prefix}:auth:principal:carol"
    assert await redis.zcard(ip_key) == 1
    assert await redis.zcard(principal_key) == 1
    assert 0 < await redis.pttl(principal_key) <= 60_000


async def test_unreachable_redis_lets_requests_through() -> None:
    broken = aioredis.Redis.from_url(closed_port_url(), socket_connect_timeout=0.5)
    try:
        app = build_app(RateLimiter(broken, RATES, prefix=unique_prefix("rl")))
        async with client(app) as http:
            for _ in range(5):
                assert (await http.get("/public")).status_code == 200
    finally:
        await broken.aclose()


async def test_a_route_naming_an_unconfigured_bucket_fails_loudly(redis: aioredis.Redis) -> None:
    app = build_app(RateLimiter(redis, {"public": Rate(1, 1)}, prefix=unique_prefix("rl")))
    async with client(app) as http:
        answer = await http.post("/sessions")
    assert answer.status_code == 500
