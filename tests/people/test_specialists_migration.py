"""Migration 0017 backfills specialists.max into the subscription snapshots that existed
before it: a database migrated to 0016 with clinics on each base tier, then migrated on."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from app.db import admin
from app.db.paths import MIGRATIONS_DIR
from tests.databases import ScratchDatabase, _maintenance, describe, drop, new_name

LAST_BEFORE = "0016_people.sql"


def _subscribe(conn: psycopg.Connection, slug: str, tier: str) -> str:
    """An organization on `tier` with the snapshot subscribe_snapshot took before 0017."""
    org = conn.execute(
        "INSERT INTO tenancy.organizations (slug, name) VALUES (%s, %s) RETURNING id",
        (slug, slug),
    ).fetchone()[0]
    subscription = conn.execute(
        "INSERT INTO billing.organization_subscriptions (organization_id, tier_version_id, kind)"
        " SELECT %s, v.id, 'base' FROM billing.tier_versions AS v"
        " INNER JOIN billing.tiers AS t ON t.id = v.tier_id WHERE t.code = %s RETURNING id",
        (org, tier),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO billing.organization_subscription_limits"
        " (subscription_id, organization_id, limit_code, value)"
        " SELECT %s, %s, l.limit_code, l.value FROM billing.tier_limits AS l"
        " INNER JOIN billing.organization_subscriptions AS s"
        " ON s.tier_version_id = l.tier_version_id WHERE s.id = %s",
        (subscription, org, subscription),
    )
    return str(subscription)


def test_existing_snapshots_gain_specialists_max_from_their_tier_version(
    migrated_database: ScratchDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = describe(new_name("m17"))
    with _maintenance() as conn:
        admin.create_database(conn, db.name)
    try:
        before = tmp_path / "migrations"
        before.mkdir()
        for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
            if path.name <= LAST_BEFORE:
                shutil.copy(path, before / path.name)
        monkeypatch.setattr(admin, "MIGRATIONS_DIR", before)
        admin._apply_migrations(db.owner_url)
        with psycopg.connect(db.owner_url, autocommit=True) as conn:
            assert not conn.execute(
                "SELECT 1 FROM billing.limit_definitions WHERE code = 'specialists.max'"
            ).fetchone()
            subscriptions = {
                tier: _subscribe(conn, f"{tier}-clinic", tier)
                for tier in ("free", "pro", "dedicated")
            }

        monkeypatch.setattr(admin, "MIGRATIONS_DIR", MIGRATIONS_DIR)
        assert admin._apply_migrations(db.owner_url) >= 1

        with psycopg.connect(db.owner_url, autocommit=True) as conn:
            found = {
                tier: conn.execute(
                    "SELECT value FROM billing.organization_subscription_limits"
                    " WHERE subscription_id = %s AND limit_code = 'specialists.max'",
                    (subscription,),
                ).fetchall()
                for tier, subscription in subscriptions.items()
            }
        # One row each, valued as the tier version sets it (Dedicated: NULL, unlimited).
        assert found == {"free": [(3,)], "pro": [(25,)], "dedicated": [(None,)]}
    finally:
        drop(db)
