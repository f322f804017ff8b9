"""Which addresses and URLs a webhook may target, without a network: the rules the API and
the sender share (app/domains/webhooks/safety.py)."""

from __future__ import annotations

import ipaddress

import pytest

from app.domains.webhooks import safety

STRICT = safety.Policy()
LOOPBACK_ALLOWED = safety.Policy(allowed=(ipaddress.ip_network("127.0.0.1/32"),))


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "127.8.8.8",
        "169.254.169.254",  # cloud metadata (link-local)
        "100.100.100.200",  # a metadata service on a shared address
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 (an address refused, not one bound to)
        "224.0.0.1",  # multicast
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",  # AWS metadata over IPv6
        "ff02::1",
        "::ffff:10.0.0.1",  # a private IPv4 mapped into IPv6
        "::ffff:127.0.0.1",
    ],
)
def test_private_loopback_link_local_multicast_and_metadata_are_refused(address: str) -> None:
    assert not safety.address_allowed(ipaddress.ip_address(address), STRICT)
    with pytest.raises(safety.UnsafeTarget):
        safety.check_address(ipaddress.ip_address(address), STRICT)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert safety.address_allowed(ipaddress.ip_address(address), STRICT)


def test_the_allow_list_opens_exactly_what_it_names() -> None:
    assert safety.address_allowed(ipaddress.ip_address("127.0.0.1"), LOOPBACK_ALLOWED)
    assert safety.address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), LOOPBACK_ALLOWED)
    assert not safety.address_allowed(ipaddress.ip_address("127.0.0.2"), LOOPBACK_ALLOWED)
    assert not safety.address_allowed(ipaddress.ip_address("10.0.0.1"), LOOPBACK_ALLOWED)


def test_urls_must_be_https_with_a_host_and_no_credentials() -> None:
    target = safety.parse("https://hooks.example.com:8443/in?x=1", STRICT)
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "hooks.example.com",
        8443,
        "/in?x=1",
    )
    for url in ("http://hooks.example.com/", "ftp://x.example.com/", "https://u:p@x.example.com/"):
        with pytest.raises(safety.UnsafeTarget):
            safety.parse(url, STRICT)
    assert safety.parse("http://hooks.example.com/", safety.Policy(allow_http=True)).port == 80


def test_a_name_resolving_to_a_refused_address_is_refused() -> None:
    with pytest.raises(safety.UnsafeTarget):
        safety.resolve(safety.parse("https://localhost/", STRICT), STRICT)
    assert str(safety.resolve(safety.parse("https://localhost/", STRICT), LOOPBACK_ALLOWED)) == (
        "127.0.0.1"
    )


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESTARTIX_WEBHOOKS_ALLOW_HTTP", "1")
    monkeypatch.setenv("RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.1, 10.1.0.0/16")
    policy = safety.Policy.from_env()
    assert policy.allow_http
    assert policy.allowed == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.1.0.0/16"),
    )
