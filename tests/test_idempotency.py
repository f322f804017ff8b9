"""Idempotency-Key through a Litestar app against the real Redis: replay, reuse, overlap."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import msgspec
import pytest
import redis.asyncio as aioredis
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.response import Response

from app.api.errors import ApiError, exception_handlers
from app.api.idempotency import STATE_KEY, IdempotencyMiddleware, IdempotencyStore
from tests.api_harness import (
    HeaderPrincipal,
    client,
    closed_port_url,
    drop_keys,
    unique_prefix,
)
from tests.api_harness import redis as redis

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class NewOrder(msgspec.Struct, forbid_unknown_fields=True):
    item: str
    quantity: int


class Order(msgspec.Struct):
    id: int
    item: str
    quantity: int


class Harness:
    """A small app whose handlers count their runs, so a replay can be told from a rerun."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.failures_left = 0

    def build(self, store: IdempotencyStore) -> Litestar:
        calls, harness = self.calls, self

        @post("/orders")
        async def create_order(data: JSONBody[NewOrder]) -> Response[Order]:
            calls["create"] += 1
            order = Order(id=calls["create"], item=data.item, quantity=data.quantity)
            return Response(
                order,
                status_code=201,
                headers={"Location": f"/orders/{order.id}", "X-Served-By": f"run-{order.id}"},
            )

        @get("/orders")
        async def list_orders() -> dict[str, int]:
            calls["list"] += 1
            return {"runs": calls["list"]}

        @post("/slow", status_code=201)
        async def slow(data: JSONBody[NewOrder]) -> dict[str, int]:
            calls["slow"] += 1
            harness.entered.set()
            await harness.release.wait()
            return {"run": calls["slow"]}

        @post("/flaky", status_code=201)
        async def flaky(data: JSONBody[NewOrder]) -> dict[str, int]:
            calls["flaky"] += 1
            if harness.failures_left:
                harness.failures_left -= 1
                raise ApiError(503, "upstream_unavailable", "Try again.")
            return {"run": calls["flaky"]}

        @post("/reject", status_code=201)
        async def reject(data: JSONBody[NewOrder]) -> dict[str, int]:
            calls["reject"] += 1
            raise ApiError(
                409, "slot_taken", "That slot is taken.", details={"run": calls["reject"]}
            )

        app = Litestar(
            route_handlers=[create_order, list_orders, slow, flaky, reject],
            middleware=[HeaderPrincipal(), IdempotencyMiddleware()],
            exception_handlers=exception_handlers,
            logging_config=None,
        )
        setattr(app.state, STATE_KEY, store)
        return app


@pytest.fixture
async def store(redis: aioredis.Redis) -> AsyncIterator[IdempotencyStore]:
    prefix = unique_prefix("idem")
    try:
        yield IdempotencyStore(redis, prefix=prefix, max_request_bytes=4096)
    finally:
        await drop_keys(redis, prefix)


@pytest.fixture
def harness() -> Harness:
    return Harness()


@pytest.fixture
def app(harness: Harness, store: IdempotencyStore) -> Litestar:
    return harness.build(store)


ALICE = {"X-Test-Principal": "alice"}


def keyed(key: str, **more: str) -> dict[str, str]:
    return {"Idempotency-Key": key, **ALICE, **more}


async def test_a_retry_replays_the_stored_response_without_running_again(
    app: Litestar, harness: Harness
) -> None:
    order = {"item": "therapy band", "quantity": 2}
    async with client(app) as http:
        first = await http.post("/orders", json=order, headers=keyed("k-1"))
        again = await http.post("/orders", json=order, headers=keyed("k-1"))

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert first.json() == {"id": 1, "item": "therapy band", "quantity": 2}
    assert again.headers["location"] == first.headers["location"] == "/orders/1"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    # Headers outside the kept set belong to the first exchange only.
    assert first.headers["x-served-by"] == "run-1"
    assert "x-served-by" not in again.headers
    assert harness.calls["create"] == 1


async def test_the_same_key_with_another_body_is_refused(app: Litestar, harness: Harness) -> None:
    async with client(app) as http:
        await http.post("/orders", json={"item": "band", "quantity": 1}, headers=keyed("k-2"))
        reused = await http.post(
            "/orders", json={"item": "band", "quantity": 5}, headers=keyed("k-2")
        )
        other_path = await http.post(
            "/slow", json={"item": "band", "quantity": 1}, headers=keyed("k-2")
        )

    assert reused.status_code == other_path.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert set(reused.json()["error"]) == {"code", "message", "details", "request_id"}
    assert harness.calls["create"] == 1
    assert harness.calls["slow"] == 0


async def test_a_duplicate_while_the_first_is_running_gets_409(
    app: Litestar, harness: Harness
) -> None:
    order = {"item": "mat", "quantity": 1}
    async with client(app) as http:
        first = asyncio.create_task(http.post("/slow", json=order, headers=keyed("k-3")))
        await asyncio.wait_for(harness.entered.wait(), 5)

        duplicate = await http.post("/slow", json=order, headers=keyed("k-3"))
        different = await http.post(
            "/slow", json={"item": "mat", "quantity": 9}, headers=keyed("k-3")
        )
        harness.release.set()
        done = await asyncio.wait_for(first, 5)
        after = await http.post("/slow", json=order, headers=keyed("k-3"))

    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "idempotency_in_progress"
    assert duplicate.headers["retry-after"] == "1"
    assert different.status_code == 422
    assert done.status_code == 201
    assert after.status_code == 201
    assert after.content == done.content
    assert harness.calls["slow"] == 1


