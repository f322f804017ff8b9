"""Reachability checks that name the service that is down and how to start it."""

from __future__ import annotations

import psycopg
import redis

from app.config import server_label
from app.errors import CommandError

POSTGRES_HINT = "start it with `pg_ctlcluster 15 main start` (or `docker compose up -d postgres`)"
REDIS_HINT = (
    "start it with `redis-server --daemonize yes --port 6379 --save ''` "
    "(or `docker compose up -d redis`)"
)


def check_postgres(url: str) -> None:
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except (psycopg.ProgrammingError, ValueError) as exc:
        raise CommandError(f"PostgreSQL URL is not valid: {_first_line(exc)}") from None
    except psycopg.OperationalError as exc:
        reason = (str(exc).strip().splitlines() or ["unreachable"])[0]
        if "does not exist" in reason:
            raise CommandError(
                f"PostgreSQL at {server_label(url)}: {reason}; run `restartix db bootstrap`"
            ) from None
        raise CommandError(
            f"PostgreSQL at {server_label(url)} is not reachable ({reason}); {POSTGRES_HINT}"
        ) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def check_redis(url: str) -> None:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    except ValueError as exc:
        raise CommandError(f"REDIS_URL is not valid: {_first_line(exc)}") from None
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise CommandError(
            f"Redis at {server_label(url)} is not reachable ({exc}); {REDIS_HINT}"
        ) from None
    except redis.RedisError as exc:
        raise CommandError(f"Redis at {server_label(url)} refused the check: {exc}") from None
    finally:
        client.close()
