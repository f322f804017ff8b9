"""The SQL availability engine against the independent reference (tests/scheduling/
reference.py): each numbered rule of the contract on its own, DST days in three zones both
ways with hours straddling the change, zones that differ between specialist, calendar and
query, and seeded random schedules. Hand-written cases also assert the expected slots
themselves, so a bug shared by both implementations still fails."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from tests import databases
from tests.scheduling import reference as ref
from tests.scheduling.world import sql_availability

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def conn(request: pytest.FixtureRequest) -> Iterator[psycopg.Connection]:
    db = databases.clone(request.config.stash[databases.TEMPLATE_KEY].name)
    try:
        with psycopg.connect(db.owner_url) as connection:
            yield connection
    finally:
        databases.drop(db)


def sid(n: int) -> str:
    return str(uuid.UUID(int=n))


def both(
    conn,
    cal,
    sps,
    *,
    busy=(),
    holds=(),
    closures=(),
    org_zone="Europe/Bucharest",
    now=NOW,
    first,
    last=None,
    qz=None,
):
    last = last or first
    args = (cal, list(sps), list(busy), list(holds), set(closures), org_zone, now, first, last)
    got = sql_availability(conn, *args, qz)
    want = ref.availability(*args, qz or cal.zone)
    assert got == want
    return got


def local(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))


def starts(slots, zone: str) -> list[str]:
    return [t.astimezone(ZoneInfo(zone)).strftime("%H:%M%z") for t in slots]


BUC = "Europe/Bucharest"


def test_rule1_override_then_calendar_hours_then_weekly_hours(conn):
    monday = date(2026, 6, 1)
    cal = ref.Calendar(zone=BUC, duration=60, slot=60)
    weekly = ref.Specialist(sid(1), BUC, weekly=[(1, "09:00", "11:00", None, None)])
    cal_hours = ref.Specialist(
        sid(2),
        BUC,
        weekly=[(1, "09:00", "11:00", None, None)],
        calendar_hours=[(1, "14:00", "15:00")],
    )
    overridden = ref.Specialist(
        sid(3),
        BUC,
        weekly=[(1, "09:00", "11:00", None, None)],
        calendar_hours=[(1, "14:00", "15:00")],
        overrides={monday: [("17:00", "18:00")]},
    )
    off = ref.Specialist(
        sid(4), BUC, weekly=[(1, "09:00", "11:00", None, None)], overrides={monday: None}
    )
    got = both(conn, cal, [weekly, cal_hours, overridden, off], first=monday)
    assert {k.astimezone(ZoneInfo(BUC)).hour: v for k, v in got.items()} == {
        9: [sid(1)],
        10: [sid(1)],
        14: [sid(2)],
        17: [sid(3)],
    }


def test_rule1_weekly_hours_validity_is_inclusive(conn):
    cal = ref.Calendar(zone=BUC, duration=60, slot=60)
    sp = ref.Specialist(
        sid(1),
        BUC,
        weekly=[
            (1, "09:00", "10:00", date(2026, 6, 8), date(2026, 6, 15)),
        ],
    )
    got = both(conn, cal, [sp], first=date(2026, 6, 1), last=date(2026, 6, 22))
    assert [t.date() for t in got] == [date(2026, 6, 8), date(2026, 6, 15)]


def test_rule1_closures_remove_the_org_date_in_the_org_zone(conn):
    cal = ref.Calendar(zone="UTC", duration=60, slot=60)
    sp = ref.Specialist(sid(1), "UTC", weekly=[(w, "20:00", "24:00", None, None) for w in (1, 2)])
    # Closed on Tuesday in Bucharest (+03:00): Monday 21:00 to Tuesday 21:00 UTC.
    got = both(
        conn,
        cal,
        [sp],
        closures={date(2026, 6, 2)},
        org_zone=BUC,
        first=date(2026, 6, 1),
        last=date(2026, 6, 2),
    )
    assert [t.isoformat() for t in got] == [
        "2026-06-01T20:00:00+00:00",
        "2026-06-02T21:00:00+00:00",
        "2026-06-02T22:00:00+00:00",
        "2026-06-02T23:00:00+00:00",
    ]


def test_rule2_calendar_hours_intersect_and_adjacent_intervals_merge(conn):
    cal = ref.Calendar(zone=BUC, duration=90, slot=90, hours=[(1, "10:00", "13:00")])
    sp = ref.Specialist(
        sid(1),
        BUC,
        weekly=[
            (1, "08:00", "10:30", None, None),
            (1, "10:30", "12:00", None, None),
        ],
    )
    got = both(conn, cal, [sp], first=date(2026, 6, 1))
    # 10:00-12:00 is one effective interval: 10:00 fits, 11:30 does not.
    assert starts(got, BUC) == ["10:00+0300"]


def test_rule2_intervals_of_different_dates_never_merge(conn):
    cal = ref.Calendar(zone=BUC, duration=60, slot=60)
    sp = ref.Specialist(
        sid(1),
        BUC,
        weekly=[
            (1, "23:30", "24:00", None, None),
            (2, "00:00", "00:30", None, None),
        ],
    )
    assert both(conn, cal, [sp], first=date(2026, 6, 1), last=date(2026, 6, 2)) == {}


def test_rule3_candidate_starts_step_by_the_slot_interval(conn):
    cal = ref.Calendar(zone=BUC, duration=45, slot=20)
    sp = ref.Specialist(sid(1), BUC, weekly=[(1, "09:10", "10:40", None, None)])
    got = both(conn, cal, [sp], first=date(2026, 6, 1))
    assert starts(got, BUC) == ["09:10+0300", "09:30+0300", "09:50+0300"]


def test_rule4_buffers_around_the_candidate_not_around_appointments(conn):
    cal = ref.Calendar(zone=BUC, duration=30, slot=30, buffer_before=15, buffer_after=15)
    sp = ref.Specialist(sid(1), BUC, weekly=[(1, "09:00", "12:00", None, None)])
    busy = [
        ref.Busy(sid(1), local(BUC, 2026, 6, 1, 10, 0), local(BUC, 2026, 6, 1, 10, 30)),
        ref.Busy(sid(1), local(BUC, 2026, 6, 1, 9, 0), local(BUC, 2026, 6, 1, 9, 30), "cancelled"),
    ]
    holds = [ref.Busy(sid(1), local(BUC, 2026, 6, 1, 11, 30), local(BUC, 2026, 6, 1, 12, 0))]
    got = both(conn, cal, [sp], busy=busy, holds=holds, first=date(2026, 6, 1))
    # 09:30-11:00 touch the appointment within the buffers, 11:00-11:30 the hold; the
    # cancelled appointment at 09:00 blocks nothing.
    assert starts(got, BUC) == ["09:00+0300"]


def test_rule5_notice_advance_and_query_dates(conn):
    cal = ref.Calendar(zone=BUC, duration=60, slot=60, min_notice=120, max_advance_days=1)
    sp = ref.Specialist(
        sid(1), BUC, weekly=[(w, "08:00", "20:00", None, None) for w in range(1, 8)]
    )
    now = local(BUC, 2026, 6, 1, 9, 30)
    got = both(conn, cal, [sp], now=now, first=date(2026, 6, 1), last=date(2026, 6, 3))
    first, last = min(got), max(got)
    assert first == local(BUC, 2026, 6, 1, 12, 0)
    assert last == local(BUC, 2026, 6, 2, 9, 0)


def test_rule5_inactive_deleted_and_absent_specialists_are_never_offered(conn):
    cal = ref.Calendar(zone=BUC, duration=60, slot=60)
    hours = [(1, "09:00", "10:00", None, None)]
    sps = [
        ref.Specialist(sid(1), BUC, weekly=hours),
        ref.Specialist(sid(2), BUC, weekly=hours, active=False),
        ref.Specialist(sid(3), BUC, weekly=hours, deleted=True),
        ref.Specialist(sid(4), BUC, weekly=hours, on_calendar=False),
    ]
    assert list(both(conn, cal, sps, first=date(2026, 6, 1)).values()) == [[sid(1)]]


def test_rule6_lists_every_free_specialist_on_a_round_robin_calendar_with_overrides(conn):
    monday = date(2026, 6, 1)
    cal = ref.Calendar(zone=BUC, duration=60, slot=60)
    hours = [(1, "09:00", "11:00", None, None)]
    sps = [
        ref.Specialist(sid(1), BUC, weekly=hours),
        ref.Specialist(sid(2), BUC, weekly=hours, overrides={monday: [("10:00", "12:00")]}),
        ref.Specialist(sid(3), BUC, weekly=hours, overrides={monday: None}),
    ]
    got = both(conn, cal, sps, first=monday)
    assert list(got.values()) == [[sid(1)], [sid(1), sid(2)], [sid(2)]]


DST = [
    # zone, spring-forward date, fall-back date
    ("Europe/Bucharest", date(2026, 3, 29), date(2026, 10, 25)),
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
]


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST)
def test_dst_days_with_hours_straddling_the_change(conn, zone, spring, autumn):
    cal = ref.Calendar(zone=zone, duration=30, slot=30)
    hours = [
        (spring.isoweekday(), "00:30", "05:00", None, None),
        (autumn.isoweekday(), "00:30", "05:00", None, None),
    ]
    sp = ref.Specialist(sid(1), zone, weekly=hours)
    spring_slots = both(conn, cal, [sp], first=spring)
    autumn_slots = both(conn, cal, [sp], first=autumn)
    # 00:30-05:00 is 3.5 real hours on the spring day and 5.5 on the autumn day.
    assert len(spring_slots) == 7
    assert len(autumn_slots) == 11


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST)
def test_dst_bounds_inside_the_skipped_or_repeated_hour(conn, zone, spring, autumn):
    cal = ref.Calendar(zone=zone, duration=15, slot=15)
    gap = {"Europe/Bucharest": "03:30", "Europe/London": "01:30", "America/New_York": "02:30"}[zone]
    repeated = {"Europe/Bucharest": "03:30", "Europe/London": "01:30", "America/New_York": "01:30"}
    sp = ref.Specialist(
        sid(1),
        zone,
        weekly=[(spring.isoweekday(), gap, "06:00", None, None)],
        overrides={autumn: [(repeated[zone], "06:00")]},
    )
    spring_slots = both(conn, cal, [sp], first=spring)
    # The bound in the skipped hour moves to the transition instant.
    after = {"Europe/Bucharest": "04:00", "Europe/London": "02:00", "America/New_York": "03:00"}
    assert min(spring_slots).astimezone(ZoneInfo(zone)).strftime("%H:%M") == after[zone]
    # In the repeated hour the interval holds both occurrences from the bound on.
    autumn_slots = both(conn, cal, [sp], first=autumn)
    assert (
        sum(
            1
            for t in autumn_slots
            if t.astimezone(ZoneInfo(zone)).strftime("%H:%M") == repeated[zone]
        )
        == 2
    )


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        # Midnight skipped (the date starts at 01:00) and the previous date's last hour repeated.
        ("America/Sao_Paulo", date(2018, 11, 4), date(2018, 11, 4)),
        ("America/Sao_Paulo", date(2019, 2, 16), date(2019, 2, 16)),
        ("America/Sao_Paulo", date(2019, 2, 15), date(2019, 2, 17)),
        # A whole date skipped, first, last and inside the asked dates.
        ("Pacific/Apia", date(2011, 12, 30), date(2011, 12, 31)),
        ("Pacific/Apia", date(2011, 12, 30), date(2012, 1, 2)),
        ("Pacific/Apia", date(2011, 12, 28), date(2011, 12, 30)),
        ("Pacific/Apia", date(2011, 12, 29), date(2011, 12, 30)),
        ("Pacific/Apia", date(2011, 12, 29), date(2011, 12, 31)),
        ("Pacific/Apia", date(2011, 12, 30), date(2011, 12, 30)),
    ],
)
def test_query_dates_whose_midnight_is_skipped_or_repeated(conn, zone, first, last):
    # The asked dates are cut into instants once, in the query zone: hourly slots round the
    # clock in UTC show which instants each asked date holds.
    cal = ref.Calendar(zone="UTC", duration=60, slot=60)
    sp = ref.Specialist(
        sid(1), "UTC", weekly=[(w, "00:00", "23:00", None, None) for w in range(1, 8)]
    )
    both(conn, cal, [sp], first=first, last=last, qz=zone, now=datetime(2010, 1, 1, tzinfo=UTC))


def test_specialist_in_one_zone_on_a_calendar_in_another_queried_in_a_third(conn):
    cal = ref.Calendar(
        zone="Europe/London",
        duration=60,
        slot=60,
        hours=[(w, "08:00", "12:00") for w in range(1, 8)],
    )
    sp = ref.Specialist(
        sid(1), BUC, weekly=[(w, "09:00", "17:00", None, None) for w in range(1, 8)]
    )
    got = both(
        conn, cal, [sp], first=date(2026, 3, 28), last=date(2026, 3, 30), qz="America/New_York"
    )
    assert got
    both(conn, cal, [sp], first=date(2026, 10, 24), last=date(2026, 10, 26), qz="Asia/Kolkata")


ZONES = ["Europe/Bucharest", "Europe/London", "America/New_York", "UTC", "Asia/Kolkata"]
ANCHORS = [
    date(2026, 3, 27),
    date(2026, 3, 6),
    date(2026, 10, 23),
    date(2026, 10, 30),
    date(2026, 6, 10),
]


def _interval(rng: random.Random) -> tuple[str, str]:
    s = rng.randrange(0, 23 * 4) * 15
    e = min(1440, s + rng.choice([30, 45, 60, 90, 120, 180, 240, 300]))
    return f"{s // 60:02d}:{s % 60:02d}", f"{e // 60:02d}:{e % 60:02d}"


def _day_intervals(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n non-overlapping intervals of one day."""
    out: list[tuple[str, str]] = []
    for _ in range(n * 3):
        s, e = _interval(rng)
        if all(ref.hm(e) <= ref.hm(a) or ref.hm(b) <= ref.hm(s) for a, b in out):
            out.append((s, e))
        if len(out) == n:
            break
    return out


