"""Publishing through the real pools: transactions, NOTIFY, isolation, bad input, fan-out, and
concurrent claimers that never share an organization's lane."""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.databases import ScratchDatabase
from workers import queue


@pytest.fixture
def world(fresh_database: ScratchDatabase) -> dict[str, uuid.UUID]:
    """Two clinics, each with an owner, and a `test.ping` event type."""
    with psycopg.connect(fresh_database.owner_url) as conn:
        ids = conn.execute(
            "SELECT tests.create_org('clinic-a'), tests.create_org('clinic-b'), "
            "tests.create_human('ana@clinic-a.test'), tests.create_human('bob@clinic-b.test')"
        ).fetchone()
        a, b, ana, bob = ids
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (a, ana))
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (b, bob))
        conn.execute("INSERT INTO events.event_types VALUES ('test.ping', 1, 'A test event.')")
    return {"a": a, "b": b, "ana": ana, "bob": bob}


def _act(conn: psycopg.Connection, principal: uuid.UUID, org: uuid.UUID | None) -> None:
    """What the API does at the start of a request transaction."""
    conn.execute(
        "SELECT set_config('app.current_principal_id', %s, true), "
        "set_config('app.current_org_id', %s, true), set_config('app.request_id', 'req-1', true)",
        (str(principal), str(org) if org else ""),
    )


def _as_domain_function(conn: psycopg.Connection) -> None:
    """Act as a domain's SECURITY DEFINER function does (the owner): the request pool itself
    may not call events.publish (issue 14, finding 8)."""
    conn.execute("SELECT set_config('role', 'restartix_owner', true)")


def _events(db: ScratchDatabase) -> list[tuple]:
    with psycopg.connect(db.system_url) as conn:
        return conn.execute(
            "SELECT type, organization_id, actor_id, actor_type, request_id, payload "
            "FROM events.outbox WHERE type = 'test.ping' ORDER BY position"
        ).fetchall()


def _listener(db: ScratchDatabase) -> psycopg.Connection:
    conn = psycopg.connect(db.system_url, autocommit=True)
    conn.execute(f"LISTEN {queue.CHANNEL}")
    return conn


def _notified(conn: psycopg.Connection, timeout: float) -> int:
    return sum(1 for _ in conn.notifies(timeout=timeout))


def test_rollback_publishes_nothing_and_wakes_nobody(fresh_database: ScratchDatabase, world):
    listener = _listener(fresh_database)
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, world["ana"], world["a"])
        _as_domain_function(conn)
        conn.execute("SELECT events.publish('test.ping', '{\"n\": 1}')")
        conn.rollback()
    assert _notified(listener, 0.5) == 0
    assert _events(fresh_database) == []
    listener.close()


def test_commit_publishes_and_wakes_listeners_only_then(fresh_database: ScratchDatabase, world):
    listener = _listener(fresh_database)
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, world["ana"], world["a"])
        _as_domain_function(conn)
        for n in range(3):
            conn.execute("SELECT events.publish('test.ping', %s)", (Jsonb({"n": n}),))
        assert _notified(listener, 0.3) == 0, "nothing is announced before the commit"
        conn.commit()
    assert _notified(listener, 1.0) == 1, "one wake-up per transaction"
    events = _events(fresh_database)
    assert [e[5]["n"] for e in events] == [0, 1, 2]
    assert {e[1:5] for e in events} == {(world["a"], world["ana"], "human", "req-1")}
    listener.close()


