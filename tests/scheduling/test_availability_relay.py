"""The live streams hear bookings, cancellations and hour changes, not only holds: a real
worker runs the availability_relay consumer against the API's database and Redis, and the
messages arrive on the touched calendars' channels (and on no other organization's)."""

from __future__ import annotations

import threading
import time

import psycopg
import redis as sync_redis

from app.domains.scheduling import holds
from tests.api_client import TEST_REDIS_DB, Api
from tests.api_world import clinic
from tests.appointments.test_api_appointments import _book, _world
from workers.consumers.availability_relay import Relay, consumer
from workers.runtime import Options, Runtime


def _heard(listener, want: str, timeout: float = 15.0) -> list[str]:
    """Messages of the channel until `want` arrives (or the timeout)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = listener.get_message(ignore_subscribe_messages=True, timeout=0.5)
        if message is not None:
            seen.append(message["data"].decode())
            if seen[-1] == want:
                break
    return seen


def test_bookings_cancellations_and_hours_reach_the_calendar_channel(api: Api) -> None:
    a, cal, ana, patient = _world(api)
    b = clinic(api, "clinic-b")
    prefix = api.client.app.state.resources.settings.redis_prefix
    client = sync_redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    listener = client.pubsub()
    listener.subscribe(holds.channel(prefix, cal))
    assert listener.get_message(timeout=1)["type"] == "subscribe"
    other = client.pubsub()
    other.psubscribe(holds.channel(prefix, "*"))
    assert other.get_message(timeout=1)["type"] == "psubscribe"

    runtime = Runtime(
        api.db.system_url,
        [consumer(Relay(client, prefix))],
        [],
        Options(periodic=False, poll_interval=0.2),
    )
    worker = threading.Thread(target=runtime.run, kwargs={"install_signals": False}, daemon=True)
    worker.start()
    try:
        booked = _book(api, a, cal, patient)
        assert booked.status_code == 201, booked.text
        assert _heard(listener, "appointment.booked")[-1:] == ["appointment.booked"]
        cancelled = api.post(
            a.url(f"/appointments/{booked.json()['id']}/cancel"),
            as_=a.receptionist,
            json={"reason": "The patient called"},
        )
        assert cancelled.status_code == 200, cancelled.text
        assert _heard(listener, "appointment.cancelled")[-1:] == ["appointment.cancelled"]
        hours = api.post(
            a.url(f"/specialists/{ana}/weekly-hours"),
            as_=a.owner,
            json={"weekday": 2, "start_time": "09:00", "end_time": "12:00"},
        )
        assert hours.status_code == 201, hours.text
        assert _heard(listener, "availability.changed")[-1:] == ["availability.changed"]
        # Another organization's change touches none of A's calendars.
        closed = api.post(b.url("/closures"), as_=b.owner, json={"closure_date": "2027-01-05"})
        assert closed.status_code == 201, closed.text
        time.sleep(1.5)
        assert listener.get_message(ignore_subscribe_messages=True, timeout=0.5) is None
    finally:
        runtime.stop()
        worker.join(30)
        listener.close()
    channels = set()
    while (message := other.get_message(ignore_subscribe_messages=True, timeout=0.2)) is not None:
        channels.add(message["channel"].decode())
    other.close()
    assert channels == {holds.channel(prefix, cal)}


def test_touched_calendars_stay_in_the_organization(api: Api) -> None:
    a, cal, ana, _ = _world(api)
    b = clinic(api, "clinic-b")
    with psycopg.connect(api.db.system_url) as conn:
        rows = lambda org, **kw: [  # noqa: E731
            str(r[0])
            for r in conn.execute(
                "SELECT * FROM scheduling.touched_calendars(%s, %s, %s, %s)",
                (org, kw.get("calendar"), kw.get("appointment"), kw.get("specialist")),
            )
        ]
        assert rows(a.id, calendar=cal) == [cal]
        assert rows(a.id, specialist=ana) == [cal]
        assert rows(a.id) == [cal], "a closure touches every calendar of the organization"
        assert rows(b.id, calendar=cal) == []
        assert rows(b.id, specialist=ana) == []
        assert rows(b.id) == []
