"""The webhook tests' receiver: a real HTTP server on loopback (port 8661), with the target
settings that let the sender reach it (plain HTTP, 127.0.0.1 allowed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.webhooks.receiver import Receiver

PORT = 8661


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setenv("RESTARTIX_WEBHOOKS_ALLOW_HTTP", "1")
    monkeypatch.setenv("RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1/32")
    server = HTTPServer(host="127.0.0.1", port=PORT, threaded=True)
    server.start()
    made = Receiver(server)
    for path in ("/a", "/a2", "/b"):
        server.expect_request(path).respond_with_handler(made.handle)
    try:
        yield made
    finally:
        server.clear()
        server.stop()
