"""Encryption settings read from the environment: which key provider, and where its KEK lives."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from app.crypto.errors import ConfigurationError

PROVIDERS = ("local", "kms")
DEFAULT_CACHE_SECONDS = 60.0


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def default_kek_file() -> Path:
    """In the user's data directory (next to the dev JWT key), so a KEK never lands in the repo."""
    data_dir = _env("RESTARTIX_DATA_DIR")
    if data_dir:
        return Path(data_dir).expanduser() / "local-kek.json"
    base = Path(_env("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "restartix" / "local-kek.json"


@dataclass(frozen=True)
class CryptoSettings:
    provider: str = "local"
    # Comma-separated base64 KEKs, newest first; a secret, so kept out of repr.
    local_kek: str = field(default="", repr=False)
    local_kek_file: Path = field(default_factory=default_kek_file)
    kms_endpoint_url: str = ""
    kms_key_id: str = ""
    kms_region: str = "eu-central-1"
    key_cache_seconds: float = DEFAULT_CACHE_SECONDS

    @classmethod
    def from_env(cls) -> CryptoSettings:
        provider = _env("ENCRYPTION_PROVIDER", "local").lower()
        if provider not in PROVIDERS:
            raise ConfigurationError(
                f"ENCRYPTION_PROVIDER is {provider!r}; expected one of {', '.join(PROVIDERS)}"
            )
        raw_ttl = _env("ENCRYPTION_KEY_CACHE_SECONDS", str(DEFAULT_CACHE_SECONDS))
        try:
            ttl = float(raw_ttl)
        except ValueError:
            ttl = -1.0
        if not 0 <= ttl <= 3600:
            raise ConfigurationError(
                f"ENCRYPTION_KEY_CACHE_SECONDS is {raw_ttl!r}; expected seconds between 0 and 3600"
            )
        kek_file = _env("ENCRYPTION_LOCAL_KEK_FILE")
        return cls(
            provider=provider,
            local_kek=_env("ENCRYPTION_LOCAL_KEK"),
            local_kek_file=Path(kek_file).expanduser() if kek_file else default_kek_file(),
            kms_endpoint_url=_env("KMS_ENDPOINT_URL"),
            kms_key_id=_env("KMS_KEY_ID"),
            kms_region=_env("KMS_REGION")
            or _env("AWS_REGION")
            or _env("AWS_DEFAULT_REGION")
            or "eu-central-1",
            key_cache_seconds=ttl,
        )
