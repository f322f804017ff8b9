"""The `restartix` command: one entry point for operators, `make dev` and CI.

Every failure an operator can cause (bad URL, server down, missing rights) ends as one
line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from app.cli_types import MONTHS_AHEAD, whole_number
from app.config import Settings
from app.errors import CommandError

Handler = Callable[[argparse.Namespace, Settings], None]


def _db_bootstrap(args: argparse.Namespace, settings: Settings) -> None:
    from app.db import admin

    admin.bootstrap(settings.migrate_database_url)


def _db_migrate(args: argparse.Namespace, settings: Settings) -> None:
    from app.db import admin

    admin.migrate(settings.migrate_database_url)


def _db_reset(args: argparse.Namespace, settings: Settings) -> None:
    from app.db import admin

    admin.reset(settings.migrate_database_url, dev_database=args.dev_database)


def _db_schema(args: argparse.Namespace, settings: Settings) -> None:
    from app.db import snapshot
    from app.db.paths import SCHEMA_SNAPSHOT

    # Built in a scratch database, so a dev database's leftovers never reach the snapshot.
    current = snapshot.dump_fresh_schema(settings.migrate_database_url)
    if args.check:
        difference = snapshot.diff(SCHEMA_SNAPSHOT.read_text(), current)
        if difference:
            sys.stdout.write(difference)
            raise CommandError("db/schema.sql differs from the migrated schema; run `make schema`")
        return
    SCHEMA_SNAPSHOT.write_text(current)
    print(f"wrote db/{SCHEMA_SNAPSHOT.name}", file=sys.stderr)


def _check_services(args: argparse.Namespace, settings: Settings) -> None:
    from app.config import server_label, with_database
    from app.db.admin import MAINTENANCE_DB
    from app.services import check_postgres, check_redis

    # The server, not the database: on a fresh machine `db bootstrap` creates that next.
    try:
        server = with_database(settings.migrate_database_url, MAINTENANCE_DB)
    except ValueError:
        server = settings.migrate_database_url  # check_postgres names what is wrong with it
    check_postgres(server)
    check_redis(settings.redis_url)
    print(
        f"PostgreSQL ({server_label(server)}) and Redis ({_redis_label(settings.redis_url)}) answer"
    )


def _redis_label(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"
    except ValueError:
        return "a malformed URL"


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from app.logs import configure_logging
    from app.services import check_postgres, check_redis

    check_postgres(settings.database_url)
    check_redis(settings.redis_url)
    # Every line, uvicorn's included, goes through the redacting JSON handler, in each worker.
    configure_logging(settings.log_level)
    os.environ["RESTARTIX_JSON_LOGS"] = settings.log_level
    if not settings.cursor_signing_key:
        # The worker processes inherit one key, so a cursor one made another reads.
        os.environ["CURSOR_SIGNING_KEY"] = secrets.token_urlsafe(32)
    uvicorn.run(
        "app.api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="httptools",
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
        **proxy_options(settings),
    )


def proxy_options(settings: Settings) -> dict[str, object]:
    """Uvicorn's forwarding-header options, from TRUSTED_PROXIES.

    Uvicorn believes `X-Forwarded-For` from 127.0.0.1 unless told otherwise, so any local
    client could pick its own address. Its rewriting stays off: the peer reaches the app as
    it is, and `app.api.requester.client_ip` alone decides whether the peer is a trusted
    proxy whose header counts. The list is still passed, so uvicorn's own environment
    default (FORWARDED_ALLOW_IPS) never applies.
    """
    return {
        "proxy_headers": False,
        "forwarded_allow_ips": [str(network) for network in settings.trusted_proxies],
    }


def _seed_demo(args: argparse.Namespace, settings: Settings) -> None:
    from app.seed import seed_demo

    seed_demo(settings.migrate_database_url)


def _audit_roll_partitions(args: argparse.Namespace, settings: Settings) -> None:
    from app.domains.audit.partitions import roll_partitions

    created = roll_partitions(settings.migrate_database_url, args.ahead)
    for name in created:
        print(f"created {name}")
    print(f"audit partitions ready through {args.ahead} month(s) ahead", file=sys.stderr)


def _metering_roll_partitions(args: argparse.Namespace, settings: Settings) -> None:
    from app.domains.metering.partitions import roll_partitions

    created = roll_partitions(settings.migrate_database_url, args.ahead)
    for name in created:
        print(f"created {name}")
    print(f"usage event partitions ready through {args.ahead} month(s) ahead", file=sys.stderr)


def _integrations_rotate_platform_key(args: argparse.Namespace, settings: Settings) -> None:
    from app.domains.integrations.admin import rotate_platform

    result = rotate_platform(settings, say=lambda line: print(line, file=sys.stderr))
    if result.version is not None:
        print(f"platform key version {result.version}; re-encrypted {result.moved} credential(s)")


def _webhooks_replay(args: argparse.Namespace, settings: Settings) -> None:
    from app.domains.webhooks.admin import replay

    slug, count = replay(settings, args.org, args.since)
    print(f"{count} failed webhook message(s) of {slug} owed again")


def _since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 time: {value!r} (e.g. 2026-12-01T00:00:00Z)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _db_classify(args: argparse.Namespace, settings: Settings) -> None:
    from app import classification
    from app.db.admin import connect

    registry = classification.load_registry()
    with connect(settings.migrate_database_url) as conn:
        columns = classification.live_columns(conn)
    sys.stdout.write(classification.draft_rows(registry, columns))
    problems = classification.check(registry, columns)
    if problems:
        raise CommandError(f"{len(problems)} classification problem(s): " + "; ".join(problems))


def _crypto_rotate(args: argparse.Namespace, settings: Settings) -> None:
    from app.crypto import admin

    results = admin.rotate(
        settings, org=args.org, all_orgs=args.all, batch_size=args.batch, say=_stderr
    )
    moved = sum(r.done for r in results)
    print(f"rotated {len(results)} organization(s); re-encrypted {moved} value(s)")


def _crypto_shred(args: argparse.Namespace, settings: Settings) -> None:
    from app.crypto import admin

    if not args.yes:
        raise CommandError(
            f"shredding makes every encrypted field of {args.org} unrecoverable; "
            "add --yes to confirm"
        )
    result = admin.shred(settings, org=args.org)
    print(
        f"destroyed {result.destroyed} data key version(s) of {result.organization.slug}; "
        f"{result.values} encrypted value(s) are unrecoverable"
    )


def _dev_keys(args: argparse.Namespace, settings: Settings) -> None:
    from app import devkeys
    from app.crypto import admin

    kek = admin.ensure_dev_kek()
    state = "created" if kek.created else "kept"
    print(f"{state} local KEK file {kek.path} (KEK {kek.kek_id})")
    print(f"dev JWT signing key {devkeys.ensure_jwt_key()}")
    if kek.overridden_by_env:
        _stderr("note: ENCRYPTION_LOCAL_KEK is set, so the application uses it, not this file")


def _dev_token(args: argparse.Namespace, settings: Settings) -> None:
    from app.devtoken import dev_token

    print(dev_token(settings, args.email, args.org, args.role, args.platform_admin))


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="restartix", description="RestartiX Core")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database administration").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("bootstrap", help="create the roles and the database (superuser)").set_defaults(
        handler=_db_bootstrap
    )
    db.add_parser("migrate", help="apply migrations, then functions and policies").set_defaults(
        handler=_db_migrate
    )
    reset = db.add_parser("reset", help="drop and rebuild a dev/test database")
    reset.add_argument(
        "--dev-database",
        action="store_true",
        help="confirm the target is a development database whatever its name",
    )
    reset.set_defaults(handler=_db_reset)
    schema = db.add_parser("schema", help="write (or --check) db/schema.sql from the database")
    schema.add_argument("--check", action="store_true", help="compare instead of writing")
    schema.set_defaults(handler=_db_schema)

    db.add_parser(
        "classify", help="print registry rows for unclassified columns; fail on any problem"
    ).set_defaults(handler=_db_classify)

    audit = commands.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True
    )
    roll = audit.add_parser(
        "roll-partitions", help="create the missing monthly partitions (idempotent)"
    )
    roll.add_argument("--ahead", type=MONTHS_AHEAD, default=3, help="months ahead (default 3)")
    roll.set_defaults(handler=_audit_roll_partitions)

    metering = commands.add_parser("metering", help="usage events and quotas").add_subparsers(
        dest="metering_command", required=True
    )
    metering_roll = metering.add_parser(
        "roll-partitions", help="create the missing monthly usage event partitions (idempotent)"
    )
    metering_roll.add_argument(
        "--ahead", type=MONTHS_AHEAD, default=3, help="months ahead (default 3)"
    )
    metering_roll.set_defaults(handler=_metering_roll_partitions)

    integrations = commands.add_parser(
        "integrations", help="provider accounts and connected integrations"
    ).add_subparsers(dest="integrations_command", required=True)
    integrations.add_parser(
        "rotate-platform-key",
        help="new platform data key; re-encrypt the platform-owned provider credentials",
    ).set_defaults(handler=_integrations_rotate_platform_key)

    commands.add_parser(
        "check-services", help="say whether PostgreSQL and Redis are reachable"
    ).set_defaults(handler=_check_services)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument(
        "--workers",
        type=whole_number("a number of processes", 1, 64),
        default=os.cpu_count() or 1,
        help="API processes (default: the CPU count)",
    )
    serve.set_defaults(handler=_serve)

    seed = commands.add_parser("seed", help="load sample data").add_subparsers(
        dest="seed_command", required=True
    )
    seed.add_parser("demo", help="a demo clinic (idempotent)").set_defaults(handler=_seed_demo)
    crypto = commands.add_parser("crypto", help="field encryption keys").add_subparsers(
        dest="crypto_command", required=True
    )
    rotate = crypto.add_parser(
        "rotate", help="new data key, re-encrypt every encrypted column, retire the old key"
    )
    which = rotate.add_mutually_exclusive_group(required=True)
    which.add_argument("--org", metavar="SLUG", help="one organization (slug or id)")
    which.add_argument("--all", action="store_true", help="every organization with a data key")
    rotate.add_argument(
        "--batch",
        type=whole_number("a number of rows", 1, 10_000),
        default=500,
        help="rows a transaction",
    )
    rotate.set_defaults(handler=_crypto_rotate)
    shred = crypto.add_parser("shred", help="destroy an organization's data keys (irreversible)")
    shred.add_argument("--org", metavar="SLUG", required=True, help="slug or id")
    shred.add_argument("--yes", action="store_true", help="confirm the destruction")
    shred.set_defaults(handler=_crypto_shred)

    webhooks = commands.add_parser("webhooks", help="outbound webhooks").add_subparsers(
        dest="webhooks_command", required=True
    )
    webhooks_replay = webhooks.add_parser(
        "replay", help="send again every failed message of an organization created since a time"
    )
    webhooks_replay.add_argument("--org", required=True, help="slug or id")
    webhooks_replay.add_argument("--since", required=True, type=_since, help="ISO 8601 time")
    webhooks_replay.set_defaults(handler=_webhooks_replay)

    commands.add_parser(
        "dev-keys", help="create the local development keys outside the repository"
    ).set_defaults(handler=_dev_keys)
    token = commands.add_parser("dev-token", help="mint a bearer token for the dev database")
    token.add_argument("--email", required=True)
    token.add_argument("--org", help="slug of an organization to join")
    token.add_argument(
        "--role",
        default="owner",
        help="role in --org: owner (default), admin, specialist, receptionist, billing or a "
        "custom role's code; an existing member's role is changed",
    )
    token.add_argument("--platform-admin", action="store_true", help="also a superadmin")
    token.set_defaults(handler=_dev_token)

    from workers.cli import add_commands as add_worker_commands

    add_worker_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        try:
            settings = Settings.from_env()
        except ValueError as exc:  # a malformed setting (e.g. TRUSTED_PROXIES), in one line
            raise CommandError(str(exc)) from None
        args.handler(args, settings)
    except CommandError as exc:
        print(f"restartix: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
