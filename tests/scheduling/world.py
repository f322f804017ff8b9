"""Loads a reference scenario (tests/scheduling/reference.py) into a database and asks the
SQL engine for the same answer. Rows are written directly as the superuser so the scenario
is exactly what the reference sees; the transaction is rolled back afterwards."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import psycopg

from tests.scheduling import reference as ref


def _hours(hours):
    if hours is None:
        return None
    return json.dumps([{"weekday": w, "start": s, "end": e} for w, s, e in hours])


def sql_availability(
    conn: psycopg.Connection,
    cal: ref.Calendar,
    specialists: list[ref.Specialist],
    busy: list[ref.Busy],
    holds: list[ref.Busy],
    closures: set[date],
    org_zone: str,
    now: datetime,
    first: date,
    last: date,
    query_zone: str | None,
    strategy: str = "round_robin",
) -> dict[datetime, list[str]]:
    """The SQL answer for the scenario, as {slot start: sorted specialist ids}."""
    with conn.transaction(force_rollback=True):
        return _run(
            conn,
            cal,
            specialists,
            busy,
            holds,
            closures,
            org_zone,
            now,
            first,
            last,
            query_zone,
            strategy,
        )


def load(conn, cal, specialists, busy, closures, org_zone, strategy="round_robin") -> uuid.UUID:
    """Writes the scenario; returns the calendar's id."""
    slug = f"org-{uuid.uuid4().hex[:12]}"
    org = conn.execute("select tests.create_org(%s)", (slug,)).fetchone()[0]
    conn.execute(
        "update tenancy.organization_settings set timezone = %s where organization_id = %s",
        (org_zone, org),
    )
    service = conn.execute(
        "insert into catalog.services (organization_id, name, duration_minutes, currency)"
        " values (%s, 'Visit', %s, 'RON') returning id",
        (org, cal.duration),
    ).fetchone()[0]
    calendar = conn.execute(
        "insert into scheduling.calendars (organization_id, name, slug, service_id,"
        " assignment_strategy, slot_interval_minutes, min_notice_minutes, max_advance_days,"
        " buffer_before_minutes, buffer_after_minutes, hours, timezone, public)"
        " values (%s, 'Cal', 'cal', %s, %s, %s, %s, %s, %s, %s, %s, %s, true) returning id",
        (
            org,
            service,
            strategy,
            cal.slot,
            cal.min_notice,
            cal.max_advance_days,
            cal.buffer_before,
            cal.buffer_after,
            _hours(cal.hours),
            cal.zone,
        ),
    ).fetchone()[0]
    for sp in specialists:
        conn.execute(
            "insert into people.specialists (id, organization_id, display_name,"
            " scheduling_timezone, scheduling_active, deleted_at)"
            " values (%s, %s, %s, %s, %s, case when %s then now() end)",
            (sp.id, org, f"Dr {sp.id[:4]}", sp.zone, sp.active, sp.deleted),
        )
        if sp.on_calendar:
            conn.execute(
                "insert into scheduling.calendar_specialists"
                " (calendar_id, organization_id, specialist_id, priority, hours)"
                " values (%s, %s, %s, %s, %s)",
                (calendar, org, sp.id, sp.priority, _hours(sp.calendar_hours)),
            )
            conn.execute(
                "insert into scheduling.specialist_assignment_tracking"
                " (calendar_id, organization_id, specialist_id) values (%s, %s, %s)",
                (calendar, org, sp.id),
            )
        for weekday, s, e, valid_from, valid_until in sp.weekly:
            conn.execute(
                "insert into scheduling.specialist_weekly_hours (organization_id, specialist_id,"
                " weekday, start_time, end_time, valid_from, valid_until)"
                " values (%s, %s, %s, %s, %s, %s, %s)",
                (org, sp.id, weekday, s, e, valid_from, valid_until),
            )
        for d, intervals in sp.overrides.items():
            conn.execute(
                "insert into scheduling.specialist_schedule_overrides (organization_id,"
                " specialist_id, override_date, unavailable, intervals)"
                " values (%s, %s, %s, %s, %s)",
                (
                    org,
                    sp.id,
                    d,
                    intervals is None,
                    json.dumps([{"start": s, "end": e} for s, e in intervals or []]),
                ),
            )
    for c in closures:
        conn.execute(
            "insert into scheduling.organization_closures (organization_id, closure_date)"
            " values (%s, %s)",
            (org, c),
        )
    if busy:
        profile = conn.execute(
            "insert into people.patient_profiles (first_name, last_name)"
            " values ('Ion', 'Pop') returning id"
        ).fetchone()[0]
        patient = conn.execute(
            "insert into people.patients (organization_id, patient_profile_id)"
            " values (%s, %s) returning id",
            (org, profile),
        ).fetchone()[0]
        for b in busy:
            conn.execute(
                "insert into appointments.appointments (organization_id, calendar_id, service_id,"
                " specialist_id, patient_id, period, status, deleted_at)"
                " values (%s, %s, %s, %s, %s, tstzrange(%s, %s), %s,"
                " case when %s then now() end)",
                (
                    org,
                    calendar,
                    service,
                    b.specialist_id,
                    patient,
                    b.start,
                    b.end,
                    b.status,
                    b.deleted,
                ),
            )
    return calendar


def holds_json(holds: list[ref.Busy]) -> str:
    return json.dumps(
        [
            {
                "specialist_id": h.specialist_id,
                "start": h.start.isoformat(),
                "end": h.end.isoformat(),
            }
            for h in holds
        ]
    )


def _run(conn, cal, specialists, busy, holds, closures, org_zone, now, first, last, qz, strategy):
    calendar = load(conn, cal, specialists, busy, closures, org_zone, strategy)
    conn.execute("select tests.freeze_time(%s)", (now,))
    rows = conn.execute(
        "select slot_start, specialist_ids from scheduling.availability(%s, %s, %s, %s, %s)",
        (calendar, first, last, qz, holds_json(holds)),
    ).fetchall()
    return {start: [str(i) for i in ids] for start, ids in rows}
