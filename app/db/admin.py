"""Bootstrap roles and databases, apply migrations, reset dev databases.

Everything here runs on the migration connection (MIGRATE_DATABASE_URL), a role that may
create roles and databases. Schema objects are always created as `restartix_owner`, never
as the connecting superuser, so ownership is the same on a laptop and in production.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from app import classification
from app.config import database_name, server_label, with_database
from app.db.manifest import apply_order
from app.db.paths import DB_DIR, MIGRATIONS_DIR
from app.errors import CommandError
from app.services import POSTGRES_HINT

OWNER = "restartix_owner"
RUNTIME_ROLES = ("restartix_app", "restartix_system", "restartix_analyst")
ROLES = (OWNER, *RUNTIME_ROLES)
# The owner runs migrations and owns the security-definer functions that are the reviewed
# gates through row-level security, so it bypasses RLS; it cannot log in. The runtime roles
# never bypass it.
ROLE_ATTRIBUTES = {
    OWNER: sql.SQL("NOLOGIN BYPASSRLS"),
    "restartix_app": sql.SQL("LOGIN NOBYPASSRLS"),
    "restartix_system": sql.SQL("LOGIN NOBYPASSRLS"),
    "restartix_analyst": sql.SQL("LOGIN NOBYPASSRLS"),
}
MAINTENANCE_DB = "postgres"

# Extensions whose absence only costs a feature nobody uses yet: migrate says so and goes on.
OPTIONAL_EXTENSIONS = ("pg_stat_statements", "vector")

DEV_DATABASE_NAME = re.compile(r"(^|_)(dev|test|tests|scratch|demo)(_|$)|^restartix_test")

Say = Callable[[str], None]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


@contextmanager
def connect(
    url: str, *, autocommit: bool = True, role: str | None = None
) -> Iterator[psycopg.Connection]:
    """A connection with a one-line error instead of a driver traceback."""
    target = _with_role(url, role) if role else url
    try:
        conn = psycopg.connect(target, autocommit=autocommit, connect_timeout=5)
    except (psycopg.ProgrammingError, ValueError) as exc:
        raise CommandError(f"PostgreSQL URL is not valid: {_first_line(exc)}") from None
    except psycopg.OperationalError as exc:
        raise CommandError(
            f"cannot connect to PostgreSQL at {server_label(url)}: {_first_line(exc)}; "
            + POSTGRES_HINT
        ) from None
    try:
        yield conn
    finally:
        conn.close()


def _with_role(url: str, role: str) -> str:
    """The URL with a startup option that assumes `role` for the whole session."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["options"] = (query.get("options", "") + f" -c role={role}").strip()
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def bootstrap(migrate_url: str, say: Say = _say) -> None:
    """Create the four roles and the database; safe to run again. Says one line."""
    dbname = database_name(migrate_url)
    created: list[str] = []
    with connect(with_database(migrate_url, MAINTENANCE_DB)) as conn:
        _require_admin_rights(conn)
        for role in ROLES:
            exists = conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(role)))
                created.append(role)
            conn.execute(
                sql.SQL("ALTER ROLE {} {} NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                    sql.Identifier(role), ROLE_ATTRIBUTES[role]
                )
            )
        is_super = conn.execute(
            "select rolsuper from pg_roles where rolname = current_user"
        ).fetchone()[0]
        if not is_super:
            # A non-superuser migrator (a managed database's admin) must be able to act as owner.
            conn.execute(sql.SQL("GRANT {} TO current_user").format(sql.Identifier(OWNER)))
        new_database = create_database(conn, dbname)
    roles = f"created roles {', '.join(created)}" if created else "roles in place"
    database = f"created database {dbname}" if new_database else f"database {dbname} in place"
    say(f"bootstrap done: {roles}; {database}")


def _require_admin_rights(conn: psycopg.Connection) -> None:
    row = conn.execute(
        "select rolsuper, rolcreaterole, rolcreatedb, current_user from pg_roles "
        "where rolname = current_user"
    ).fetchone()
    is_super, create_role, create_db, user = row
    if not (is_super or (create_role and create_db)):
        raise CommandError(
            f"role {user} may not create roles and databases; "
            "bootstrap needs a superuser (set MIGRATE_DATABASE_URL)"
        )


