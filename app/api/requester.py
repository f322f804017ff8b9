"""Who is asking: the client address and the authenticated principal of a connection."""

from __future__ import annotations

import ipaddress

from litestar.types import Scope

# The authentication layer stores the verified principal here (`request.state.principal_id`).
PRINCIPAL_STATE_KEY = "principal_id"


def client_ip(scope: Scope) -> str:
    """The client's address, IPv6 reduced to its /64: the one place that decides it.

    Rate limits, idempotency scopes, the audit log (`app.client_ip`) and consent evidence
    all read it from here. The connection's peer is the client, unless the peer is one of
    the configured proxies (`TRUSTED_PROXIES`, none by default): then `X-Forwarded-For` is
    read from the right, skipping trusted proxies, and the first address that is not one is
    the client. Whatever a client writes to the left of that is never believed. `restartix
    serve` keeps uvicorn's own proxy-header rewriting off, so the peer here is the real one.

    A single IPv6 host usually controls a whole /64, so counting per address would let it
    rotate around any limit.
    """
    host = peer_address(scope)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def peer_address(scope: Scope) -> str:
    """The client's full address: the peer, or, behind trusted proxies, the forwarded one."""
    client = scope.get("client")
    host = client[0] if client else ""
    trusted = _trusted_proxies(scope)
    if not trusted:
        return host
    hops = _forwarded_for(scope)
    current = _address(host)
    while current is not None and hops and _within(current, trusted):
        previous = _address(hops.pop())
        if previous is None:  # not an address: a client wrote it, so stop at the proxy
            break
        current = previous
    return host if current is None else str(current)


def _trusted_proxies(scope: Scope) -> tuple:
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None) if app else None
    return getattr(settings, "trusted_proxies", ()) or ()


def _forwarded_for(scope: Scope) -> list[str]:
    """Every X-Forwarded-For entry, in order, across repeated headers."""
    entries: list[str] = []
    for name, value in scope.get("headers", ()):
        if name.lower() == b"x-forwarded-for":
            entries += [e.strip() for e in value.decode("latin-1").split(",") if e.strip()]
    return entries


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1` or `[2001:db8::1]:80`."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _within(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def principal_id(scope: Scope) -> str | None:
    value = (scope.get("state") or {}).get(PRINCIPAL_STATE_KEY)
    return str(value) if value else None
