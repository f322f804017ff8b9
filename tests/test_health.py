"""The probes: /healthz answers while the process lives, /readyz only when every dependency
answers (PostgreSQL, Redis and the object store; issue 14, finding 10), each one named."""

from __future__ import annotations

from dataclasses import replace

from litestar.testing import TestClient

from app.api.main import create_app
from app.config import Settings
from tests.databases import ScratchDatabase
from tests.s3server import S3Server, free_port
from tests.s3server import s3_server as s3_server


def _settings(db: ScratchDatabase, s3: S3Server, **overrides: str) -> Settings:
    base = replace(s3.settings(), database_url=db.app_url, system_database_url=db.system_url)
    return replace(base, **overrides)


def test_healthz_and_readyz_answer_200(migrated_database: ScratchDatabase, s3_server: S3Server):
    with TestClient(create_app(_settings(migrated_database, s3_server))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ok",
            "checks": {"postgres": "ok", "redis": "ok", "object_store": "ok"},
        }


def test_readyz_names_the_store_that_is_down(
    migrated_database: ScratchDatabase, s3_server: S3Server
):
    settings = _settings(migrated_database, s3_server, redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {
            "postgres": "ok",
            "redis": "unavailable",
            "object_store": "ok",
        }


def test_readyz_checks_the_object_store(migrated_database: ScratchDatabase, s3_server: S3Server):
    for broken in (
        {"s3_bucket": "restartix-no-such-bucket"},
        {"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"},
    ):
        with TestClient(create_app(_settings(migrated_database, s3_server, **broken))) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 503, broken
            assert ready.json()["checks"] == {
                "postgres": "ok",
                "redis": "ok",
                "object_store": "unavailable",
            }


def test_readyz_is_ready_without_an_object_store_configured(
    migrated_database: ScratchDatabase, s3_server: S3Server, monkeypatch, tmp_path
):
    """A development machine with no S3 credentials serves everything but uploads."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    settings = _settings(migrated_database, s3_server, s3_endpoint_url="")
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {
            "postgres": "ok",
            "redis": "ok",
            "object_store": "not_configured",
        }