async def test_get_requests_and_requests_without_a_key_are_untouched(
    app: Litestar, harness: Harness
) -> None:
    order = {"item": "ball", "quantity": 1}
    async with client(app) as http:
        listed = [await http.get("/orders", headers=keyed("k-4")) for _ in range(2)]
        created = [await http.post("/orders", json=order, headers=ALICE) for _ in range(2)]

    assert [r.json()["runs"] for r in listed] == [1, 2]
    assert [r.json()["id"] for r in created] == [1, 2]
    assert all("idempotent-replayed" not in r.headers for r in listed + created)


async def test_keys_are_scoped_to_the_principal_or_the_address(
    app: Litestar, harness: Harness
) -> None:
    order = {"item": "ball", "quantity": 1}
    async with client(app, "198.51.100.1") as one, client(app, "198.51.100.2") as two:
        alice = await one.post("/orders", json=order, headers=keyed("shared"))
        bob = await one.post(
            "/orders", json=order, headers={"Idempotency-Key": "shared", "X-Test-Principal": "bob"}
        )
        anonymous_one = await one.post("/orders", json=order, headers={"Idempotency-Key": "shared"})
        anonymous_two = await two.post("/orders", json=order, headers={"Idempotency-Key": "shared"})
        alice_elsewhere = await two.post("/orders", json=order, headers=keyed("shared"))

    assert [r.json()["id"] for r in (alice, bob, anonymous_one, anonymous_two)] == [1, 2, 3, 4]
    assert alice_elsewhere.content == alice.content
    assert harness.calls["create"] == 4


async def test_server_failures_are_not_stored_so_a_retry_runs_again(
    app: Litestar, harness: Harness
) -> None:
    harness.failures_left = 1
    order = {"item": "ball", "quantity": 1}
    async with client(app) as http:
        failed = await http.post("/flaky", json=order, headers=keyed("k-5"))
        retried = await http.post("/flaky", json=order, headers=keyed("k-5"))
        replayed = await http.post("/flaky", json=order, headers=keyed("k-5"))

    assert failed.status_code == 503
    assert retried.status_code == replayed.status_code == 201
    assert replayed.content == retried.content
    assert harness.calls["flaky"] == 2


async def test_client_errors_are_outcomes_and_are_replayed(app: Litestar, harness: Harness) -> None:
    order = {"item": "slot", "quantity": 1}
    async with client(app) as http:
        first = await http.post("/reject", json=order, headers=keyed("k-6"))
        again = await http.post("/reject", json=order, headers=keyed("k-6"))
        invalid = await http.post("/orders", json={"item": 3}, headers=keyed("k-7"))
        invalid_again = await http.post("/orders", json={"item": 3}, headers=keyed("k-7"))

    assert first.status_code == again.status_code == 409
    assert again.json()["error"]["details"] == {"run": 1}
    assert harness.calls["reject"] == 1
    assert invalid.status_code == invalid_again.status_code == 400
    assert invalid_again.headers["idempotent-replayed"] == "true"


async def test_records_are_namespaced_and_kept_for_a_day(
    app: Litestar, store: IdempotencyStore, redis: aioredis.Redis
) -> None:
    async with client(app) as http:
        await http.post("/orders", json={"item": "a", "quantity": 1}, headers=keyed("k-8"))
    key = f"{store.prefix}:principal:alice:k-8"
    ttl_ms = await redis.pttl(key)
    assert 24 * 3600 * 1000 - 60_000 < ttl_ms <= 24 * 3600 * 1000


async def test_malformed_keys_and_oversized_bodies_are_refused(
    app: Litestar, harness: Harness
) -> None:
    async with client(app) as http:
        too_long = await http.post(
            "/orders", json={"item": "a", "quantity": 1}, headers=keyed("k" * 256)
        )
        spaced = await http.post(
            "/orders", json={"item": "a", "quantity": 1}, headers=keyed("two words")
        )
        large = await http.post(
            "/orders", json={"item": "x" * 5000, "quantity": 1}, headers=keyed("k-9")
        )

    assert too_long.status_code == spaced.status_code == 400
    assert too_long.json()["error"]["code"] == "idempotency_key_invalid"
    assert large.status_code == 413
    assert large.json()["error"]["code"] == "payload_too_large"
    assert harness.calls["create"] == 0


async def test_an_unreachable_store_refuses_keyed_requests_only(harness: Harness) -> None:
    broken = aioredis.Redis.from_url(closed_port_url(), socket_connect_timeout=0.5)
    try:
        app = harness.build(IdempotencyStore(broken, prefix=unique_prefix("idem")))
        order = {"item": "a", "quantity": 1}
        async with client(app) as http:
            keyed_answer = await http.post("/orders", json=order, headers=keyed("k-10"))
            plain_answer = await http.post("/orders", json=order, headers=ALICE)
    finally:
        await broken.aclose()

    assert keyed_answer.status_code == 503
    assert keyed_answer.json()["error"]["code"] == "idempotency_unavailable"
    assert plain_answer.status_code == 201
    assert harness.calls["create"] == 1
