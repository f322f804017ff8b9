"""The probes: /healthz answers while the process lives, /readyz only when both stores answer."""

from __future__ import annotations

from dataclasses import replace

from litestar.testing import TestClient

from app.api.main import create_app
from app.config import Settings
from tests.databases import ScratchDatabase


def _settings(db: ScratchDatabase, **overrides: str) -> Settings:
    base = replace(Settings.from_env(), database_url=db.app_url, system_database_url=db.system_url)
    return replace(base, **overrides)


def test_healthz_and_readyz_answer_200(migrated_database: ScratchDatabase):
    with TestClient(create_app(_settings(migrated_database))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "checks": {"postgres": "ok", "redis": "ok"}}


def test_readyz_names_the_store_that_is_down(migrated_database: ScratchDatabase):
    settings = _settings(migrated_database, redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"postgres": "ok", "redis": "unavailable"}
