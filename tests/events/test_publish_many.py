"""events.publish_many through the real pools: one wake-up per transaction, none for nothing,
rolled-back work publishes nothing, and the request pool publishes only in its organization."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.databases import ScratchDatabase
from workers import queue


@pytest.fixture
def clinic(fresh_database: ScratchDatabase) -> dict[str, uuid.UUID]:
    with psycopg.connect(fresh_database.owner_url) as conn:
        org, ana = conn.execute(
            "SELECT tests.create_org('clinic-a'), tests.create_human('ana@clinic-a.test')"
        ).fetchone()
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, ana))
        conn.execute("INSERT INTO events.event_types VALUES ('test.ping', 1, 'A test event.')")
        conn.execute("SELECT events.register_consumer('pings', ARRAY['test.*'])")
    return {"org": org, "ana": ana}


def _act(conn: psycopg.Connection, principal: uuid.UUID, org: uuid.UUID) -> None:
    """A request's scope, publishing as a domain's SECURITY DEFINER function does (the owner):
    the request pool itself may not call events.publish_many (issue 14, finding 8)."""
    conn.execute(
        "SELECT set_config('app.current_principal_id', %s, true), "
        "set_config('app.current_org_id', %s, true), set_config('role', 'restartix_owner', true)",
        (str(principal), str(org)),
    )


def _listener(db: ScratchDatabase) -> psycopg.Connection:
    conn = psycopg.connect(db.system_url, autocommit=True)
    conn.execute(f"LISTEN {queue.CHANNEL}")
    return conn


def _notified(conn: psycopg.Connection, timeout: float) -> int:
    return sum(1 for _ in conn.notifies(timeout=timeout))


def _published(db: ScratchDatabase) -> list[int]:
    with psycopg.connect(db.system_url) as conn:
        rows = conn.execute(
            "SELECT (payload ->> 'n')::int FROM events.outbox WHERE type = 'test.ping' "
            "ORDER BY position"
        ).fetchall()
    return [n for (n,) in rows]


def test_many_payloads_commit_as_one_wake_up_in_their_order(fresh_database, clinic):
    listener = _listener(fresh_database)
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, clinic["ana"], clinic["org"])
        ids = conn.execute(
            "SELECT events.publish_many('test.ping', %s)", ([Jsonb({"n": n}) for n in range(5)],)
        ).fetchone()[0]
        assert _notified(listener, 0.3) == 0, "nothing is announced before the commit"
        conn.commit()
    assert _notified(listener, 1.0) == 1
    assert len(ids) == 5
    assert _published(fresh_database) == [0, 1, 2, 3, 4]
    with psycopg.connect(fresh_database.system_url, autocommit=True) as conn:
        batch = queue.claim(conn, "pings", "test", limit=10, per_lane=10, lease=None)
    assert [d.event_id for d in batch] == ids, "delivered in the order they were published"
    listener.close()


def test_nothing_to_publish_wakes_nobody_and_rollback_publishes_nothing(fresh_database, clinic):
    listener = _listener(fresh_database)
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, clinic["ana"], clinic["org"])
        assert conn.execute("SELECT events.publish_many('test.ping', %s)", ([],)).fetchone() == (
            [],
        )
        conn.commit()
        _act(conn, clinic["ana"], clinic["org"])
        conn.execute("SELECT events.publish_many('test.ping', %s)", ([Jsonb({"n": 1})],))
        conn.rollback()
    assert _notified(listener, 0.5) == 0
    assert _published(fresh_database) == []
    listener.close()


def test_the_request_pool_publishes_many_only_for_its_session(fresh_database, clinic):
    with psycopg.connect(fresh_database.owner_url) as conn:
        _act(conn, clinic["ana"], uuid.uuid4())
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as denied:
            conn.execute("SELECT events.publish_many('test.ping', %s)", ([Jsonb({})],))
        assert denied.value.diag.message_primary == "permission_denied"
    with psycopg.connect(fresh_database.app_url) as conn:
        for call in (
            "events.publish_many('test.ping', %s)",
            "events.publish_many_for(%s, 'test.ping', %s)",
        ):
            params = ([Jsonb({})],) if "_for" not in call else (clinic["org"], [Jsonb({})])
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT {call}", params)
            conn.rollback()
