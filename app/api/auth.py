"""Bearer-token authentication: verify the identity provider's JWT, map `sub` to a human.

The first verified sight of a subject provisions its principal and human (through the system
pool, so the audit log records the provisioning). Invalid or expired tokens are answered with
401 at once; a blocked human with 403 on every authenticated route.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from psycopg import AsyncConnection
from psycopg.rows import kwargs_row
from psycopg_pool import AsyncConnectionPool

from app import devkeys
from app.api.errors import ApiError
from app.api.requester import PRINCIPAL_STATE_KEY
from app.config import Settings
from app.db.queries import catalogue

log = logging.getLogger("restartix.auth")

LEEWAY_SECONDS = 30
ALGORITHMS = ["RS256"]
MAX_TOKEN_LENGTH = 8192
# iam.humans.idp_subject holds 1 to 255 characters. A longer subject is refused, never cut:
# two subjects sharing a prefix would otherwise sign in as one human.
MAX_SUBJECT_LENGTH = 255
# The rule of the humans_email_valid constraint, checked before the insert so a malformed
# email is an invalid token, never a constraint error.
MAX_EMAIL_LENGTH = 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Identity:
    principal_id: str
    email: str


class IdentityCache:
    """Verified tokens and subject → human, per process, for a short time.

    Serving a repeated token from here saves the signature check and the identity lookup
    on every request. Whether the human is blocked is never cached: `iam.begin_request`
    answers it on every request, and a blocked answer drops the entry at once.
    """

    def __init__(self, ttl_seconds: float = 60.0, max_entries: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._tokens: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._subjects: OrderedDict[str, tuple[float, Identity]] = OrderedDict()

    @staticmethod
    def _get(entries: OrderedDict, key: str) -> Any:
        entry = entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            entries.pop(key, None)
            return None
        return entry[1]

    def _put(self, entries: OrderedDict, key: str, value: Any, ttl: float) -> None:
        entries[key] = (time.monotonic() + ttl, value)
        entries.move_to_end(key)
        while len(entries) > self.max_entries:
            entries.popitem(last=False)

    def claims(self, token: str) -> dict[str, Any] | None:
        return self._get(self._tokens, token)

    def remember_claims(self, token: str, claims: dict[str, Any]) -> None:
        # Never past the token's own expiry (claims carry `exp` in epoch seconds).
        left = float(claims["exp"]) - time.time()
        if left > 0:
            self._put(self._tokens, token, claims, min(self.ttl, left))

    def identity(self, subject: str) -> Identity | None:
        return self._get(self._subjects, subject)

    def remember(self, subject: str, identity: Identity) -> None:
        self._put(self._subjects, subject, identity, self.ttl)

    def forget(self, identity: Identity) -> None:
        for subject, (_, cached) in list(self._subjects.items()):
            if cached.principal_id == identity.principal_id:
                self._subjects.pop(subject, None)


class TokenVerifier:
    """Checks signature, issuer, audience, expiry and not-before of a bearer token."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.auth_issuer
        self.audience = settings.auth_audience
        self._jwks = (
            jwt.PyJWKClient(settings.auth_jwks_url, cache_keys=True, lifespan=300)
            if settings.auth_jwks_url
            else None
        )
        self._key: Any = settings.auth_public_key or None
        if not self._jwks and not self._key and devkeys.jwt_key_path().exists():
            # A development machine without an identity provider trusts its own dev key.
            self._key = devkeys.public_pem()
        if not self._jwks and not self._key:
            log.warning("no AUTH_JWKS_URL or AUTH_PUBLIC_KEY configured: every token is refused")

    async def verify(self, token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_LENGTH:
            raise ApiError(401, "invalid_token", "The access token is not valid.")
        try:
            if self._jwks is not None:
                # PyJWKClient fetches (and on an unknown key id, refetches) synchronously.
                signing = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
                key = signing.key
            elif self._key is not None:
                key = self._key
            else:
                raise jwt.InvalidTokenError("no verification key configured")
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise ApiError(401, "token_expired", "The access token has expired.") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError, ValueError):
            raise ApiError(401, "invalid_token", "The access token is not valid.") from None
        subject_of(claims)  # a subject the column cannot hold never reaches the cache
        return claims


