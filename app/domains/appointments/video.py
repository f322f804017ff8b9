"""The video provider's REST API: the Daily.co subset the product uses.

Create a private room that expires (`POST /rooms`), delete it (`DELETE /rooms/{name}`), and
mint a meeting token for one participant (`POST /meeting-tokens`), each with the account's
API key as a Bearer token. The account is a Cat A provider row (docs/integrations.md): its
`config` may name `api_url` (default Daily's), its sealed credentials hold `api_key`.

Failures are classified for the retry schedule: no answer, 5xx and 429 are transient (retried);
any other 4xx, and an unusable account, are permanent (the room fails at once). Error texts
carry the status and the first bytes of the provider's answer, never the key.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

DAILY_API_URL = "https://api.daily.co/v1"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "RestartiX-Video/1"
SUPPORTED = frozenset({"daily"})


class ProviderError(Exception):
    """The provider refused or could not be reached; `permanent` says whether to retry."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message[:900])
        self.permanent = permanent


@dataclass(frozen=True)
class Account:
    api_url: str
    api_key: str

    def __repr__(self) -> str:  # the key never reaches a log line
        return f"Account(api_url={self.api_url!r})"

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.api_key}", "user-agent": USER_AGENT}


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def account(provider: str | None, config: Any, credentials: dict[str, str] | None) -> Account:
    """The account a provider row describes; ProviderError (permanent) when it cannot serve.

    The API address must be https, or http on loopback (a local stand-in); anything else
    would send the key in clear."""
    if provider not in SUPPORTED:
        raise ProviderError(
            f"provider_unsupported: {provider!r} is not a video provider this build speaks.",
            permanent=True,
        )
    key = (credentials or {}).get("api_key")
    if not key:
        raise ProviderError(
            "provider_credentials_missing: the provider account has no api_key.", permanent=True
        )
    url = (config or {}).get("api_url") if isinstance(config, dict) else None
    url = str(url or DAILY_API_URL).rstrip("/")
    parts = urlsplit(url)
    if not (
        parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname or ""))
    ):
        raise ProviderError(
            "provider_config_invalid: api_url must be https (or http on loopback).", permanent=True
        )
    return Account(url, key)


def _failure(what: str, response: httpx.Response) -> ProviderError:
    status = response.status_code
    transient = status >= 500 or status == 429
    return ProviderError(f"{what}: HTTP {status}: {response.text[:200]}", permanent=not transient)


def _unreachable(what: str, exc: httpx.HTTPError) -> ProviderError:
    return ProviderError(f"{what}: {type(exc).__name__}: {str(exc)[:200]}", permanent=False)


def _room_body(name: str, expires_at: datetime) -> dict[str, Any]:
    return {"name": name, "privacy": "private", "properties": {"exp": int(expires_at.timestamp())}}


def _token_body(
    room_name: str, expires_at: datetime, is_owner: bool, user_name: str
) -> dict[str, Any]:
    return {
        "properties": {
            "room_name": room_name,
            "exp": int(expires_at.timestamp()),
            "is_owner": is_owner,
            "user_name": user_name,
        }
    }


def create_room(client: httpx.Client, acct: Account, name: str, expires_at: datetime) -> str:
    """Creates a private room that expires at `expires_at`; returns its URL."""
    try:
        response = client.post(
            f"{acct.api_url}/rooms", json=_room_body(name, expires_at), headers=acct.headers()
        )
    except httpx.HTTPError as exc:
        raise _unreachable("create_room", exc) from None
    if response.status_code != 200:
        raise _failure("create_room", response)
    try:
        url = response.json()["url"]
    except (ValueError, KeyError, TypeError):
        raise ProviderError("create_room: the answer has no room url.", permanent=False) from None
    if not isinstance(url, str) or not 1 <= len(url) <= 500:
        raise ProviderError(
            "create_room: the room url is not a string of 1 to 500 characters.", permanent=False
        )
    return url


def delete_room(client: httpx.Client, acct: Account, name: str) -> None:
    """Deletes a room; one that does not exist (404) is already deleted."""
    try:
        response = client.delete(
            f"{acct.api_url}/rooms/{quote(name, safe='')}", headers=acct.headers()
        )
    except httpx.HTTPError as exc:
        raise _unreachable("delete_room", exc) from None
    if response.status_code not in (200, 404):
        raise _failure("delete_room", response)


async def meeting_token(
    client: httpx.AsyncClient,
    acct: Account,
    room_name: str,
    expires_at: datetime,
    *,
    is_owner: bool,
    user_name: str,
) -> str:
    """A token to join a private room as its owner (the clinic) or a participant (the patient)."""
    try:
        response = await client.post(
            f"{acct.api_url}/meeting-tokens",
            json=_token_body(room_name, expires_at, is_owner, user_name),
            headers=acct.headers(),
        )
    except httpx.HTTPError as exc:
        raise _unreachable("meeting_token", exc) from None
    if response.status_code != 200:
        raise _failure("meeting_token", response)
    try:
        token = response.json()["token"]
    except (ValueError, KeyError, TypeError):
        raise ProviderError("meeting_token: the answer has no token.", permanent=False) from None
    if not isinstance(token, str) or not token:
        raise ProviderError("meeting_token: the token is empty.", permanent=False)
    return token
