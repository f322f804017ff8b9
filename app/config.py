"""Settings read from the environment, with defaults that point at a local server."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

DEFAULT_HOST = "127.0.0.1:5432"
DEFAULT_DATABASE = "restartix"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def with_database(url: str, database: str) -> str:
    """The same server and credentials as `url`, pointed at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or DEFAULT_DATABASE


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """`10.0.0.0/8, 192.0.2.7, fd00::/8` (commas or spaces) → networks; ValueError names
    the entry that is neither an address nor a network."""
    networks = []
    for item in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
    return tuple(networks)


def server_label(url: str) -> str:
    """host:port/db of a URL, with no credentials, for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "local socket"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "a malformed URL"
    return f"{host}{port}/{parts.path.lstrip('/')}"


@dataclass(frozen=True)
class Settings:
    migrate_database_url: str
    database_url: str
    system_database_url: str
    redis_url: str
    s3_endpoint_url: str
    s3_bucket: str
    s3_region: str
    auth_jwks_url: str
    auth_public_key: str
    auth_issuer: str
    auth_audience: str
    log_level: str
    # Shared by every API process: cursors made by one are read by another. Unset, each
    # `restartix serve` makes one for its own workers (cursors then end with the process).
    cursor_signing_key: str = ""
    # Server-side prepared statements (psycopg prepares a statement on its first run).
    # Behind pgbouncer in transaction mode they need pgbouncer >= 1.21 with
    # max_prepared_statements; set DB_PREPARED_STATEMENTS=off for an older one.
    db_prepared_statements: bool = True
    db_pool_size: int = 10
    # Proxies whose X-Forwarded-For is believed (addresses or networks); empty: none, the
    # peer of the connection is the client. `app.api.requester.client_ip` applies it.
    trusted_proxies: tuple[IPNetwork, ...] = ()
    # Prefix of every Redis key, so deployments (or a dev and a test run) sharing one Redis
    # never share state; empty: the database name of DATABASE_URL.
    redis_namespace: str = ""
    # Slot holds of the public booking page (app/domains/scheduling/holds.py): how long one
    # lives, and how many one client address may keep at once.
    hold_ttl_seconds: int = 600
    holds_per_client: int = 3

    @property
    def redis_prefix(self) -> str:
        return self.redis_namespace or database_name(self.database_url)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            migrate_database_url=_env(
                "MIGRATE_DATABASE_URL", f"postgresql://postgres@{DEFAULT_HOST}/{DEFAULT_DATABASE}"
            ),
            database_url=_env(
                "DATABASE_URL", f"postgresql://restartix_app@{DEFAULT_HOST}/{DEFAULT_DATABASE}"
            ),
            system_database_url=_env(
                "SYSTEM_DATABASE_URL",
                f"postgresql://restartix_system@{DEFAULT_HOST}/{DEFAULT_DATABASE}",
            ),
            redis_url=_env("REDIS_URL", "redis://127.0.0.1:6379/0"),
            s3_endpoint_url=_env("S3_ENDPOINT_URL", ""),
            s3_bucket=_env("S3_BUCKET", "restartix-dev"),
            s3_region=_env("S3_REGION", "eu-central-1"),
            auth_jwks_url=_env("AUTH_JWKS_URL", ""),
            auth_public_key=_env("AUTH_PUBLIC_KEY", ""),
            auth_issuer=_env("AUTH_ISSUER", "restartix-dev"),
            auth_audience=_env("AUTH_AUDIENCE", "restartix-core"),
            log_level=_env("LOG_LEVEL", "INFO"),
            cursor_signing_key=_env("CURSOR_SIGNING_KEY", ""),
            hold_ttl_seconds=int(_env("HOLD_TTL_SECONDS", "600")),
            holds_per_client=int(_env("HOLDS_PER_CLIENT", "3")),
            db_prepared_statements=_env("DB_PREPARED_STATEMENTS", "on").lower()
            not in ("off", "false", "0", "no"),
            db_pool_size=int(_env("DB_POOL_SIZE", "10")),
            trusted_proxies=parse_networks(_env("TRUSTED_PROXIES", "")),
            redis_namespace=_env("REDIS_NAMESPACE", ""),
        )
