"""A real HTTP server for the concurrency tests, and the clinic they race on.

The in-process test client runs one request at a time through a portal; races need requests
that are really in flight together. `serve` runs the app under uvicorn in a thread, on a
loopback socket bound first (port 0, so no two runs collide), against the test's database
and Redis; each client thread talks to it over its own HTTP connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import httpx
import uvicorn

from app.api.main import create_app
from tests.api_client import TEST_REDIS_DB, Api, api_settings, mint
from tests.api_world import Clinic, clinic


@contextmanager
def serve(api: Api, **settings: Any) -> Iterator[str]:
    """The app under uvicorn in a thread; yields its base URL. `settings` replace fields of
    the test's settings (e.g. holds_per_client: every client here is 127.0.0.1)."""
    app = create_app(replace(api_settings(api.db, TEST_REDIS_DB), **settings))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """`work(i)` in n threads released at once by a barrier; the results in order of i."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def outcome(response: httpx.Response) -> str:
    """The status of a success ('201'); of a refusal, its status and the envelope's code
    ('409 slot_taken'), the envelope checked whole."""
    if response.status_code < 300:
        return str(response.status_code)
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details", "request_id"}, body
    return f"{response.status_code} {body['error']['code']}"


@dataclass
class Race:
    org: Clinic
    calendar: str
    patient: str
    specialists: list[str]
    slots: list[str]  # free starts, in order

    def book(self, base: str, start: str, hold_token: str | None = None) -> httpx.Response:
        body = {"calendar_id": self.calendar, "patient_id": self.patient, "start": start}
        if hold_token is not None:
            body["hold_token"] = hold_token
        with httpx.Client(base_url=base, timeout=60) as client:
            return client.post(
                self.org.url("/appointments"),
                json=body,
                headers={"Authorization": f"Bearer {mint(self.org.receptionist)}"},
            )

    def hold(self, base: str, start: str) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            return client.post(f"/v1/public/calendars/{self.calendar}/holds", json={"start": start})


def race_clinic(api: Api, specialists: int, slug: str = "race") -> Race:
    """A public round-robin calendar of `specialists` specialists working every day
    09:00-17:00, a 60-minute service, a patient, and the free starts of the next week."""
    org = clinic(api, slug)
    service = api.post(
        org.url("/services"),
        as_=org.owner,
        json={"name": "Physio", "duration_minutes": 60, "currency": "RON"},
    ).json()["id"]
    cal = api.post(
        org.url("/calendars"),
        as_=org.owner,
        json={"name": "Race", "slug": slug, "service_id": service, "public": True},
    )
    assert cal.status_code == 201, cal.text
    calendar = cal.json()["id"]
    made = []
    for n in range(specialists):
        sp = api.post(
            org.url("/specialists"),
            as_=org.owner,
            json={
                "display_name": f"Specialist {n}",
                "scheduling_timezone": "Europe/Bucharest",
                "scheduling_active": True,
            },
        )
        assert sp.status_code == 201, sp.text
        made.append(sp.json()["id"])
        for weekday in range(1, 8):
            hours = api.post(
                org.url(f"/specialists/{made[-1]}/weekly-hours"),
                as_=org.owner,
                json={"weekday": weekday, "start_time": "09:00", "end_time": "17:00"},
            )
            assert hours.status_code == 201, hours.text
        put = api.put(
            org.url(f"/calendars/{calendar}/specialists/{made[-1]}"), as_=org.owner, json={}
        )
        assert put.status_code == 200, put.text
    patient = api.post(
        org.url("/patients"), as_=org.receptionist, json={"first_name": "Ion", "last_name": "Pop"}
    )
    assert patient.status_code == 201, patient.text
    first = date.today() + timedelta(days=2)
    slots = api.get(
        org.url(f"/calendars/{calendar}/availability"),
        as_=org.owner,
        params={"from": first.isoformat(), "to": (first + timedelta(days=6)).isoformat()},
    )
    assert slots.status_code == 200, slots.text
    starts = [s["start"] for s in slots.json()["slots"]]
    assert len(starts) == 7 * 8
    return Race(org, calendar, patient.json()["id"], made, starts)