def test_the_request_pool_reads_no_event_and_publishes_nothing_directly(
    fresh_database: ScratchDatabase, world
):
    with psycopg.connect(fresh_database.app_url) as conn:
        for relation in ("events.outbox", "events.deliveries", "events.consumers"):
            _act(conn, world["ana"], world["a"])
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {relation}")
            conn.rollback()
        _act(conn, world["ana"], world["a"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT events.publish('test.ping', '{}')")
        conn.rollback()
        _act(conn, world["ana"], world["a"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT events.publish_for(%s, 'test.ping', '{}')", (world["b"],))
        conn.rollback()
        _act(conn, world["ana"], world["a"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM events.claim('log_sink', 'intruder')")
        conn.rollback()
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, world["ana"], world["b"])
        _as_domain_function(conn)
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as denied:
            conn.execute("SELECT events.publish('test.ping', '{}')")
        assert denied.value.diag.message_primary == "permission_denied"
        conn.rollback()
        _act(conn, world["bob"], world["b"])
        _as_domain_function(conn)
        conn.execute("SELECT events.publish('test.ping', '{\"n\": 7}')")
        conn.commit()
    assert [(e[1], e[2]) for e in _events(fresh_database)] == [(world["b"], world["bob"])]


@pytest.mark.parametrize(
    ("call", "code", "detail"),
    [
        ("SELECT events.publish('test.pong', '{}')", "event_type_unknown", "test.pong version 1"),
        ("SELECT events.publish('test.ping', '{}', 2)", "event_type_unknown", "version 2"),
        ("SELECT events.publish('test.ping', '[]')", "event_payload_not_object", "not array"),
        ("SELECT events.publish('test.ping', '\"x\"')", "event_payload_not_object", "string"),
        (
            "SELECT events.publish('test.ping', jsonb_build_object('x', repeat('a', 300000)))",
            "event_payload_too_large",
            "at most 262144 bytes",
        ),
    ],
)
def test_bad_input_is_refused_with_a_stable_code(
    fresh_database: ScratchDatabase, world, call, code, detail
):
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, world["ana"], world["a"])
        _as_domain_function(conn)
        with pytest.raises(psycopg.errors.RaiseException) as refused:
            conn.execute(call)
    assert refused.value.diag.message_primary == code
    assert detail in refused.value.diag.message_detail


def test_a_payload_just_under_the_limit_is_accepted(fresh_database: ScratchDatabase, world):
    with psycopg.connect(fresh_database.system_url) as conn:
        conn.execute(
            "SELECT events.publish_for(NULL, 'test.ping', "
            "jsonb_build_object('x', repeat('a', %s)))",
            (262144 - len('{"x": ""}'),),
        )
    assert len(_events(fresh_database)) == 1


def _drain(conn: psycopg.Connection, consumer: str) -> list[uuid.UUID]:
    seen = []
    while batch := queue.claim(conn, consumer, "test", limit=7, per_lane=3, lease=None):
        for delivery in batch:
            seen.append(delivery.event_id)
            assert queue.complete(conn, delivery.lease_id, delivery.event_id)
    return seen


def test_two_consumers_each_receive_every_event(fresh_database: ScratchDatabase, world):
    with psycopg.connect(fresh_database.system_url, autocommit=True) as conn:
        for name in ("webhooks", "segments"):
            conn.execute("SELECT events.register_consumer(%s)", (name,))
        published = []
        for n in range(30):
            org = (world["a"], world["b"], None)[n % 3]
            published.append(
                conn.execute(
                    "SELECT events.publish_for(%s, 'test.ping', %s)", (org, Jsonb({"n": n}))
                ).fetchone()[0]
            )
        first = _drain(conn, "webhooks")
        assert sorted(first) == sorted(published)
        second = _drain(conn, "segments")
        assert sorted(second) == sorted(published), "one consumer's progress is not the other's"
        assert _drain(conn, "webhooks") == []


def test_concurrent_claimers_never_hold_the_same_lane(fresh_database: ScratchDatabase, world):
    orgs = [uuid.uuid4() for _ in range(5)]
    with psycopg.connect(fresh_database.system_url, autocommit=True) as conn:
        conn.execute("SELECT events.register_consumer('fanout')")
        for n in range(60):
            for org in orgs:
                conn.execute(
                    "SELECT events.publish_for(%s, 'test.ping', %s)", (org, Jsonb({"n": n}))
                )
    held: dict[uuid.UUID, str] = {}
    handled: dict[uuid.UUID, list[int]] = defaultdict(list)
    lock = threading.Lock()
    problems: list[str] = []

    def claimer(name: str) -> None:
        with psycopg.connect(fresh_database.system_url, autocommit=True) as conn:
            idle = 0
            while idle < 3:
                batch = queue.claim(conn, "fanout", name, limit=4, per_lane=2, lease=None)
                if not batch:
                    idle += 1
                    continue
                idle = 0
                lanes = {d.lane for d in batch}
                with lock:
                    for lane in lanes:
                        if lane in held:
                            problems.append(f"{name} and {held[lane]} both hold {lane}")
                        held[lane] = name
                last = {d.lane: d.event_id for d in batch}
                for d in batch:
                    with lock:
                        handled[d.lane].append(d.event().payload["n"])
                        # Let go before the lane's last completion makes it claimable again.
                        if last[d.lane] == d.event_id:
                            held.pop(d.lane, None)
                    assert queue.complete(conn, d.lease_id, d.event_id)

    threads = [threading.Thread(target=claimer, args=(f"c{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert problems == []
    assert {lane: ns for lane, ns in handled.items()} == {org: list(range(60)) for org in orgs}