def create_database(conn: psycopg.Connection, dbname: str, template: str | None = None) -> bool:
    """Create `dbname` owned by the owner role, with connect rights for the runtime roles only."""
    if conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
        return False
    statement = sql.SQL("CREATE DATABASE {} OWNER {}").format(
        sql.Identifier(dbname), sql.Identifier(OWNER)
    )
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    conn.execute(statement)
    # Database privileges are not copied from a template, so they are set on every creation.
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(dbname)))
    for role in RUNTIME_ROLES:
        conn.execute(
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(dbname), sql.Identifier(role)
            )
        )
    return True


def drop_database(conn: psycopg.Connection, dbname: str) -> None:
    conn.execute(
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where datname = %s and pid <> pg_backend_pid()",
        (dbname,),
    )
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(dbname)))


def migrate(migrate_url: str, say: Say = _say) -> None:
    """Apply pending migrations as the owner, then re-apply every function and policy file."""
    dbname = database_name(migrate_url)
    with connect(with_database(migrate_url, MAINTENANCE_DB)) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
            raise CommandError(
                f"database {dbname} does not exist; run `restartix db bootstrap` first"
            )
    files = apply_order()
    with connect(migrate_url) as conn:
        _create_optional_extensions(conn, say)
    applied = _apply_migrations(migrate_url)
    if applied:
        say(f"applied {applied} migration(s) to {dbname}")
    registry = classification.load_registry()
    with connect(migrate_url, autocommit=False, role=OWNER) as conn:
        # The registry first: the audit triggers attached by the policy files read it.
        classification.load_into_database(conn, registry)
        _sync_event_types(conn)
        for path in files:
            try:
                conn.execute(path.read_text())
            except psycopg.Error as exc:
                raise CommandError(
                    f"{path.relative_to(DB_DIR.parent)}: {_first_line(exc)}"
                ) from None
        conn.commit()
    say(f"re-applied {len(files)} function and policy file(s) to {dbname}")


def _sync_event_types(conn: psycopg.Connection) -> None:
    """events.event_types becomes the event catalogue the domains declare in Python."""
    from app.db.queries import catalogue
    from app.domains.events.catalog import PAYLOADS, description

    types = [
        {"type": p.TYPE, "version": p.VERSION, "description": description(p)} for p in PAYLOADS
    ]
    conn.execute(catalogue("events").event_types_sync.sql, {"types": Jsonb(types)})


def _create_optional_extensions(conn: psycopg.Connection, say: Say) -> None:
    available = {r[0] for r in conn.execute("select name from pg_available_extensions")}
    preloaded = conn.execute("show shared_preload_libraries").fetchone()[0]
    for ext in OPTIONAL_EXTENSIONS:
        if ext not in available:
            say(f"optional extension {ext} is not installed on this server; skipped")
        elif ext == "pg_stat_statements" and ext not in preloaded:
            say("optional extension pg_stat_statements is not in shared_preload_libraries; skipped")
        else:
            conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(ext)))


def _apply_migrations(migrate_url: str) -> int:
    from yoyo import get_backend, read_migrations
    from yoyo.exceptions import LockTimeout

    url = _with_role(migrate_url, OWNER).replace("postgresql://", "postgresql+psycopg://", 1)
    url = url.replace("postgres://", "postgresql+psycopg://", 1)
    try:
        backend = get_backend(url)
    except psycopg.Error as exc:
        raise CommandError(
            f"cannot open migrations on {server_label(migrate_url)}: {_first_line(exc)}"
        ) from None
    try:
        migrations = read_migrations(str(MIGRATIONS_DIR))
        with backend.lock():
            pending = backend.to_apply(migrations)
            try:
                backend.apply_migrations(pending)
            except psycopg.Error as exc:
                raise CommandError(f"migration failed: {_first_line(exc)}") from None
        return len(pending)
    except LockTimeout:
        raise CommandError("another migration holds the lock; try again when it finishes") from None
    finally:
        backend.connection.close()


def is_dev_database(dbname: str) -> bool:
    return bool(DEV_DATABASE_NAME.search(dbname))


def reset(migrate_url: str, *, dev_database: bool, say: Say = _say) -> None:
    """Drop and rebuild a dev or test database; refuses anything that does not say it is one."""
    dbname = database_name(migrate_url)
    if not (dev_database or is_dev_database(dbname)):
        raise CommandError(
            f"refusing to reset {dbname}: its name does not say dev/test; "
            "pass --dev-database if it really is a development database"
        )
    with connect(with_database(migrate_url, MAINTENANCE_DB)) as conn:
        _require_admin_rights(conn)
        drop_database(conn, dbname)
    say(f"dropped {dbname}")
    bootstrap(migrate_url, say)
    migrate(migrate_url, say)
