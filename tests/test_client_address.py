"""Client addresses: behind no proxy a client cannot pick its own address (issue 14, finding 3).

The API is served by uvicorn with the options `restartix serve` passes, on a real socket, so
uvicorn's own forwarding-header handling is part of what is tested: it used to believe
`X-Forwarded-For` from loopback, and a rate-limited client walked past its limit by sending
a new address with every request (the same value reached the audit log and consent evidence,
which read the address from the same place).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace

import httpx
import pytest
import redis
import redis.asyncio as aioredis
import uvicorn
from litestar import Litestar, Request, get

from app.api.errors import exception_handlers
from app.api.ratelimit import STATE_KEY, RateLimiter, parse_rate, rate_limited
from app.api.requester import client_ip
from app.cli import proxy_options
from app.config import Settings, parse_networks
from tests.api_harness import REDIS_URL, unique_prefix


@get("/whoami", guards=[rate_limited("public")])
async def whoami(request: Request) -> dict[str, str]:
    return {"ip": client_ip(request.scope)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    """The app on 127.0.0.1 behind uvicorn configured as `restartix serve` configures it;
    the test's parameter is TRUSTED_PROXIES."""
    settings = replace(Settings.from_env(), trusted_proxies=parse_networks(request.param))
    prefix = unique_prefix("rl")
    app = Litestar(
        route_handlers=[whoami], exception_handlers=exception_handlers, logging_config=None
    )
    app.state.settings = settings
    limiter = RateLimiter(
        aioredis.Redis.from_url(REDIS_URL), {"public": parse_rate("3/minute")}, prefix=prefix
    )
    setattr(app.state, STATE_KEY, limiter)
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        log_config=None,
        **proxy_options(settings),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sync = redis.Redis.from_url(REDIS_URL)
        keys = list(sync.scan_iter(match=f"{prefix}:*"))
        if keys:
            sync.delete(*keys)


@pytest.mark.parametrize("served", [""], indirect=True)
def test_a_rate_limited_client_cannot_escape_by_forging_x_forwarded_for(served: str) -> None:
    with httpx.Client(base_url=served) as http:
        first = [http.get("/whoami") for _ in range(3)]
        assert [r.status_code for r in first] == [200, 200, 200]
        forged = [
            http.get("/whoami", headers={"X-Forwarded-For": f"198.51.100.{i}"})
            for i in range(1, 21)
        ]
    assert [r.status_code for r in forged] == [429] * 20


@pytest.mark.parametrize("served", [""], indirect=True)
def test_without_trusted_proxies_the_peer_is_the_client(served: str) -> None:
    with httpx.Client(base_url=served) as http:
        answer = http.get("/whoami", headers={"X-Forwarded-For": "203.0.113.66"})
    assert answer.json() == {"ip": "127.0.0.1"}


@pytest.mark.parametrize("served", ["127.0.0.1"], indirect=True)
def test_behind_a_trusted_proxy_its_forwarded_address_counts(served: str) -> None:
    with httpx.Client(base_url=served) as http:
        # What the client wrote (left) is not believed; what the proxy appended (right) is.
        answer = http.get("/whoami", headers={"X-Forwarded-For": "203.0.113.66, 198.51.100.20"})
    assert answer.json() == {"ip": "198.51.100.20"}


def _scope(peer: str, forwarded: list[str], trusted: str) -> dict:
    settings = SimpleNamespace(trusted_proxies=parse_networks(trusted))
    return {
        "type": "http",
        "client": (peer, 5000),
        "headers": [(b"x-forwarded-for", value.encode()) for value in forwarded],
        "app": SimpleNamespace(state=SimpleNamespace(settings=settings)),
    }


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        # No proxy configured: the header is ignored whoever sends it.
        ("127.0.0.1", ["203.0.113.5"], "", "127.0.0.1"),
        ("198.51.100.1", ["203.0.113.5"], "", "198.51.100.1"),
        # A configured proxy: the right-most address that is not a proxy.
        ("10.0.0.2", ["203.0.113.5"], "10.0.0.0/8", "203.0.113.5"),
        ("10.0.0.2", ["1.1.1.1, 203.0.113.5, 10.0.0.9"], "10.0.0.0/8", "203.0.113.5"),
        ("10.0.0.2", ["1.1.1.1", "203.0.113.5"], "10.0.0.0/8", "203.0.113.5"),
        # Not from a configured proxy: ignored.
        ("198.51.100.1", ["203.0.113.5"], "10.0.0.0/8", "198.51.100.1"),
        # Garbage to the right of the proxy: the proxy's own address, never the garbage.
        ("10.0.0.2", ["203.0.113.5, not-an-ip"], "10.0.0.0/8", "10.0.0.2"),
        ("10.0.0.2", [], "10.0.0.0/8", "10.0.0.2"),
        # Ports and brackets as some proxies write them; IPv6 grouped by /64.
        ("10.0.0.2", ["203.0.113.5:4711"], "10.0.0.0/8", "203.0.113.5"),
        ("10.0.0.2", ["[2001:db8:1:2::7]:443"], "10.0.0.0/8", "2001:db8:1:2::/64"),
        ("fd00::1", ["192.0.2.44"], "fd00::/8", "192.0.2.44"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(
    peer: str, forwarded: list[str], trusted: str, expected: str
) -> None:
    assert client_ip(_scope(peer, forwarded, trusted)) == expected  # type: ignore[arg-type]


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert parse_networks("10.0.0.0/8, 192.0.2.7 fd00::/8") == parse_networks(
        "10.0.0.0/8,192.0.2.7,fd00::/8"
    )
    with pytest.raises(ValueError, match=r"TRUSTED_PROXIES: 'proxy\.internal'"):
        parse_networks("10.0.0.1, proxy.internal")


def test_serve_never_lets_uvicorn_rewrite_the_peer() -> None:
    options = proxy_options(replace(Settings.from_env(), trusted_proxies=parse_networks("")))
    assert options == {"proxy_headers": False, "forwarded_allow_ips": []}
