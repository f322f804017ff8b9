"""The real API against a fresh database and the real Redis, with tokens minted by a key
pair generated for the test run (never a committed key)."""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import jwt
import psycopg
import pytest
import redis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar.testing import TestClient

from app.api.main import create_app
from app.config import Settings
from tests.databases import ScratchDatabase

ISSUER = "https://idp.restartix.test/"
AUDIENCE = "restartix-core-test"


@cache
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem() -> str:
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def mint(
    email: str, *, sub: str | None = None, key: rsa.RSAPrivateKey | None = None, **claims: Any
) -> str:
    now = int(time.time())
    payload = {
        "sub": sub or f"test|{email}",
        "email": email,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        **claims,
    }
    return jwt.encode(payload, key or signing_key(), algorithm="RS256")


@dataclass
class Api:
    client: TestClient
    db: ScratchDatabase

    def sql(self, query: str, params: Any = None) -> list[tuple]:
        """Run SQL as the test's superuser (setup and checks, never the code under test)."""
        with psycopg.connect(self.db.owner_url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, params: Any = None) -> Any:
        rows = self.sql(query, params)
        return rows[0][0] if rows else None

    def human(self, email: str) -> str:
        return str(self.value("SELECT tests.create_human(%s)", (email,)))

    def org(self, slug: str) -> str:
        return str(self.value("SELECT tests.create_org(%s)", (slug,)))

    def member(self, org_id: str, principal_id: str, role: str, status: str = "active") -> str:
        return str(
            self.value(
                "SELECT tests.add_member(%s, %s, %s, %s)", (org_id, principal_id, role, status)
            )
        )

    def platform(self, principal_id: str, role: str = "superadmin") -> None:
        self.sql("SELECT tests.make_platform(%s, %s)", (principal_id, role))

    def headers(self, email: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint(email)}", **extra}

    def get(self, path: str, as_: str | None = None, **kwargs: Any):
        return self.client.get(path, headers=self._h(as_, kwargs), **kwargs)

    def post(self, path: str, as_: str | None = None, **kwargs: Any):
        return self.client.post(path, headers=self._h(as_, kwargs), **kwargs)

    def patch(self, path: str, as_: str | None = None, **kwargs: Any):
        return self.client.patch(path, headers=self._h(as_, kwargs), **kwargs)

    def put(self, path: str, as_: str | None = None, **kwargs: Any):
        return self.client.put(path, headers=self._h(as_, kwargs), **kwargs)

    def delete(self, path: str, as_: str | None = None, **kwargs: Any):
        return self.client.delete(path, headers=self._h(as_, kwargs), **kwargs)

    def _h(self, as_: str | None, kwargs: dict[str, Any]) -> dict[str, str]:
        headers = dict(kwargs.pop("headers", {}) or {})
        if as_ is not None:
            headers.setdefault("Authorization", f"Bearer {mint(as_)}")
        return headers


def api_settings(db: ScratchDatabase, redis_db: int) -> Settings:
    return replace(
        Settings.from_env(),
        database_url=db.app_url,
        system_database_url=db.system_url,
        migrate_database_url=db.owner_url,
        redis_url=f"redis://127.0.0.1:6379/{redis_db}",
        auth_public_key=public_pem(),
        auth_jwks_url="",
        auth_issuer=ISSUER,
        auth_audience=AUDIENCE,
    )


# Redis database 13 is the API tests' own; each test starts with it empty.
# Concurrent runs on one machine each take their own (TEST_REDIS_DB=n).
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "13"))


@pytest.fixture
def api(fresh_database: ScratchDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    # A key-encryption key made for this test only; encrypted columns round-trip under it.
    monkeypatch.setenv("ENCRYPTION_PROVIDER", "local")
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK", base64.b64encode(os.urandom(32)).decode())
    monkeypatch.setenv("RATE_LIMIT_PUBLIC", "1000/minute")
    monkeypatch.setenv("RATE_LIMIT_AUTH", "1000/minute")
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}").flushdb()
    app = create_app(api_settings(fresh_database, TEST_REDIS_DB))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, fresh_database)


def new_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@clinic.test"
