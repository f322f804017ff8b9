"""Where a webhook may go (SSRF safety), shared by the API (at create and change) and the sender
(at every attempt, on the address it actually connects to).

- HTTPS only, unless `RESTARTIX_WEBHOOKS_ALLOW_HTTP=1` (development).
- No private, loopback, link-local (cloud metadata lives there), multicast, reserved or
  unspecified address, unless `RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS` (comma-separated
  addresses or CIDR networks) names it: tests allow 127.0.0.1, an on-premise receiver its own.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Metadata services that are reachable on non-link-local addresses on some clouds.
METADATA = (ipaddress.ip_network("fd00:ec2::254/128"), ipaddress.ip_network("100.100.100.200/32"))


class UnsafeTarget(ValueError):
    """A URL or address a webhook may not be sent to; the message says why."""


@dataclass(frozen=True)
class Policy:
    allow_http: bool = False
    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_env(cls) -> Policy:
        allow_http = os.environ.get("RESTARTIX_WEBHOOKS_ALLOW_HTTP", "") in ("1", "true", "yes")
        raw = os.environ.get("RESTARTIX_WEBHOOKS_ALLOWED_NETWORKS", "")
        allowed = []
        for item in raw.split(","):
            if item.strip():
                allowed.append(ipaddress.ip_network(item.strip(), strict=False))
        return cls(allow_http, tuple(allowed))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name (or literal address) of the URL, for Host and SNI
    port: int
    path: str  # path and query


def parse(url: str, policy: Policy) -> Target:
    """The URL's parts, or UnsafeTarget when its scheme or form is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("https", "http"):
        raise UnsafeTarget("the URL must be https")
    if parts.scheme == "http" and not policy.allow_http:
        raise UnsafeTarget("the URL must be https (plain http is for development only)")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeTarget("the URL needs a host and no user information")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, parts.hostname, port or default, path)


def address_allowed(address: IpAddress, policy: Policy) -> bool:
    if any(address in network for network in policy.allowed):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address_allowed(address.ipv4_mapped, policy)
    if any(address in network for network in METADATA):
        return False
    return address.is_global and not address.is_multicast


def check_address(address: IpAddress, policy: Policy) -> None:
    if not address_allowed(address, policy):
        raise UnsafeTarget(
            f"{address} is a private, loopback, link-local, multicast or reserved address"
        )


def literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(target: Target, policy: Policy) -> IpAddress:
    """The one address to connect to: every address the name has must be allowed (a name
    mixing public and private addresses is refused), and the first is used."""
    address = literal(target.host)
    if address is not None:
        check_address(address, policy)
        return address
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise LookupError(f"cannot resolve {target.host}: {exc}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not addresses:
        raise LookupError(f"{target.host} has no address")
    for candidate in addresses:
        check_address(candidate, policy)
    return addresses[0]


def check_url(url: str, policy: Policy | None = None) -> None:
    """At create or change: the scheme, and the address when the host is a literal or resolves
    now (a name that does not resolve yet is checked again at every attempt)."""
    policy = policy or Policy.from_env()
    target = parse(url, policy)
    try:
        resolve(target, policy)
    except LookupError:
        return
