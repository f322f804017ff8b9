"""Who is asking: the client address and the authenticated principal of a connection."""

from __future__ import annotations

import ipaddress

from litestar.types import Scope

# The authentication layer stores the verified principal here (`request.state.principal_id`).
PRINCIPAL_STATE_KEY = "principal_id"


def client_ip(scope: Scope) -> str:
    """The peer address as the ASGI server reports it, IPv6 reduced to its /64.

    A single IPv6 host usually controls a whole /64, so counting per address would let it
    rotate around any limit. Behind a proxy, the server (uvicorn `--proxy-headers` with
    `--forwarded-allow-ips`) is what rewrites the peer from `X-Forwarded-For`.
    """
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def principal_id(scope: Scope) -> str | None:
    value = (scope.get("state") or {}).get(PRINCIPAL_STATE_KEY)
    return str(value) if value else None
