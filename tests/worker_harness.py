"""A worker process with test consumers, for tests/events/test_worker.py.

Run as `python -m tests.worker_harness [restartix worker options]`. The consumers `recorder`
and `recorder_b` take `test.*` events and append what happens to JSON lines in
$RESTARTIX_TEST_RECORDS (one file per process, written unbuffered so a SIGKILL loses
nothing). A payload steers the handler: `sleep` (seconds), `block` (first attempt never
returns), `fail` (always raises).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from app.domains.events.envelope import Event
from workers.cli import main
from workers.registry import Consumer, Registry
from workers.tasks import roll_partitions

RECORDS = Path(os.environ.get("RESTARTIX_TEST_RECORDS", "."))
MAX_ATTEMPTS = int(os.environ.get("RESTARTIX_TEST_MAX_ATTEMPTS", "10"))
BACKOFF = timedelta(seconds=float(os.environ.get("RESTARTIX_TEST_BACKOFF", "0.2")))


def _record(consumer: str, phase: str, event: Event) -> None:
    payload = event.payload_dict()
    line = json.dumps(
        {
            "consumer": consumer,
            "phase": phase,
            "event_id": str(event.id),
            "org": str(event.organization_id),
            "n": payload.get("n"),
            "attempt": event.attempt,
            "pid": os.getpid(),
            "at": time.time(),
        }
    )
    fd = os.open(RECORDS / f"{os.getpid()}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def recording(consumer: str):
    def handle(event: Event) -> None:
        payload = event.payload_dict()
        _record(consumer, "start", event)
        time.sleep(float(payload.get("sleep", 0)))
        marker = RECORDS / f"blocked-{consumer}-{event.id}"
        if payload.get("block") and not marker.exists():
            marker.touch()
            _record(consumer, "blocking", event)
            threading.Event().wait()
        if payload.get("fail"):
            raise RuntimeError(f"refused event {payload.get('n')}; write to ana@example.com")
        _record(consumer, "end", event)

    return handle


def registry() -> Registry:
    reg = Registry()
    for name in ("recorder", "recorder_b"):
        reg.add_consumer(
            Consumer(
                name=name,
                handler=recording(name),
                types=("test.*",),
                max_attempts=MAX_ATTEMPTS,
                backoff_base=BACKOFF,
                backoff_max=BACKOFF * 8,
            )
        )
    reg.add_task(roll_partitions.TASK)
    return reg


if __name__ == "__main__":
    sys.exit(main(registry=registry()))
