"""Double booking through HTTP: concurrent clients of a real server (uvicorn on loopback, the
real database and Redis) post the same slot at once. One specialist: exactly one 201, every
other answer a 409 `slot_taken` in the error envelope, in every repetition; three
specialists on a round-robin calendar: exactly three, one per specialist. A small version of
bench/appointments_http.py's race (docs/appointments.md, Figures), so the suite checks the
HTTP path's behaviour, not its speed."""

from __future__ import annotations

from collections import Counter

from tests.api_client import Api
from tests.appointments.live import outcome, race_clinic, serve, together

CLIENTS = 20
REPETITIONS = 5


def _booked(api: Api, calendar: str, start: str) -> list[str]:
    return [
        r[0]
        for r in api.sql(
            "SELECT specialist_id::text FROM appointments.appointments "
            "WHERE calendar_id = %s AND lower(period) = %s::timestamptz",
            (calendar, start),
        )
    ]


def test_one_specialist_one_slot_one_201_and_the_rest_409(api: Api) -> None:
    race = race_clinic(api, 1)
    with serve(api) as base:
        for start in race.slots[:REPETITIONS]:
            answers = together(CLIENTS, lambda i, s=start: outcome(race.book(base, s)))
            assert Counter(answers) == {"201": 1, "409 slot_taken": CLIENTS - 1}, start
            assert _booked(api, race.calendar, start) == race.specialists


def test_three_specialists_round_robin_three_201_and_the_rest_409(api: Api) -> None:
    race = race_clinic(api, 3, slug="three")
    with serve(api) as base:
        for start in race.slots[:2]:
            answers = together(CLIENTS, lambda i, s=start: outcome(race.book(base, s)))
            assert Counter(answers) == {"201": 3, "409 slot_taken": CLIENTS - 3}, start
            assert sorted(_booked(api, race.calendar, start)) == sorted(race.specialists)
