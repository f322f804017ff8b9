"""The worker process: consumer loops woken by LISTEN/NOTIFY, lease heartbeats, periodic tasks,
and a graceful stop on SIGTERM. The guarantees it keeps are in docs/workers.md."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from app.logs import redact
from workers import queue
from workers.queue import Q
from workers.registry import Consumer, PeriodicTask, Pump

log = logging.getLogger("restartix.workers")

# A periodic task that failed is tried again after this, not on every check.
TASK_RETRY_AFTER = timedelta(minutes=5)
# How often an idle worker looks for leases of dead workers (between notifications).
ORPHAN_CHECK_SECONDS = 1.0
# How long an idle pump lets notifications gather before it claims.
PUMP_DEBOUNCE_SECONDS = 0.05


@dataclass(frozen=True)
class Options:
    concurrency: int = 1  # claim loops (threads, one connection each) per consumer
    batch: int = 100  # deliveries per claim
    per_lane: int = 20  # consecutive events of one organization per claim
    lease: timedelta | None = None  # overrides every consumer's own lease
    poll_interval: float = 2.0  # seconds between claims when no NOTIFY arrives
    grace: float = 25.0  # seconds to finish in-flight events after SIGTERM
    max_handler_seconds: float = 900.0  # a handler running longer loses its lease
    periodic: bool = True
    periodic_interval: float = 60.0  # seconds between checks for due periodic tasks


class Runtime:
    def __init__(
        self,
        url: str,
        consumers: list[Consumer],
        tasks: list[PeriodicTask],
        options: Options | None = None,
    ) -> None:
        self._url = url
        self._consumers = consumers
        self._tasks = tasks
        self._options = options or Options()
        self._name = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()  # no new work is taken
        self._done = threading.Event()  # the helpers (listener, heartbeats) end
        # Reentrant: the signal handler (stop) may run while the main thread holds it.
        self._lock = threading.RLock()
        self._wakers: list[threading.Event] = []
        # lease id -> when its current event's handler started (monotonic seconds)
        self._leases: dict[uuid.UUID, float] = {}
        # The worker session: a session advisory lock held by the LISTEN connection while this
        # process lives. Claims name it, so when the process dies (its connections close) its
        # leases are free to other workers at once (docs/events.md, "Leases and sessions").
        self._session: int | None = None
        self._listener: psycopg.Connection | None = None
        self._idle = 0  # claim loops waiting for work

    # --- life cycle -----------------------------------------------------------------------

    def run(self, install_signals: bool = True) -> None:
        """Serve until SIGTERM/SIGINT (or `stop()`), then finish or release in-flight work."""
        with self._connect("register") as conn:
            for consumer in self._consumers:
                queue.register(conn, consumer)
        # The session is held before the first claim, so that every lease names it.
        self._listener = self._open_listener()
        if install_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda _signo, _frame: self.stop())

        helpers = [self._thread(self._listen, "listen"), self._thread(self._heartbeat, "beat")]
        if self._options.periodic and self._tasks:
            helpers.append(self._thread(self._periodic, "periodic"))
        loops = [
            self._thread(self._consume, f"{consumer.name}#{slot}", consumer, slot)
            for consumer in self._consumers
            for slot in range(self._options.concurrency)
        ]
        loops += [
            self._thread(self._pump, f"{consumer.pump.name}#{slot}", consumer.pump, slot)
            for consumer in self._consumers
            if consumer.pump is not None
            for slot in range(consumer.pump.concurrency)
        ]
        log.info(
            "worker ready",
            extra={
                "worker": self._name,
                "consumers": [c.name for c in self._consumers],
                "concurrency": self._options.concurrency,
                "session": self._session,
            },
        )
        # Waiting with a timeout keeps the main thread responsive to signals.
        while not self._stop.wait(0.5):
            pass

        log.info("worker stopping: finishing in-flight events", extra={"worker": self._name})
        deadline = time.monotonic() + self._options.grace
        for thread in loops:
            thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in loops if t.is_alive()]
        if stuck:
            released = self._release_all()
            log.warning(
                "grace period over: released the leases of handlers still running",
                extra={"worker": self._name, "threads": stuck, "released": released},
            )
        self._done.set()
        for thread in helpers:
            thread.join(2.0)
        log.info("worker stopped", extra={"worker": self._name})

    def stop(self) -> None:
        self._stop.set()
        self._wake_all()

    def _thread(self, target, name: str, *args) -> threading.Thread:
        # Daemon threads: a handler stuck past the grace period must not keep the process up.
        thread = threading.Thread(target=target, name=name, args=args, daemon=True)
        thread.start()
        return thread

    def _connect(self, role: str) -> psycopg.Connection:
        return psycopg.connect(
            self._url,
            autocommit=True,
            connect_timeout=5,
            application_name=f"restartix-worker {role}"[:63],
        )

    def _wake_all(self) -> None:
        with self._lock:
            wakers = list(self._wakers)
        for wake in wakers:
            wake.set()

    # --- consuming -------------------------------------------------------------------------

    def _consume(self, consumer: Consumer, slot: int) -> None:
        worker = f"{self._name}/{consumer.name}#{slot}"
        wake = threading.Event()
        with self._lock:
            self._wakers.append(wake)
        conn: psycopg.Connection | None = None
        failures = 0
        # A batch whose connection broke mid-way: given back (unattempted) once reconnected,
        # rather than left to run out its lease and be charged as a timeout.
        orphan: uuid.UUID | None = None
        while not self._stop.is_set():
            try:
                if conn is None or conn.closed:
                    conn = self._connect(f"{consumer.name}#{slot}")
                if orphan is not None:
                    released = queue.release(conn, orphan)
                    log.info(
                        "gave back the events a lost connection left leased",
                        extra={"worker": worker, "released": released},
                    )
                    orphan = None
                # Cleared before the claim: a NOTIFY that lands during it is not lost.
                wake.clear()
                batch = queue.claim(
                    conn,
                    consumer.name,
                    worker,
                    limit=self._options.batch,
                    per_lane=self._options.per_lane,
                    lease=self._options.lease,
                    session=self._session,
                )
                failures = 0
                if not batch:
                    with self._lock:
                        self._idle += 1
                    try:
                        wake.wait(self._options.poll_interval)
                    finally:
                        with self._lock:
                            self._idle -= 1
                    continue
                try:
                    self._process(conn, consumer, batch)
                except psycopg.Error:
                    orphan = batch[0].lease_id
                    raise
            except psycopg.Error as exc:
                # The database went away or refused. What this loop held is given back when it
                # reconnects (or freed with the session, or at the end of its lease). Try
                # again with a growing pause.
                failures += 1
                log.warning(
                    "consumer loop lost its connection",
                    extra={"worker": worker, "error": _describe(exc), "failures": failures},
                )
                conn = _close(conn)
                self._stop.wait(min(30.0, 0.5 * 2**failures))
        _close(conn)

    def _pump(self, pump: Pump, slot: int) -> None:
        worker = f"{self._name}/{pump.name}#{slot}"
        wake = threading.Event()
        with self._lock:
            self._wakers.append(wake)
        conn: psycopg.Connection | None = None
        failures = 0
        while not self._stop.is_set():
            try:
                if conn is None or conn.closed:
                    conn = self._connect(f"{pump.name}#{slot}")
                wake.clear()
                handled = pump.round(conn, worker, self._session)
                failures = 0
                if not handled and wake.wait(self._options.poll_interval):
                    # Woken by a notification: let a burst of them (one per event) gather
                    # into one claim instead of one claim each from every idle thread.
                    self._stop.wait(PUMP_DEBOUNCE_SECONDS)
            except psycopg.Error as exc:
                failures += 1
                log.warning(
                    "pump lost its connection",
                    extra={"worker": worker, "error": _describe(exc), "failures": failures},
                )
                conn = _close(conn)
                self._stop.wait(min(30.0, 0.5 * 2**failures))
            except Exception as exc:
                # A bug in a round must not end the loop: log it and go on after a pause.
                log.error("pump round failed", exc_info=exc, extra={"worker": worker})
                self._stop.wait(1.0)
        _close(conn)

    def _process(self, conn: psycopg.Connection, consumer: Consumer, batch) -> None:
        lease_id = batch[0].lease_id
        skipped_lanes: set[uuid.UUID] = set()
        interrupted = False
        try:
            # In claim (position) order: should this process die, its lease's first unfinished
            # event is the one it had in hand, and that one alone counts as redelivered.
            for delivery in batch:
                if self._stop.is_set():
                    interrupted = True
                    break
                if delivery.lane in skipped_lanes:
                    continue
                with self._lock:
                    self._leases[lease_id] = time.monotonic()
                if delivery.redeliveries and delivery.attempt == 1:
                    log.info(
                        "event redelivered: the worker that held it ended",
                        extra={
                            "consumer": consumer.name,
                            "event_id": str(delivery.event_id),
                            "redeliveries": delivery.redeliveries,
                        },
                    )
                try:
                    if consumer.with_connection:
                        consumer.handler(conn, delivery.event())
                    else:
                        consumer.handler(delivery.event())
                except Exception as exc:
                    state = queue.fail(conn, lease_id, delivery.event_id, _describe(exc))
                    # fail() gave back the rest of this lane's run: later events of the same
                    # organization wait behind the failed one.
                    skipped_lanes.add(delivery.lane)
                    log.warning(
                        "event handler failed",
                        exc_info=exc,
                        extra={
                            "consumer": consumer.name,
                            "event_id": str(delivery.event_id),
                            "event_type": delivery.type,
                            "attempt": delivery.attempt,
                            "state": state or "lease lost",
                        },
                    )
                    continue
                if not queue.complete(conn, lease_id, delivery.event_id):
                    skipped_lanes.add(delivery.lane)
                    log.warning(
                        "lease lost before completion; the event will be delivered again",
                        extra={"consumer": consumer.name, "event_id": str(delivery.event_id)},
                    )
        finally:
            with self._lock:
                self._leases.pop(lease_id, None)
            if interrupted:
                released = queue.release(conn, lease_id)
                log.info(
                    "released unstarted events on shutdown",
                    extra={"consumer": consumer.name, "released": released},
                )

    def _release_all(self) -> int:
        with self._lock:
            leases = list(self._leases)
        if not leases:
            return 0
        try:
            with self._connect("release") as conn:
                return sum(queue.release(conn, lease_id) for lease_id in leases)
        except psycopg.Error as exc:
            log.warning(
                "could not release leases; they expire on their own",
                extra={"error": _describe(exc)},
            )
            return 0

    # --- helpers ---------------------------------------------------------------------------

    def _open_listener(self) -> psycopg.Connection:
        """The LISTEN connection, holding the worker session (the same key after a reconnect
        when it is still free). It must go straight to PostgreSQL, never through a pooler in
        transaction mode: LISTEN and the session lock both live as long as this connection."""
        conn = self._connect("listen")
        try:
            conn.execute(f"LISTEN {queue.CHANNEL}")
            key = queue.hold_session(conn, self._session)
        except BaseException:
            _close(conn)
            raise
        if self._session is not None and key != self._session:
            log.warning(
                "worker session changed; leases of the old one are free to other workers",
                extra={"worker": self._name, "old_session": self._session, "session": key},
            )
        self._session = key
        return conn

    def _listen(self) -> None:
        conn = self._listener
        names = [c.name for c in self._consumers]
        checked = time.monotonic()
        while not self._done.is_set():
            try:
                if conn is None:
                    conn = self._listener = self._open_listener()
                    # Whatever was published while not listening is claimed now.
                    self._wake_all()
                for _ in conn.notifies(timeout=ORPHAN_CHECK_SECONDS, stop_after=1):
                    self._wake_all()
                # Nothing wakes a worker when another one dies; its leases are free at once, so
                # an idle worker that sees some (once a second) claims now, not at its poll.
                with self._lock:
                    idle = self._idle
                if idle and time.monotonic() - checked >= ORPHAN_CHECK_SECONDS:
                    checked = time.monotonic()
                    if queue.orphaned(conn, names):
                        self._wake_all()
            except psycopg.Error as exc:
                log.warning("listener lost its connection", extra={"error": _describe(exc)})
                conn = self._listener = _close(conn)
                self._done.wait(1.0)
        _close(conn)

    def _heartbeat(self) -> None:
        leases = [self._options.lease or c.lease for c in self._consumers]
        interval = max(0.2, min(leases, default=timedelta(seconds=30)).total_seconds() / 3)
        conn: psycopg.Connection | None = None
        while not self._done.wait(interval):
            now = time.monotonic()
            with self._lock:
                # A handler running past its limit is presumed hung: its lease is let go, so
                # the event goes to another worker once it runs out.
                live = [
                    lease_id
                    for lease_id, started in self._leases.items()
                    if now - started < self._options.max_handler_seconds
                ]
            if not live:
                continue
            try:
                if conn is None:
                    conn = self._connect("heartbeat")
                queue.heartbeat(conn, live, self._options.lease)
            except psycopg.Error as exc:
                log.warning("heartbeat failed", extra={"error": _describe(exc)})
                conn = _close(conn)
        _close(conn)

    def _periodic(self) -> None:
        conn: psycopg.Connection | None = None
        first = True
        while not self._stop.is_set():
            for task in self._tasks:
                if self._stop.is_set():
                    break
                try:
                    if conn is None:
                        conn = self._connect("periodic")
                    self._run_task(conn, task, forced=first and task.at_start)
                except psycopg.Error as exc:
                    log.warning(
                        "periodic task check failed",
                        extra={"task": task.name, "error": _describe(exc)},
                    )
                    conn = _close(conn)
            first = False
            self._stop.wait(self._options.periodic_interval)
        _close(conn)

    def _run_task(self, conn: psycopg.Connection, task: PeriodicTask, forced: bool) -> None:
        try:
            with conn.transaction():
                # One worker at a time runs a task; the lock ends with the transaction.
                if not conn.execute(Q.periodic_task_lock.sql, {"task": task.name}).fetchone()[0]:
                    return
                now, last_ok, status, started = conn.execute(
                    Q.periodic_task_state.sql, {"task": task.name}
                ).fetchone()
                if not forced:
                    if status == "failed" and started and now - started < TASK_RETRY_AFTER:
                        return
                    if not task.due(_utc(last_ok), _utc(now)):
                        return
                detail = task.body(conn)
                _record(conn, task.name, "ok", detail)
            log.info("periodic task ran", extra={"task": task.name, "detail": detail})
        except psycopg.OperationalError:
            raise
        except Exception as exc:
            log.error("periodic task failed", exc_info=exc, extra={"task": task.name})
            with conn.transaction():
                _record(conn, task.name, "failed", _describe(exc))


def _record(conn: psycopg.Connection, task: str, status: str, detail: str) -> None:
    conn.execute(
        Q.periodic_task_record.sql, {"task": task, "status": status, "detail": detail[:2000]}
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def _describe(exc: BaseException) -> str:
    """What is kept of an error (in the delivery's last_error, in logs): redacted, bounded."""
    text = str(exc).strip().splitlines()
    return redact(f"{type(exc).__name__}: {text[0] if text else ''}".strip(": "))[:2000]


def _close(conn: psycopg.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(psycopg.Error):
            conn.close()
    return None
