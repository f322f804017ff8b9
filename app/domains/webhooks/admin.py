"""Operators' webhook commands: `restartix webhooks replay --org … --since …` sends again every
failed (dead) message of an organization created since a time, to all its subscriptions, with
their original webhook-ids. It runs on the system pool (no member is acting)."""

from __future__ import annotations

from datetime import datetime

import psycopg

from app.config import Settings
from app.db.admin import connect
from app.db.queries import catalogue
from app.errors import CommandError

Q = catalogue("webhooks")


def replay(settings: Settings, org: str, since: datetime) -> tuple[str, int]:
    """(the organization's slug, how many messages are owed again)."""
    with connect(settings.system_database_url) as conn:
        try:
            slug, count = conn.execute(
                Q.replay_failed_for_org.sql, {"org": org, "since": since}
            ).fetchone()
        except psycopg.errors.RaiseException as exc:
            detail = exc.diag.message_detail or exc.diag.message_primary
            raise CommandError(detail or "replay refused") from None
    return slug, count
