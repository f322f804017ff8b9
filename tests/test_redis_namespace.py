"""Every Redis key the API writes is under the deployment's namespace (issue 14, finding 9).

Two deployments (or a dev and a test run) on one Redis used to share rate-limit buckets and
serve each other's cached resolve answers, because the keys (`rl:*`, `resolve:*`, `idem:*`)
were not namespaced.
"""

from __future__ import annotations

from dataclasses import replace

import redis

from app.config import Settings, database_name
from tests.api_client import TEST_REDIS_DB, Api
from tests.api_world import clinic


def test_every_key_the_api_writes_starts_with_the_namespace(api: Api) -> None:
    cache = redis.Redis.from_url(f"redis://127.0.0.1:6379/{TEST_REDIS_DB}")
    a = clinic(api, "clinic-a", roles=("owner",))
    assert api.get("/v1/public/resolve", params={"slug": "clinic-a"}).status_code == 200
    assert api.get("/v1/public/resolve", params={"host": "nowhere.example"}).status_code == 404
    created = api.post(
        a.url("/roles"),
        as_=a.owner,
        json={"code": "front_desk", "name": "Front desk", "permissions": []},
        headers={"Idempotency-Key": "namespace-test-1"},
    )
    assert created.status_code == 201, created.text
    namespace = database_name(api.db.app_url)
    assert api.client.app.state.settings.redis_prefix == namespace
    keys = sorted(k.decode() for k in cache.scan_iter(count=1000))
    assert any(":rl:" in k for k in keys), keys
    assert any(":resolve:" in k for k in keys), keys
    assert any(":idem:" in k for k in keys), keys
    assert all(k.startswith(f"{namespace}:") for k in keys), keys


def test_the_namespace_defaults_to_the_database_name_and_can_be_set() -> None:
    settings = replace(
        Settings.from_env(), database_url="postgresql://restartix_app@db:5432/clinic_prod"
    )
    assert replace(settings, redis_namespace="").redis_prefix == "clinic_prod"
    assert replace(settings, redis_namespace="eu-1").redis_prefix == "eu-1"
