"""What a worker process can run: named consumers of the outbox and periodic tasks."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psycopg

from app.domains.events.envelope import Event

Handler = Callable[[Event], None]
# A handler given the claim loop's connection (autocommit, system pool), for consumers whose
# side effect is one catalogued SQL call (the webhooks fan-out).
ConnectionHandler = Callable[[psycopg.Connection, Event], None]
# One round of a pump: claim due work, do it, record it; returns how many items it handled
# (0 makes the loop wait for a notification or the poll interval). Args: connection, worker
# name, worker session key.
PumpRound = Callable[[psycopg.Connection, str, int | None], int]
# Runs inside the task's transaction on the system pool; returns a short note for the record.
TaskBody = Callable[[psycopg.Connection], str]
# (last successful run or None, now) -> whether the task should run.
Due = Callable[[datetime | None, datetime], bool]

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_.]*(\.\*)?)$")


@dataclass(frozen=True)
class Consumer:
    """A named consumer: every event of its types reaches `handler` at least once.

    The handler must be idempotent (a crash between its side effect and the completion
    redelivers the event) and raises to fail an attempt.
    """

    name: str
    handler: Handler
    types: tuple[str, ...] = ("*",)
    max_attempts: int = 10
    lease: timedelta = timedelta(seconds=30)
    backoff_base: timedelta = timedelta(seconds=1)
    backoff_max: timedelta = timedelta(minutes=10)
    # When set, `handler` is a ConnectionHandler.
    with_connection: bool = False
    # Loops that run beside the consumer in every worker that runs it (webhook senders).
    pump: Pump | None = None

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"consumer name {self.name!r} is not lowercase snake_case")
        bad = [t for t in self.types if not _PATTERN.match(t)]
        if not self.types or bad:
            raise ValueError(f"consumer {self.name}: bad type patterns {bad or '(none)'}")


@dataclass(frozen=True)
class Pump:
    """Work a consumer queues elsewhere and pulls itself (webhook messages, each subscription
    its own lane): `concurrency` threads per worker call `round` until it returns 0, then wait
    for a notification on the events channel or the poll interval."""

    name: str
    round: PumpRound
    concurrency: int = 2


@dataclass(frozen=True)
class PeriodicTask:
    """A task that one worker (whichever takes its advisory lock) runs when due."""

    name: str
    body: TaskBody
    due: Due
    at_start: bool = True


def monthly(last: datetime | None, now: datetime) -> bool:
    """Due once per calendar month (UTC), and whenever it never ran."""
    return last is None or (last.year, last.month) != (now.year, now.month)


def every(interval: timedelta) -> Due:
    """Due when `interval` has passed since the last successful run, and whenever it never ran."""

    def due(last: datetime | None, now: datetime) -> bool:
        return last is None or now - last >= interval

    return due


@dataclass
class Registry:
    consumers: dict[str, Consumer] = field(default_factory=dict)
    tasks: dict[str, PeriodicTask] = field(default_factory=dict)

    def add_consumer(self, consumer: Consumer) -> Consumer:
        if consumer.name in self.consumers:
            raise ValueError(f"consumer {consumer.name} is registered twice")
        self.consumers[consumer.name] = consumer
        return consumer

    def add_task(self, task: PeriodicTask) -> PeriodicTask:
        if task.name in self.tasks:
            raise ValueError(f"periodic task {task.name} is registered twice")
        self.tasks[task.name] = task
        return task

    def select(self, names: Iterable[str] | None) -> list[Consumer]:
        """The named consumers (all when `names` is None); unknown names raise KeyError."""
        if names is None:
            return list(self.consumers.values())
        unknown = [n for n in names if n not in self.consumers]
        if unknown:
            raise KeyError(", ".join(unknown))
        return [self.consumers[n] for n in names]


def default_registry() -> Registry:
    """The consumers and tasks that ship with the product."""
    from workers.consumers import availability_relay, log_sink, video_rooms, webhooks
    from workers.tasks import (
        expire_booking_requests,
        roll_partitions,
        roll_subscription_periods,
        sweep_uploads,
    )

    registry = Registry()
    registry.add_consumer(log_sink.CONSUMER)
    registry.add_consumer(webhooks.CONSUMER)
    registry.add_consumer(availability_relay.CONSUMER)
    registry.add_consumer(video_rooms.CONSUMER)
    registry.add_task(roll_partitions.TASK)
    registry.add_task(sweep_uploads.TASK)
    registry.add_task(roll_subscription_periods.TASK)
    registry.add_task(expire_booking_requests.TASK)
    return registry
