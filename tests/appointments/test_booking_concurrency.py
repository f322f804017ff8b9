"""Double booking is impossible under concurrency: threads on real PostgreSQL, each its own
connection acting as the clinic through the request pool role, book the same slot at once.
One specialist: exactly one booking, every other one refused with slot_taken. Three
specialists on a round-robin calendar: exactly three, one per specialist. Sixteen asks for a
patient's booking requirements at once make one pending form."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest

from tests import databases

THREADS = 16


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Iterator[databases.ScratchDatabase]:
    scratch = databases.clone(request.config.stash[databases.TEMPLATE_KEY].name)
    try:
        yield scratch
    finally:
        databases.drop(scratch)


def _clinic(url: str, specialists: int) -> tuple[str, str, str, str, str]:
    """An organization with a round-robin calendar of `specialists` specialists working every
    day 09:00-12:00, a patient, and the first slot a week ahead."""
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT tests.create_org('race')").fetchone()[0]
        owner = conn.execute("SELECT tests.create_human('owner@race.test')").fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'owner')", (org, owner))
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
        service = conn.execute(
            "SELECT catalog.create_service("
            """'{"name": "Physio", "duration_minutes": 60, "currency": "RON"}')"""
        ).fetchone()[0]
        cal = conn.execute(
            "SELECT scheduling.create_calendar(jsonb_build_object("
            "'name', 'Race', 'slug', 'race', 'service_id', %s::uuid))",
            (service,),
        ).fetchone()[0]
        for n in range(specialists):
            spec = conn.execute(
                "SELECT people.create_specialist(%s, NULL, NULL, 'Europe/Bucharest', TRUE)",
                (f"Specialist {n}",),
            ).fetchone()[0]
            for day in range(1, 8):
                conn.execute(
                    "SELECT scheduling.add_weekly_hours(%s, %s, '09:00', '12:00')", (spec, day)
                )
            conn.execute("SELECT scheduling.set_calendar_specialist(%s, %s, 1)", (cal, spec))
        patient = conn.execute("SELECT people.create_patient('Ion', 'Pop')").fetchone()[0]
        conn.execute("SELECT tests.clear_authentication()")
        start = conn.execute(
            "SELECT min(slot_start) FROM scheduling.availability("
            "%s, current_date + 7, current_date + 7, NULL)",
            (cal,),
        ).fetchone()[0]
        conn.commit()
    assert start is not None
    return org, owner, cal, patient, start


def _race(url: str, org, owner, cal, patient, start) -> list[str]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book() -> None:
        with psycopg.connect(url) as conn:
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            barrier.wait()
            try:
                conn.execute("SELECT appointments.book(%s, %s, %s)", (cal, patient, start))
                conn.commit()
                outcome = "booked"
            except psycopg.errors.RaiseException as exc:
                conn.rollback()
                outcome = exc.diag.message_primary or "?"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=book) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_one_specialist_one_slot_books_exactly_once(db: databases.ScratchDatabase):
    org, owner, cal, patient, start = _clinic(db.owner_url, 1)
    outcomes = _race(db.owner_url, org, owner, cal, patient, start)
    assert Counter(outcomes) == {"booked": 1, "slot_taken": THREADS - 1}
    with psycopg.connect(db.owner_url) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM appointments.appointments WHERE calendar_id = %s", (cal,)
        ).fetchone()[0]
    assert rows == 1


def test_three_specialists_round_robin_book_exactly_three(db: databases.ScratchDatabase):
    org, owner, cal, patient, start = _clinic(db.owner_url, 3)
    outcomes = _race(db.owner_url, org, owner, cal, patient, start)
    assert Counter(outcomes) == {"booked": 3, "slot_taken": THREADS - 3}
    with psycopg.connect(db.owner_url) as conn:
        specialists = conn.execute(
            "SELECT count(DISTINCT specialist_id), count(*) FROM appointments.appointments "
            "WHERE calendar_id = %s AND lower(period) = %s",
            (cal, start),
        ).fetchone()
    assert specialists == (3, 3)


def test_two_reschedules_to_one_slot_move_exactly_one(db: databases.ScratchDatabase):
    org, owner, cal, patient, start = _clinic(db.owner_url, 1)
    with psycopg.connect(db.owner_url) as conn:
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
        ids = [
            conn.execute(
                "SELECT appointments.book(%s, %s, %s::timestamptz + make_interval(hours => %s))",
                (cal, patient, start, hours),
            ).fetchone()[0]
            for hours in (1, 2)
        ]
        conn.commit()
    barrier = threading.Barrier(len(ids))
    outcomes: dict = {}

    def move(appointment) -> None:
        with psycopg.connect(db.owner_url) as conn:
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            barrier.wait()
            try:
                conn.execute("SELECT appointments.reschedule(%s, %s)", (appointment, start))
                conn.commit()
                outcomes[appointment] = "moved"
            except psycopg.errors.RaiseException as exc:
                conn.rollback()
                outcomes[appointment] = exc.diag.message_primary

    threads = [threading.Thread(target=move, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Counter(outcomes.values()) == {"moved": 1, "slot_taken": 1}
    with psycopg.connect(db.owner_url) as conn:
        starts = dict(
            conn.execute(
                "SELECT id, lower(period) FROM appointments.appointments WHERE calendar_id = %s",
                (cal,),
            ).fetchall()
        )
    loser = next(i for i, o in outcomes.items() if o == "slot_taken")
    winner = next(i for i, o in outcomes.items() if o == "moved")
    assert starts[winner] == start
    assert starts[loser] != start, "the refused move kept its old time"


def test_concurrent_asks_make_one_pending_form(db: databases.ScratchDatabase):
    """Sixteen requirement asks (and refused bookings) at once for a patient who lacks a
    required form: one pending form, and every answer names it."""
    org, owner, cal, patient, start = _clinic(db.owner_url, 1)
    with psycopg.connect(db.owner_url) as conn:
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
        template = conn.execute(
            'SELECT forms.create_template(\'{"purpose": "intake", "name": "Intake",'
            ' "draft": {"sections": [{"key": "s", "items":'
            ' [{"key": "pain", "type": "integer", "required": true}]}]}}\')'
        ).fetchone()[0]
        conn.execute("SELECT forms.publish_template(%s)", (template,))
        conn.execute("SELECT scheduling.set_calendar_form(%s, %s, TRUE)", (cal, template))
        conn.commit()
    barrier = threading.Barrier(THREADS)
    answers: list[str] = []
    lock = threading.Lock()

    def ask() -> None:
        with psycopg.connect(db.owner_url) as conn:
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
            barrier.wait()
            found = conn.execute(
                "SELECT appointments.booking_requirements(%s, %s) #>> '{forms,0,form_id}'",
                (cal, patient),
            ).fetchone()[0]
            conn.commit()
        with lock:
            answers.append(found)

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with psycopg.connect(db.owner_url) as conn:
        made = conn.execute(
            "SELECT array_agg(id::text) FROM forms.forms WHERE patient_id = %s", (patient,)
        ).fetchone()[0]
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (owner, org))
        with pytest.raises(psycopg.errors.RaiseException) as refused:
            conn.execute("SELECT appointments.book(%s, %s, %s)", (cal, patient, start))
    assert len(made) == 1
    assert set(answers) == set(made)
    assert refused.value.diag.message_primary == "forms_required"
