"""An independent reference for the availability contract (docs/scheduling.md, rules 1-7).

It follows the rules literally and shares no code or idea with the SQL beyond the text of
the contract: time is a set of whole UTC minutes, and a local interval [s, e) on date d in a
zone is found by walking every UTC minute around d and keeping those whose wall-clock time
(zoneinfo) falls on d within [s, e). Slow and obvious on purpose; schedules are whole
minutes, as every zone's offsets in the years tested are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def minute_of(at: datetime) -> int:
    return int((at - EPOCH).total_seconds()) // 60


def instant(minute: int) -> datetime:
    return EPOCH + timedelta(minutes=minute)


def hm(text: str) -> int:
    """'HH:MM' as minutes after midnight; '24:00' is 1440."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


@cache
def _local_day(zone: str, d: date) -> tuple[tuple[int, int], ...]:
    """Every UTC minute whose wall-clock date in zone is d, with its wall-clock minute of day."""
    tz = ZoneInfo(zone)
    start = minute_of(datetime(d.year, d.month, d.day, tzinfo=UTC)) - 15 * 60
    out = []
    for u in range(start, start + 52 * 60):
        local = instant(u).astimezone(tz)
        if local.date() == d:
            out.append((u, local.hour * 60 + local.minute))
    return tuple(out)


def local_set(zone: str, d: date, s: int, e: int) -> set[int]:
    """The instants whose wall-clock time in zone on date d lies in [s, e)."""
    return {u for u, lm in _local_day(zone, d) if s <= lm < e}


@dataclass
class Specialist:
    id: str
    zone: str
    weekly: list[tuple[int, str, str, date | None, date | None]] = field(default_factory=list)
    # date -> None (unavailable) or [(start, end)]
    overrides: dict[date, list[tuple[str, str]] | None] = field(default_factory=dict)
    calendar_hours: list[tuple[int, str, str]] | None = None
    active: bool = True
    deleted: bool = False
    on_calendar: bool = True
    priority: int = 1


@dataclass
class Calendar:
    zone: str
    duration: int
    slot: int
    buffer_before: int = 0
    buffer_after: int = 0
    min_notice: int | None = None
    max_advance_days: int | None = None
    hours: list[tuple[int, str, str]] | None = None


@dataclass
class Busy:
    specialist_id: str
    start: datetime
    end: datetime
    status: str = "confirmed"
    deleted: bool = False


def _weekday_set(zone: str, d: date, hours) -> set[int]:
    out: set[int] = set()
    for weekday, s, e in hours:
        if weekday == d.isoweekday():
            out |= local_set(zone, d, hm(s), hm(e))
    return out


def working(sp: Specialist, d: date, org_zone: str, closures: set[date]) -> set[int]:
    """Rule 1."""
    if d in sp.overrides:
        intervals = sp.overrides[d] or []
        out = set().union(*(local_set(sp.zone, d, hm(s), hm(e)) for s, e in intervals))
    elif sp.calendar_hours is not None:
        out = _weekday_set(sp.zone, d, sp.calendar_hours)
    else:
        out = set()
        for weekday, s, e, valid_from, valid_until in sp.weekly:
            if weekday != d.isoweekday():
                continue
            if valid_from is not None and d < valid_from:
                continue
            if valid_until is not None and d > valid_until:
                continue
            out |= local_set(sp.zone, d, hm(s), hm(e))
    for c in closures:
        if abs((c - d).days) <= 3:
            out -= local_set(org_zone, c, 0, 1440)
    return out


def runs(minutes: set[int]) -> list[tuple[int, int]]:
    """Maximal contiguous ranges [a, b) of a set of minutes."""
    out: list[tuple[int, int]] = []
    for u in sorted(minutes):
        if out and out[-1][1] == u:
            out[-1] = (out[-1][0], u + 1)
        else:
            out.append((u, u + 1))
    return out


def availability(
    cal: Calendar,
    specialists: list[Specialist],
    busy: list[Busy],
    holds: list[Busy],
    closures: set[date],
    org_zone: str,
    now: datetime,
    first: date,
    last: date,
    query_zone: str,
) -> dict[datetime, list[str]]:
    """{slot start: sorted ids of the specialists free at it} (rules 2-6)."""
    qz = ZoneInfo(query_zone)
    dates = [first + timedelta(days=i) for i in range(-2, (last - first).days + 3)]
    cal_dates = [first + timedelta(days=i) for i in range(-4, (last - first).days + 5)]
    cal_set = None
    if cal.hours is not None:
        cal_set = set().union(*(_weekday_set(cal.zone, c, cal.hours) for c in cal_dates))
    now_m = minute_of(now)
    free: dict[int, list[str]] = {}
    for sp in specialists:
        if not sp.active or sp.deleted or not sp.on_calendar:
            continue
        mine = [
            b
            for b in busy
            if b.specialist_id == sp.id
            and not b.deleted
            and b.status in ("requested", "confirmed", "inprogress")
        ] + [h for h in holds if h.specialist_id == sp.id]
        for d in dates:
            eff = working(sp, d, org_zone, closures)
            if cal_set is not None:
                eff &= cal_set
            for a, b in runs(eff):
                t = a
                while t + cal.duration <= b:
                    ok_window = (
                        (cal.min_notice is None or t >= now_m + cal.min_notice)
                        and (
                            cal.max_advance_days is None
                            or t <= now_m + cal.max_advance_days * 24 * 60
                        )
                        and first <= instant(t).astimezone(qz).date() <= last
                    )
                    lo, hi = t - cal.buffer_before, t + cal.duration + cal.buffer_after
                    clash = any(minute_of(x.start) < hi and lo < minute_of(x.end) for x in mine)
                    if ok_window and not clash:
                        free.setdefault(t, []).append(sp.id)
                    t += cal.slot
    return {instant(t): sorted(ids) for t, ids in sorted(free.items())}
