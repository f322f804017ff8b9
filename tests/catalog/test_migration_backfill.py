"""The catalog migration on a database that already has subscribed organizations: every
existing subscription snapshot gets services.max and service_plans.max from its own tier
version, so no organization reads a missing limit as 0."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from yoyo import get_backend, read_migrations

from app.db import admin
from app.db.paths import MIGRATIONS_DIR
from tests import databases

CATALOG_MIGRATION = "0021_catalog"


@pytest.fixture
def empty_database() -> Iterator[databases.ScratchDatabase]:
    db = databases.describe(databases.new_name("up"))
    admin.bootstrap(db.owner_url, lambda _msg: None)
    try:
        yield db
    finally:
        databases.drop(db)


def _apply(db: databases.ScratchDatabase, *, upto_catalog: bool) -> None:
    url = db.owner_url.replace("postgresql://", "postgresql+psycopg://", 1)
    backend = get_backend(url)
    try:
        migrations = read_migrations(str(MIGRATIONS_DIR))
        with backend.lock():
            pending = backend.to_apply(migrations)
            if not upto_catalog:
                pending = pending.filter(lambda m: m.id < CATALOG_MIGRATION)
            backend.apply_migrations(pending)
    finally:
        backend.connection.close()


def test_existing_snapshots_are_backfilled(empty_database: databases.ScratchDatabase) -> None:
    _apply(empty_database, upto_catalog=False)
    with psycopg.connect(empty_database.owner_url, autocommit=True) as conn:
        # Two clinics subscribed before the catalog existed: Free, and Pro with the add-on
        # (snapshots as provisioning writes them: the tier version's limits).
        subscriptions = []
        for slug, tiers in (("old-free", ("free",)), ("old-pro", ("pro", "extra_members"))):
            org = conn.execute(
                "INSERT INTO tenancy.organizations (slug, name) VALUES (%s, %s) RETURNING id",
                (slug, slug),
            ).fetchone()[0]
            for tier in tiers:
                sub = conn.execute(
                    "INSERT INTO billing.organization_subscriptions (organization_id,"
                    " tier_version_id, kind)"
                    " SELECT %s, v.id, t.kind FROM billing.tier_versions AS v"
                    " JOIN billing.tiers AS t ON t.id = v.tier_id WHERE t.code = %s RETURNING id",
                    (org, tier),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO billing.organization_subscription_limits"
                    " (subscription_id, organization_id, limit_code, value)"
                    " SELECT %s, %s, tl.limit_code, tl.value FROM billing.tier_limits AS tl"
                    " JOIN billing.organization_subscriptions AS s ON s.tier_version_id ="
                    " tl.tier_version_id WHERE s.id = %s",
                    (sub, org, sub),
                )
                subscriptions.append((slug, tier, sub))
        before = conn.execute(
            "SELECT count(*) FROM billing.organization_subscription_limits"
            " WHERE limit_code LIKE 'service%%'"
        ).fetchone()[0]
    assert before == 0
    _apply(empty_database, upto_catalog=True)
    with psycopg.connect(empty_database.owner_url) as conn:
        rows = {
            (tier, code): value
            for tier, code, value in conn.execute(
                "SELECT t.code, sl.limit_code, sl.value"
                " FROM billing.organization_subscription_limits AS sl"
                " JOIN billing.organization_subscriptions AS s ON s.id = sl.subscription_id"
                " JOIN billing.tier_versions AS v ON v.id = s.tier_version_id"
                " JOIN billing.tiers AS t ON t.id = v.tier_id"
                " WHERE sl.limit_code IN ('services.max', 'service_plans.max')"
            ).fetchall()
        }
        versions_without = conn.execute(
            "SELECT count(*) FROM billing.tier_versions AS v CROSS JOIN"
            " (VALUES ('services.max'), ('service_plans.max')) AS l (code)"
            " WHERE NOT EXISTS (SELECT 1 FROM billing.tier_limits AS tl"
            " WHERE tl.tier_version_id = v.id AND tl.limit_code = l.code)"
        ).fetchone()[0]
    assert rows == {
        ("free", "services.max"): 10,
        ("free", "service_plans.max"): 3,
        ("pro", "services.max"): 200,
        ("pro", "service_plans.max"): 50,
        ("extra_members", "services.max"): 0,
        ("extra_members", "service_plans.max"): 0,
    }
    assert versions_without == 0, "every tier version carries both limits"