def subject_of(claims: dict[str, Any]) -> str:
    """The token's subject as stored, or 401 `invalid_token`: never truncated."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 1 <= len(subject) <= MAX_SUBJECT_LENGTH:
        raise ApiError(401, "invalid_token", "The access token is not valid.")
    return subject


def _provisioning_email(claims: dict[str, Any]) -> str:
    """The email a first sign-in provisions with: present, well formed and not declared
    unverified by the identity provider (a token without `email_verified` is trusted as
    the provider's own sign-in)."""
    email = claims.get("email")
    if not isinstance(email, str) or len(email) > MAX_EMAIL_LENGTH or not EMAIL.match(email):
        raise ApiError(401, "invalid_token", "The access token carries no usable email.")
    if claims.get("email_verified") is False:
        raise ApiError(
            403,
            "email_not_verified",
            "Verify your email address with your sign-in provider, then sign in again.",
        )
    return email


Q = catalogue("iam")


async def resolve_identity(
    pool: AsyncConnectionPool, claims: dict[str, Any], request_id: str
) -> Identity:
    """The human behind verified claims, provisioned on first sight."""
    subject = subject_of(claims)
    async with pool.connection() as conn:
        found = await _lookup(conn, subject)
        await conn.rollback()
        if found:
            return found
        email = _provisioning_email(claims)
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        locale = claims.get("locale") if claims.get("locale") in ("en", "ro") else "en"
        try:
            cursor = await conn.execute(
                Q.provision_human.sql,
                {
                    "request_id": request_id,
                    "sub": subject,
                    "email": email,
                    "name": name[:200],
                    "locale": locale,
                },
            )
            principal_id = (await cursor.fetchone())[0]
            await conn.commit()
        except Exception as exc:
            await conn.rollback()
            sqlstate = getattr(exc, "sqlstate", None) or ""
            if sqlstate == "23514" or sqlstate.startswith("22"):
                # A claim the table refuses (a check or a data error): the token's fault.
                raise ApiError(
                    401, "invalid_token", "The access token carries no usable identity."
                ) from None
            if sqlstate == "23505":
                # Either a concurrent first request won the race, or the email is another
                # subject's: look again, and refuse to merge identities silently.
                found = await _lookup(conn, subject)
                await conn.rollback()
                if found:
                    return found
                raise ApiError(
                    403, "identity_conflict", "This email belongs to another sign-in identity."
                ) from None
            raise
        log.info("provisioned a human on first sign-in", extra={"principal_id": principal_id})
        return Identity(principal_id, email)


async def _lookup(conn: AsyncConnection, subject: str) -> Identity | None:
    async with conn.cursor(row_factory=kwargs_row(Identity)) as cursor:
        await cursor.execute(Q.human_by_subject.sql, {"sub": subject})
        return await cursor.fetchone()


class AuthenticationMiddleware(ASGIMiddleware):
    """Verifies a bearer token when one is sent and records who is asking on the scope."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        header = None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                header = value.decode("latin-1")
                break
        if header is not None:
            from litestar import Request

            request: Request = Request(scope, receive)
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "invalid_token", "Send the token as `Authorization: Bearer`.")
            resources = scope["app"].state.resources
            token = token.strip()
            cache: IdentityCache = resources.identities
            claims = cache.claims(token)
            if claims is None:
                claims = await resources.verifier.verify(token)
                cache.remember_claims(token, claims)
            subject = subject_of(claims)
            identity = cache.identity(subject)
            if identity is None:
                from app.api.errors import request_id_of

                identity = await resolve_identity(
                    resources.system_pool, claims, request_id_of(request)
                )
                cache.remember(subject, identity)
            scope["state"][PRINCIPAL_STATE_KEY] = identity.principal_id
            scope["state"]["identity"] = identity
        await next_app(scope, receive, send)


def current_identity(connection: ASGIConnection) -> Identity:
    identity = connection.scope["state"].get("identity")
    if identity is None:
        raise ApiError(401, "unauthenticated", "Sign in to continue.")
    return identity


async def require_human(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: an authenticated human (whether blocked, `iam.begin_request` answers, uncached)."""
    current_identity(connection)
