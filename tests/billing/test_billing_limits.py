"""Limits are enforced race-free: two concurrent writers cannot both take the last place."""

from __future__ import annotations

import threading

import psycopg
import pytest

from tests.databases import ScratchDatabase


def _setup(db: ScratchDatabase) -> tuple[str, str, str]:
    with psycopg.connect(db.owner_url, autocommit=True) as conn:
        org = conn.execute("SELECT tests.create_org('race-clinic')").fetchone()[0]
        owner = conn.execute("SELECT tests.create_human('owner@race.test')").fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, owner))
        # Free allows 3: the owner and one pending invitation leave exactly one place.
        role = conn.execute(
            "SELECT id FROM iam.roles WHERE code = 'specialist' AND organization_id IS NULL"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO tenancy.invitations"
            " (organization_id, email, role_id, token_hash, invited_by, expires_at)"
            " VALUES (%s, 'first@race.test', %s, sha256('x'), %s, now() + interval '1 day')",
            (org, role, owner),
        )
    return str(org), str(owner), str(role)


def _invite(
    db: ScratchDatabase, org: str, owner: str, role: str, email: str, barrier, results
) -> None:
    with psycopg.connect(db.app_url) as conn:
        conn.execute(
            "SELECT set_config('app.current_principal_id', %s, true),"
            " set_config('app.current_org_id', %s, true)",
            (owner, org),
        )
        barrier.wait()
        try:
            conn.execute("SELECT * FROM tenancy.create_invitation(%s, %s)", (email, role))
            conn.commit()
            results.append("ok")
        except psycopg.errors.RaiseException as exc:
            conn.rollback()
            results.append(exc.diag.message_primary)


@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_invitations_take_the_last_place_once(
    fresh_database: ScratchDatabase, round_: int
):
    org, owner, role = _setup(fresh_database)
    barrier = threading.Barrier(2)
    results: list[str] = []
    threads = [
        threading.Thread(
            target=_invite,
            args=(fresh_database, org, owner, role, f"n{i}@race.test", barrier, results),
        )
        for i in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["limit_exceeded", "ok"]
    with psycopg.connect(fresh_database.owner_url) as conn:
        pending = conn.execute(
            "SELECT count(*) FROM tenancy.invitations WHERE organization_id = %s", (org,)
        ).fetchone()[0]
    assert pending == 2
