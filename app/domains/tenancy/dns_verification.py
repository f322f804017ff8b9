"""Domain ownership: the clinic publishes a TXT record, we look it up before trusting it.

Record: `_restartix-verification.<domain>  TXT  "restartix-verification=<token>"`.
The resolver is the system's unless DNS_NAMESERVERS (host[:port], comma-separated) says
otherwise, which is how tests point it at a DNS server they run on loopback.
"""

from __future__ import annotations

import os

import dns.asyncresolver
import dns.exception
import dns.resolver

RECORD_PREFIX = "_restartix-verification"
VALUE_PREFIX = "restartix-verification="
TIMEOUT_SECONDS = 3.0


def record_name(domain: str) -> str:
    return f"{RECORD_PREFIX}.{domain}"


def expected_value(token: str) -> str:
    return VALUE_PREFIX + token


def _resolver() -> dns.asyncresolver.Resolver:
    configured = os.environ.get("DNS_NAMESERVERS", "").strip()
    resolver = dns.asyncresolver.Resolver(configure=not configured)
    if configured:
        first = configured.split(",")[0].strip()
        host, _, port = first.rpartition(":") if first.count(":") == 1 else (first, "", "")
        resolver.nameservers = [host or first]
        resolver.port = int(port) if port else 53
    resolver.lifetime = TIMEOUT_SECONDS
    return resolver


async def has_verification_record(domain: str, token: str) -> bool:
    """Whether the domain publishes its verification token; any DNS failure means no."""
    try:
        answer = await _resolver().resolve(record_name(domain), "TXT")
    except (TimeoutError, dns.exception.DNSException, OSError):
        return False
    wanted = expected_value(token)
    return any(b"".join(rdata.strings).decode(errors="replace") == wanted for rdata in answer)
