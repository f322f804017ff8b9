"""Development keys kept outside the repository: the JWT signing key that `make dev` trusts.

Production verifies tokens of the identity provider (AUTH_JWKS_URL or AUTH_PUBLIC_KEY); a
development machine has no provider, so `restartix dev-keys` generates an RSA key here and
`restartix dev-token` signs with it. Nothing in this directory is ever committed.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEV_ISSUER = "restartix-dev"


def data_dir() -> Path:
    base = os.environ.get("RESTARTIX_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "restartix"
    )
    return Path(base)


def jwt_key_path() -> Path:
    return data_dir() / "dev-jwt-signing-key.pem"


def ensure_jwt_key(path: Path | None = None) -> Path:
    """Create the dev signing key if it does not exist (mode 600); return its path."""
    path = path or jwt_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    return path


def load_private_key(path: Path | None = None) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key((path or jwt_key_path()).read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def public_pem(path: Path | None = None) -> str:
    return (
        load_private_key(path)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
