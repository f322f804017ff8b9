"""A local S3-compatible server (moto_server) over HTTP, started once per test session (it
answers KMS on the same port), and what tests do with its bucket: upload, look, make files."""

from __future__ import annotations

import os
import secrets
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from botocore.exceptions import ClientError

from app.config import Settings
from app.domains.storage.client import ObjectStore, ensure_bucket, open_store

START_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str
    region: str

    def settings(self) -> Settings:
        return replace(
            Settings.from_env(),
            s3_endpoint_url=self.endpoint_url,
            s3_bucket=self.bucket,
            s3_region=self.region,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answering(url: str, proc: subprocess.Popen[bytes], log_path: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log_path, encoding="utf-8", errors="replace") as log:
                tail = log.read()[-2000:]
            pytest.fail(f"moto_server exited with {proc.returncode}:\n{tail}")
        try:
            # Only the loopback URL built above is opened here.
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"moto_server did not answer on {url} within {START_TIMEOUT_SECONDS}s")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto_server on a free loopback port, with a fresh bucket and generated credentials."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = S3Server(
        endpoint_url=endpoint,
        bucket=f"restartix-test-{secrets.token_hex(4)}",
        region="eu-central-1",
    )
    with tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False) as log:
        log_path = log.name
    with pytest.MonkeyPatch.context() as env, open(log_path, "wb") as log:
        # boto3 reads these standard variables; the values only need to be consistent.
        env.setenv("AWS_ACCESS_KEY_ID", "AKIA" + secrets.token_hex(8).upper())
        env.setenv("AWS_SECRET_ACCESS_KEY", secrets.token_urlsafe(30))
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.delenv("AWS_PROFILE", raising=False)
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_answering(f"{endpoint}/moto-api/", proc, log_path)
            ensure_bucket(open_store(server.settings()))
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.unlink(log_path)


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app under test stores in the session's S3 server (set before the app is built);
    a test module opts in with an autouse fixture that asks for this one."""
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_server.endpoint_url)
    monkeypatch.setenv("S3_BUCKET", s3_server.bucket)
    monkeypatch.setenv("S3_REGION", s3_server.region)


@pytest.fixture
def store(s3_server: S3Server) -> ObjectStore:
    """A client of the session's bucket."""
    return open_store(s3_server.settings())


# --- what a browser and a test do with the bucket ----------------------------------------


def png_bytes(width: int = 2, height: int = 2, *, noise: bool = False) -> bytes:
    """A valid PNG; with noise its pixels do not compress, so the size follows the dimensions."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = (lambda: os.urandom(width * 3)) if noise else (lambda: b"\xd0\x40\x20" * width)
    raw = b"".join(b"\x00" + row() for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 0 if noise else 9))
        + chunk(b"IEND", b"")
    )


def post_fields(url: str, fields: dict[str, str], content: bytes, content_type: str) -> int:
    """POST a file the way a browser form does; returns the HTTP status."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(  # noqa: S310 (loopback URL from our own presign)
        url,
        data=b"".join(parts),
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        # The URL is the loopback server's, from our own presigned POST.
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def exists(store: ObjectStore, key: str) -> bool:
    try:
        store.client.head_object(Bucket=store.bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return False
        raise
    return True
