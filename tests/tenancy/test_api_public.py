"""The public resolve route through the real app: host and slug lookups, suspended clinics,
the Redis cache and its invalidation, and the per-address rate limit."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from litestar.testing import TestClient

from app.api.main import create_app
from tests import dns_server
from tests.api_client import TEST_REDIS_DB, Api, api_settings
from tests.api_world import Clinic, clinic, error_code
from tests.databases import ScratchDatabase

ROOT = "root@platform.test"


def _resolve(api: Api, **params: str):
    return api.get("/v1/public/resolve", params=params)


def _verified_domain(api: Api, org: Clinic, dns: dns_server.DnsServer, domain: str) -> dict:
    added = api.post(org.url("/domains"), as_=org.owner, json={"domain": domain}).json()
    dns.publish(added["verification_record"], added["verification_value"])
    verified = api.post(org.url(f"/domains/{added['id']}/verify"), as_=org.owner)
    assert verified.status_code == 200, verified.text
    return verified.json()


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[dns_server.DnsServer]:
    with dns_server.running() as server:
        monkeypatch.setenv("DNS_NAMESERVERS", server.address)
        yield server


def test_resolve_by_slug_and_host(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    by_slug = _resolve(api, slug="clinic-a")
    assert by_slug.status_code == 200, by_slug.text
    assert by_slug.json() == {
        "id": a.id,
        "slug": "clinic-a",
        "name": "Clinic A",
        "primary_domain": None,
    }
    assert _resolve(api, slug=" Clinic-A ").json()["id"] == a.id

    unverified = api.post(a.url("/domains"), as_=a.owner, json={"domain": "x.clinic-a.example"})
    assert unverified.status_code == 201
    assert _resolve(api, host="x.clinic-a.example").status_code == 404

    domain = _verified_domain(api, a, dns, "book.clinic-a.example")
    api.post(a.url(f"/domains/{domain['id']}/primary"), as_=a.owner)
    for host in ("book.clinic-a.example", "BOOK.clinic-a.example.", "book.clinic-a.example:443"):
        found = _resolve(api, host=host)
        assert found.status_code == 200, host
        assert found.json()["primary_domain"] == "book.clinic-a.example"

    for params in ({"slug": "nobody-here"}, {"host": "nowhere.example"}):
        missing = _resolve(api, **params)
        assert missing.status_code == 404
        assert error_code(missing) == "organization_not_found"
    for params in ({}, {"slug": "clinic-a", "host": "book.clinic-a.example"}, {"slug": "s" * 64}):
        bad = _resolve(api, **params)
        assert bad.status_code == 400, params
        assert error_code(bad) == "validation_failed"


def test_suspended_organizations_do_not_resolve(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    _verified_domain(api, a, dns, "book.clinic-a.example")
    assert _resolve(api, slug="clinic-a").status_code == 200
    assert _resolve(api, host="book.clinic-a.example").status_code == 200
    api.platform(api.human(ROOT), "superadmin")
    assert api.patch(a.url(), as_=ROOT, json={"status": "suspended"}).status_code == 200
    # The change went through the API, so the cached answers are gone at once.
    assert _resolve(api, slug="clinic-a").status_code == 404
    assert _resolve(api, host="book.clinic-a.example").status_code == 404
    assert api.patch(a.url(), as_=ROOT, json={"status": "active"}).status_code == 200
    assert _resolve(api, slug="clinic-a").status_code == 200


def test_cache_aside_and_invalidation(api: Api, dns: dns_server.DnsServer) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    assert _resolve(api, slug="clinic-a").json()["name"] == "Clinic A"
    cache = redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    ns = api.client.app.state.settings.redis_prefix
    assert cache.exists(f"{ns}:resolve:slug:clinic-a")
    assert cache.sismember(f"{ns}:resolve:org:{a.id}", f"{ns}:resolve:slug:clinic-a")

    # A change behind the API's back is not seen until the entry expires: the cache is real.
    api.sql("UPDATE tenancy.organizations SET name = 'Changed In SQL' WHERE id = %s", (a.id,))
    assert _resolve(api, slug="clinic-a").json()["name"] == "Clinic A"
    # A rename through the API invalidates the organization's entries after commit.
    assert api.patch(a.url(), as_=a.owner, json={"name": "Clinica A"}).status_code == 200
    assert _resolve(api, slug="clinic-a").json()["name"] == "Clinica A"

    # A host looked up before it was verified is cached as a miss; verifying it must drop
    # that miss, or the clinic's new domain would stay dark for the cache lifetime.
    assert _resolve(api, host="book.clinic-a.example").status_code == 404
    domain = _verified_domain(api, a, dns, "book.clinic-a.example")
    assert _resolve(api, host="book.clinic-a.example").json()["id"] == a.id
    # Primary and removal show up at once too.
    api.post(a.url(f"/domains/{domain['id']}/primary"), as_=a.owner)
    assert _resolve(api, slug="clinic-a").json()["primary_domain"] == "book.clinic-a.example"
    assert api.delete(a.url(f"/domains/{domain['id']}"), as_=a.owner).status_code == 204
    assert _resolve(api, host="book.clinic-a.example").status_code == 404
    assert _resolve(api, slug="clinic-a").json()["primary_domain"] is None

    # Another clinic's change leaves this clinic's entries alone.
    b = clinic(api, "clinic-b", roles=("owner",))
    _resolve(api, slug="clinic-b")
    assert api.patch(b.url(), as_=b.owner, json={"name": "B2"}).status_code == 200
    assert cache.exists(f"{ns}:resolve:slug:clinic-a")
    assert not cache.exists(f"{ns}:resolve:slug:clinic-b")


def test_a_failed_change_does_not_invalidate(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    _resolve(api, slug="clinic-a")
    cache = redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    denied = api.patch(a.url(), as_=a.receptionist, json={"name": "Nope"})
    assert denied.status_code == 403
    assert cache.exists(f"{api.client.app.state.settings.redis_prefix}:resolve:slug:clinic-a")


@pytest.fixture
def limited(fresh_database: ScratchDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The real app with tight limits: 3 public lookups and 2 invitation accepts per 2 s."""
    monkeypatch.setenv("RATE_LIMIT_PUBLIC", "3/2s")
    monkeypatch.setenv("RATE_LIMIT_AUTH", "2/2s")
    redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}").flushdb()
    app = create_app(api_settings(fresh_database, TEST_REDIS_DB))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, fresh_database)


def test_public_rate_limit_triggers_and_recovers(limited: Api) -> None:
    clinic(limited, "clinic-a", roles=("owner",))
    started = time.monotonic()
    answers = [_resolve(limited, slug="clinic-a").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = _resolve(limited, slug="clinic-a")
    assert refused.status_code == 429
    assert error_code(refused) == "rate_limited"
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 2
    assert refused.json()["error"]["details"]["bucket"] == "public"
    # Lookups of unknown names count as well: enumeration is what the limit is for.
    assert _resolve(limited, slug="someone-else").status_code == 429
    time.sleep(max(0.0, 2.05 - (time.monotonic() - started)))
    assert _resolve(limited, slug="clinic-a").status_code == 200


def test_invitation_accept_is_rate_limited(limited: Api) -> None:
    limited.human("dana@example.test")
    for _ in range(2):
        response = limited.post(
            "/v1/invitations/accept", as_="dana@example.test", json={"token": "x" * 32}
        )
        assert response.status_code == 410
    refused = limited.post(
        "/v1/invitations/accept", as_="dana@example.test", json={"token": "x" * 32}
    )
    assert refused.status_code == 429
    assert "retry-after" in refused.headers
