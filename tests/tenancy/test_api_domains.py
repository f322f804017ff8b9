"""Custom domains through the real app, verified against a real DNS server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import dns_server
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[dns_server.DnsServer]:
    with dns_server.running() as server:
        monkeypatch.setenv("DNS_NAMESERVERS", server.address)
        yield server


def _add(api: Api, org: Clinic, domain: str, as_: str | None = None) -> dict:
    response = api.post(org.url("/domains"), as_=as_ or org.owner, json={"domain": domain})
    assert response.status_code == 201, response.text
    return response.json()


def test_add_verify_primary_remove(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    added = _add(api, a, "Book.Clinic-A.example")
    assert added["domain"] == "book.clinic-a.example"
    assert added["verified_at"] is None and added["is_primary"] is False
    assert added["verification_record"] == "_restartix-verification.book.clinic-a.example"
    assert added["verification_value"].startswith("restartix-verification=")
    verify = a.url(f"/domains/{added['id']}/verify")

    # Nothing published yet: a real lookup happens and finds nothing.
    missing = api.post(verify, as_=a.owner)
    assert missing.status_code == 409
    assert error_code(missing) == "domain_not_verified"
    assert missing.json()["error"]["details"] == {
        "record": added["verification_record"],
        "value": added["verification_value"],
    }
    assert added["verification_record"] in dns.questions

    # A record with another value does not count.
    dns.publish(added["verification_record"], "restartix-verification=someone-elses-token")
    assert api.post(verify, as_=a.owner).status_code == 409

    # Primary needs a verified domain.
    not_yet = api.post(a.url(f"/domains/{added['id']}/primary"), as_=a.owner)
    assert not_yet.status_code == 409
    assert error_code(not_yet) == "domain_not_verified"

    dns.publish(added["verification_record"], added["verification_value"])
    verified = api.post(verify, as_=a.owner)
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified_at"] is not None

    primary = api.post(a.url(f"/domains/{added['id']}/primary"), as_=a.owner)
    assert primary.status_code == 200
    assert primary.json()["is_primary"] is True

    # A second verified domain made primary takes the flag from the first.
    second = _add(api, a, "www.clinic-a.example")
    dns.publish(second["verification_record"], second["verification_value"])
    assert api.post(a.url(f"/domains/{second['id']}/verify"), as_=a.owner).status_code == 200
    assert api.post(a.url(f"/domains/{second['id']}/primary"), as_=a.owner).status_code == 200
    listed = {d["domain"]: d["is_primary"] for d in api.get(a.url("/domains"), as_=a.owner).json()}
    assert listed == {"book.clinic-a.example": False, "www.clinic-a.example": True}

    removed = api.delete(a.url(f"/domains/{added['id']}"), as_=a.owner)
    assert removed.status_code == 204
    assert [d["domain"] for d in api.get(a.url("/domains"), as_=a.owner).json()] == [
        "www.clinic-a.example"
    ]
    again = api.delete(a.url(f"/domains/{added['id']}"), as_=a.owner)
    assert again.status_code == 404


def test_an_unreachable_dns_server_means_not_verified(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dns_server.running() as server:
        address = server.address
    monkeypatch.setenv("DNS_NAMESERVERS", address)  # stopped: nobody answers there now
    a = clinic(api, "clinic-a", roles=("owner",))
    added = _add(api, a, "book.clinic-a.example")
    response = api.post(a.url(f"/domains/{added['id']}/verify"), as_=a.owner)
    assert response.status_code == 409
    assert error_code(response) == "domain_not_verified"


def test_domain_rules(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    claimed = _add(api, a, "book.clinic-a.example")
    # A pending claim neither blocks nor reveals itself (issue 14, finding 6) ...
    _add(api, b, "book.clinic-a.example")
    twice = api.post(a.url("/domains"), as_=a.owner, json={"domain": "book.clinic-a.example"})
    assert twice.status_code == 409
    assert error_code(twice) == "domain_already_added"
    # ... but a verified domain belongs to one organization only, said with a stable code.
    api.sql(
        "UPDATE tenancy.organization_domains SET verified_at = now() WHERE id = %s",
        (claimed["id"],),
    )
    c = clinic(api, "clinic-c", roles=("owner",))
    taken = api.post(c.url("/domains"), as_=c.owner, json={"domain": "book.clinic-a.example"})
    assert taken.status_code == 409
    assert error_code(taken) == "domain_unavailable"
    # Shapes the request schema lets through but the table refuses.
    for bad in ("no-dot-here", "a..b.example", "-lead.example", "x.123"):
        response = api.post(a.url("/domains"), as_=a.owner, json={"domain": bad})
        assert response.status_code == 422, bad
        assert error_code(response) == "organization_domains_domain_format"
    for bad in ("has space.example", "ab", "x" * 254 + ".example", "ünï.example"):
        response = api.post(a.url("/domains"), as_=a.owner, json={"domain": bad})
        assert response.status_code == 400, bad
        assert error_code(response) == "validation_failed"
    # Custom domains are a paid feature: a clinic on the free tier is told so.
    free = clinic(api, "clinic-free", roles=("owner",), tier=None)
    upsell = api.post(free.url("/domains"), as_=free.owner, json={"domain": "free.example"})
    assert upsell.status_code == 402
    assert error_code(upsell) == "tier_entitlement_unavailable"


def test_domains_are_gated_by_domains_manage(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "receptionist"))
    own = _add(api, a, "book.clinic-a.example")
    dns.publish(own["verification_record"], own["verification_value"])
    # Everyone in the organization may look.
    assert api.get(a.url("/domains"), as_=a.receptionist).status_code == 200
    for method, path, body in (
        ("post", "/domains", {"domain": "x.clinic-a.example"}),
        ("post", f"/domains/{own['id']}/verify", None),
        ("post", f"/domains/{own['id']}/primary", None),
        ("delete", f"/domains/{own['id']}", None),
    ):
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(a.url(path), as_=a.receptionist, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert error_code(response) == "permission_denied"
    # An admin holds domains.manage.
    assert api.post(a.url(f"/domains/{own['id']}/verify"), as_=a.admin).status_code == 200
    assert _add(api, a, "y.clinic-a.example", as_=a.admin)["domain"] == "y.clinic-a.example"


def test_another_organizations_domain_is_not_found(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    theirs = _add(api, b, "book.clinic-b.example")
    dns.publish(theirs["verification_record"], theirs["verification_value"])
    for method, tail in (
        ("post", "/verify"),
        ("post", "/primary"),
        ("delete", ""),
    ):
        response = getattr(api, method)(a.url(f"/domains/{theirs['id']}{tail}"), as_=a.owner)
        assert response.status_code == 404, (method, tail, response.text)
    assert api.value(
        "SELECT verified_at IS NULL AND NOT is_primary FROM tenancy.organization_domains "
        "WHERE id = %s",
        (theirs["id"],),
    )
    assert [d["id"] for d in api.get(a.url("/domains"), as_=a.owner).json()] == []
