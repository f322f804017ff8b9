"""HTTPS delivery to the checked address with the name as SNI: a real TLS receiver on loopback
with a certificate made for this test. The sender connects to 127.0.0.1 (the address it
checked) and verifies the certificate against the URL's name; a certificate for another name
is a `tls` failure, and nothing is received."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from app.domains.webhooks import safety
from tests.webhooks.receiver import Receiver
from workers.consumers.webhooks import _client, deliver

PORT = 8662


def _certificate(tmp: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / f"{name}.pem", tmp / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _server(cert: Path, key: Path) -> HTTPServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=PORT, ssl_context=context, threaded=True)
    server.start()
    return server


@pytest.fixture
def policy() -> Iterator[safety.Policy]:
    yield safety.Policy(allowed=(ipaddress.ip_network("127.0.0.1/32"),))


def test_https_goes_to_the_checked_address_with_the_name_for_sni(
    tmp_path: Path, policy: safety.Policy
) -> None:
    cert, key = _certificate(tmp_path, "localhost")
    server = _server(cert, key)
    receiver = Receiver(server)
    server.expect_request("/a").respond_with_handler(receiver.handle)
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        outcome = deliver(
            _client(5.0, trusted),
            f"https://localhost:{PORT}/a",
            {"webhook-id": "msg_1", "content-type": "application/json"},
            b'{"event_id": "e1"}',
            policy,
        )
        assert (outcome.status, outcome.error_class) == (204, None), outcome
        (got,) = receiver.at("/a")
        assert got.headers["host"] == f"localhost:{PORT}"
    finally:
        server.clear()
        server.stop()


def test_a_certificate_for_another_name_is_a_tls_failure(
    tmp_path: Path, policy: safety.Policy
) -> None:
    cert, key = _certificate(tmp_path, "other.example")
    server = _server(cert, key)
    receiver = Receiver(server)
    server.expect_request("/a").respond_with_handler(receiver.handle)
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        outcome = deliver(
            _client(5.0, trusted),
            f"https://localhost:{PORT}/a",
            {"webhook-id": "msg_1"},
            b"{}",
            policy,
        )
        assert outcome.error_class == "tls", outcome
        assert receiver.received == []
    finally:
        server.clear()
        server.stop()
