"""Operating metering: rolling the usage events' monthly partitions forward."""

from __future__ import annotations

from app.db.admin import OWNER, connect
from app.db.queries import catalogue

Q = catalogue("metering")


def roll_partitions(migrate_url: str, ahead: int) -> list[str]:
    """Create the missing usage event partitions up to `ahead` months; idempotent."""
    with connect(migrate_url, autocommit=False, role=OWNER) as conn:
        created = [r[0] for r in conn.execute(Q.ensure_partitions.sql, {"ahead": ahead})]
        conn.commit()
    return created