def _scenario(seed: int):
    rng = random.Random(seed)  # noqa: S311 (reproducible schedules, not secrets)
    anchor = rng.choice(ANCHORS)
    first = anchor + timedelta(days=rng.randrange(0, 3))
    last = first + timedelta(days=rng.randrange(0, 4))
    cal = ref.Calendar(
        zone=rng.choice(ZONES),
        duration=rng.choice([15, 30, 45, 60]),
        slot=rng.choice([15, 20, 30, 60]),
        buffer_before=rng.choice([0, 0, 10, 15]),
        buffer_after=rng.choice([0, 0, 5, 30]),
        min_notice=rng.choice([None, 0, 600]),
        max_advance_days=rng.choice([None, None, 90]),
        hours=rng.choice(
            [None, None, [(w, *iv) for w in range(1, 8) for iv in _day_intervals(rng, 1)]]
        ),
    )
    sps, busy, holds = [], [], []
    for n in range(rng.randrange(1, 4)):
        sp = ref.Specialist(
            sid(rng.randrange(1, 10**9)),
            rng.choice(ZONES),
            priority=n + 1,
            active=rng.random() > 0.1,
            on_calendar=rng.random() > 0.1,
        )
        for w in range(1, 8):
            for s, e in _day_intervals(rng, rng.randrange(0, 3)):
                sp.weekly.append((w, s, e, None, None))
        if rng.random() < 0.3:
            sp.calendar_hours = [(w, *iv) for w in range(1, 8) for iv in _day_intervals(rng, 1)]
        for _ in range(rng.randrange(0, 3)):
            d = first + timedelta(days=rng.randrange(-1, 5))
            sp.overrides[d] = (
                None if rng.random() < 0.3 else _day_intervals(rng, rng.randrange(1, 3))
            )
        t = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(hours=20)
        for _ in range(rng.randrange(0, 6)):
            t += timedelta(minutes=rng.randrange(15, 600, 15))
            end = t + timedelta(minutes=rng.choice([30, 45, 60]))
            busy.append(
                ref.Busy(sp.id, t, end, rng.choice(["confirmed", "requested", "cancelled"]))
            )
            t = end
        if rng.random() < 0.5:
            hs = t + timedelta(minutes=rng.randrange(0, 900, 15))
            holds.append(ref.Busy(sp.id, hs, hs + timedelta(minutes=cal.duration)))
        sps.append(sp)
    closures = {first + timedelta(days=rng.randrange(0, 4))} if rng.random() < 0.3 else set()
    return dict(
        cal=cal,
        sps=sps,
        busy=busy,
        holds=holds,
        closures=closures,
        org_zone=rng.choice(ZONES),
        first=first,
        last=last,
        qz=rng.choice([*ZONES, None]),
    )


@pytest.mark.parametrize("seed", range(30))
def test_random_schedules_match_the_reference(conn, seed):
    sc = _scenario(seed)
    both(
        conn,
        sc["cal"],
        sc["sps"],
        busy=sc["busy"],
        holds=sc["holds"],
        closures=sc["closures"],
        org_zone=sc["org_zone"],
        first=sc["first"],
        last=sc["last"],
        qz=sc["qz"],
    )


def test_availability_is_never_jit_compiled_and_planned_once_per_connection(conn):
    # Once the tables are analyzed the slot query's estimate crosses jit_above_cost and
    # compiling costs 1-2 s a call; a custom plan costs more to plan than to run.
    config = conn.execute(
        "select proconfig from pg_proc where oid ="
        " 'scheduling.availability(uuid, date, date, text, jsonb)'::regprocedure"
    ).fetchone()[0]
    assert "jit=off" in config
    assert "plan_cache_mode=force_generic_plan" in config
