"""A local S3-compatible server (moto_server) over HTTP, started once per test session; it
answers KMS on the same port."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from app.config import Settings
from app.storage.client import ensure_bucket, open_store

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
