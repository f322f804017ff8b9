"""Holds against bookings, under concurrency, through a real HTTP server on the real database
and Redis (no mocks).

A slot a patient holds (the public hold API, Redis) is taken for every booking that does not
carry its token: concurrent bookings without it are 409 `slot_taken`, then the holder books
with the token and gets it, and the hold is gone. A hold and a booking sent together for the
last free slot never both end in an appointment: either the hold is refused
(`no_specialist_free`), or the booking is refused (`slot_taken`) and the holder books, or
the booking wins while the hold was already placed and the holder's booking is `slot_taken`.
"""

from __future__ import annotations

from collections import Counter

import redis

from app.domains.scheduling import holds
from tests.api_client import TEST_REDIS_DB, Api
from tests.appointments.live import outcome, race_clinic, serve, together

BOOKERS = 12
ROUNDS = 20


def _held(api: Api, org_id: str) -> dict:
    prefix = api.client.app.state.resources.settings.redis_prefix
    r = redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    try:
        return r.hgetall(holds.holds_key(prefix, org_id))
    finally:
        r.close()


def _appointments_at(api: Api, calendar: str, start: str) -> list[tuple]:
    return api.sql(
        "SELECT specialist_id::text, status FROM appointments.appointments "
        "WHERE calendar_id = %s AND lower(period) = %s::timestamptz",
        (calendar, start),
    )


def test_a_held_slot_is_taken_for_everyone_but_its_holder(api: Api) -> None:
    race = race_clinic(api, 1)
    start = race.slots[0]
    with serve(api) as base:
        held = race.hold(base, start)
        assert held.status_code == 201, held.text
        token = held.json()["token"]
        assert token.encode() in _held(api, race.org.id)

        others = together(BOOKERS, lambda i: outcome(race.book(base, start)))
        assert Counter(others) == {"409 slot_taken": BOOKERS}
        wrong = race.book(base, start, hold_token="not-the-holders-token")
        assert outcome(wrong) == "409 slot_taken"
        assert _appointments_at(api, race.calendar, start) == []

        mine = race.book(base, start, hold_token=token)
        assert mine.status_code == 201, mine.text
        assert mine.json()["specialist_id"] == race.specialists[0]
        assert _held(api, race.org.id) == {}, "booking with the token releases the hold"
        again = race.book(base, start, hold_token=token)
        assert outcome(again) == "409 slot_taken", "a used token holds nothing any more"
    assert _appointments_at(api, race.calendar, start) == [(race.specialists[0], "confirmed")]


def test_a_hold_on_one_of_two_specialists_leaves_the_other_to_book(api: Api) -> None:
    race = race_clinic(api, 2, slug="pair")
    start = race.slots[0]
    with serve(api) as base:
        held = race.hold(base, start)
        assert held.status_code == 201, held.text
        others = together(BOOKERS, lambda i: outcome(race.book(base, start)))
        assert Counter(others) == {"201": 1, "409 slot_taken": BOOKERS - 1}
        mine = race.book(base, start, hold_token=held.json()["token"])
        assert mine.status_code == 201, mine.text
        assert outcome(race.book(base, start)) == "409 slot_taken"
    booked = _appointments_at(api, race.calendar, start)
    assert sorted(sp for sp, _ in booked) == sorted(race.specialists)


def test_a_hold_and_a_booking_racing_for_the_last_free_slot_never_both_book(api: Api) -> None:
    """Each round, on its own slot: two holds and two bookings at once, then every holder
    whose hold was placed books with its token. Exactly one appointment per slot, always."""
    race = race_clinic(api, 1)
    seen: Counter = Counter()
    with serve(api, holds_per_client=100) as base:
        for start in race.slots[:ROUNDS]:

            def go(i: int, start: str = start):
                return race.hold(base, start) if i % 2 == 0 else race.book(base, start)

            answers = together(4, go)
            placed = [a for i, a in enumerate(answers) if i % 2 == 0 and a.status_code == 201]
            hold_outcomes = [outcome(a) for i, a in enumerate(answers) if i % 2 == 0]
            book_outcomes = [outcome(a) for i, a in enumerate(answers) if i % 2 == 1]
            assert set(hold_outcomes) <= {"201", "409 no_specialist_free"}, hold_outcomes
            assert set(book_outcomes) <= {"201", "409 slot_taken"}, book_outcomes
            assert len(placed) <= 1, "two holds of the one specialist's slot"
            assert book_outcomes.count("201") <= 1, book_outcomes
            later = [outcome(race.book(base, start, hold_token=a.json()["token"])) for a in placed]
            assert set(later) <= {"201", "409 slot_taken"}, later
            booked = book_outcomes.count("201") + later.count("201")
            assert booked == 1, (hold_outcomes, book_outcomes, later)
            assert len(_appointments_at(api, race.calendar, start)) == 1
            if not placed:
                seen["hold refused, booking won"] += 1
            elif later == ["201"]:
                seen["hold won, bookings refused, holder booked"] += 1
            else:
                seen["hold placed, booking won, holder's booking slot_taken"] += 1
    assert sum(seen.values()) == ROUNDS, seen
