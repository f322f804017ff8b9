"""`restartix worker` and `restartix events …`: run consumers, replay, inspect the queue."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from app.cli_types import MONTHS_AHEAD, whole_number
from app.config import Settings, server_label
from app.db.queries import catalogue
from app.errors import CommandError
from app.logs import configure_logging
from workers.registry import Registry, default_registry

Q = catalogue("events")

_COUNT = whole_number("a whole number", 1, 1000)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `worker` and `events` to the `restartix` command."""
    worker = commands.add_parser("worker", help="run outbox consumers and periodic tasks")
    add_worker_arguments(worker)
    worker.set_defaults(
        handler=lambda args, settings: run_worker(default_registry(), args, settings)
    )

    events = commands.add_parser("events", help="the event bus").add_subparsers(
        dest="events_command", required=True
    )
    replay = events.add_parser("replay", help="deliver a time range of events to a consumer again")
    replay.add_argument("consumer")
    replay.add_argument("--from", dest="start", type=_instant, required=True, help="ISO time")
    replay.add_argument("--to", dest="end", type=_instant, required=True, help="ISO time")
    replay.set_defaults(handler=_replay)
    events.add_parser(
        "status", help="pending, leased, dead and orphaned deliveries per consumer"
    ).set_defaults(handler=_status)
    roll = events.add_parser(
        "roll-partitions", help="create the outbox's missing monthly partitions (idempotent)"
    )
    roll.add_argument("--ahead", type=MONTHS_AHEAD, default=3, help="months ahead (default 3)")
    roll.set_defaults(handler=_roll_partitions)


def add_worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--consumers", type=_names, default=None, help="comma-separated consumers (default: all)"
    )
    parser.add_argument(
        "--concurrency", type=_COUNT, default=1, help="claim loops per consumer (default 1)"
    )
    parser.add_argument(
        "--lease", type=_seconds, default=None, help="lease seconds (default: each consumer's)"
    )
    parser.add_argument("--batch", type=_COUNT, default=100, help="deliveries per claim")
    parser.add_argument("--per-lane", type=_COUNT, default=20, help="events of one org per claim")
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between idle claims")
    parser.add_argument("--grace", type=float, default=25.0, help="seconds to finish on SIGTERM")
    parser.add_argument(
        "--periodic-interval", type=float, default=60.0, help="seconds between task checks"
    )
    parser.add_argument("--no-periodic", action="store_true", help="run no periodic task")


def run_worker(registry: Registry, args: argparse.Namespace, settings: Settings) -> None:
    from workers.runtime import Options, Runtime

    configure_logging(settings.log_level)
    try:
        consumers = registry.select(args.consumers)
    except KeyError as exc:
        known = ", ".join(sorted(registry.consumers)) or "none"
        raise CommandError(f"unknown consumer(s): {exc.args[0]} (known: {known})") from None
    options = Options(
        concurrency=args.concurrency,
        batch=args.batch,
        per_lane=args.per_lane,
        lease=args.lease,
        poll_interval=args.poll,
        grace=args.grace,
        periodic=not args.no_periodic,
        periodic_interval=args.periodic_interval,
    )
    runtime = Runtime(
        settings.system_database_url, consumers, list(registry.tasks.values()), options
    )
    try:
        runtime.run()
    except psycopg.OperationalError as exc:
        raise CommandError(
            f"cannot reach PostgreSQL at {server_label(settings.system_database_url)}: "
            f"{_first_line(exc)}"
        ) from None
    except psycopg.Error as exc:
        raise CommandError(f"the worker could not start: {_first_line(exc)}") from None


def _replay(args: argparse.Namespace, settings: Settings) -> None:
    from workers import queue

    with _system(settings) as conn:
        count = queue.replay(conn, args.consumer, args.start, args.end)
    print(f"{count} event(s) owed again to {args.consumer}")


def _roll_partitions(args: argparse.Namespace, settings: Settings) -> None:
    with _system(settings) as conn:
        created = [r[0] for r in conn.execute(Q.ensure_partitions.sql, {"ahead": args.ahead})]
    for name in created:
        print(f"created {name}")
    print(f"outbox partitions ready through {args.ahead} month(s) ahead", file=sys.stderr)


def _status(args: argparse.Namespace, settings: Settings) -> None:
    with _system(settings) as conn:
        rows = conn.execute(Q.consumer_status.sql).fetchall()
    print("consumer\tenabled\tpending\tleased\tdead\toldest_pending\torphaned")
    for name, enabled, pending, leased, dead, oldest, orphaned in rows:
        since = oldest.isoformat() if oldest else "-"
        print(f"{name}\t{enabled}\t{pending}\t{leased}\t{dead}\t{since}\t{orphaned}")


class _system:
    """A system-pool connection whose failures become one-line command errors."""

    def __init__(self, settings: Settings) -> None:
        self._url = settings.system_database_url

    def __enter__(self) -> psycopg.Connection:
        try:
            self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            raise CommandError(
                f"cannot reach PostgreSQL at {server_label(self._url)}: {_first_line(exc)}"
            ) from None
        return self._conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self._conn.close()
        if isinstance(exc, psycopg.Error):
            diag = exc.diag
            detail = f" ({diag.message_detail})" if diag.message_detail else ""
            raise CommandError(f"{_first_line(exc)}{detail}") from None


def main(argv: Sequence[str] | None = None, registry: Registry | None = None) -> int:
    """`python -m workers`: the worker alone, with a given registry (tests, benchmarks)."""
    parser = argparse.ArgumentParser(prog="restartix-worker")
    add_worker_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run_worker(registry or default_registry(), args, Settings.from_env())
    except CommandError as exc:
        print(f"restartix: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("name at least one consumer")
    return names


def _seconds(value: str) -> timedelta:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 1 <= seconds <= 900:
        raise argparse.ArgumentTypeError("a lease is between 1 and 900 seconds")
    return timedelta(seconds=seconds)


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {value!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone (e.g. {value}+00:00 or Z)")
    return moment
