"""docker-compose.yml validates with a real Compose implementation and follows the stack's rules."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
CONFIG_MODULE = ROOT / "app" / "config.py"

POSTGRES_IMAGE = "pgvector/pgvector:pg17"
INSTALL_HINT = "install a Compose validator: `apt-get install -y docker-compose`"
APP_SERVICES = ("api", "worker")


def compose_command() -> list[str]:
    """The Compose CLI to validate with: the v2 plugin where present, else docker-compose."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    pytest.fail(f"no Compose CLI on PATH; {INSTALL_HINT}")


def compose_config(path: Path) -> subprocess.CompletedProcess[str]:
    """`compose config -q` on one file, run from its folder (no engine needed)."""
    return subprocess.run(
        [*compose_command(), "--file", path.name, "config", "--quiet"],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def one_shot_services(compose: dict) -> set[str]:
    """Services that another service waits on to finish (service_completed_successfully)."""
    found = set()
    for service in compose["services"].values():
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, dict):
            for name, rule in depends_on.items():
                if (rule or {}).get("condition") == "service_completed_successfully":
                    found.add(name)
    return found


def services_without_health(compose: dict) -> list[str]:
    """Long-running services that have no healthcheck, so nothing can wait on them."""
    one_shots = one_shot_services(compose)
    return sorted(
        name
        for name, service in compose["services"].items()
        if name not in one_shots and "healthcheck" not in service
    )


def settings_variables() -> set[str]:
    """The environment variables Settings.from_env() reads."""
    return set(re.findall(r'_env\(\s*"([A-Z0-9_]+)"', CONFIG_MODULE.read_text()))


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_file_validates():
    result = compose_config(COMPOSE_FILE)
    assert result.returncode == 0, result.stderr


def test_validator_rejects_an_unknown_key(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  cache:\n    image: redis:7\n    imagee: redis:7\n")
    result = compose_config(broken)
    assert result.returncode != 0
    assert "imagee" in result.stderr


def test_validator_rejects_depends_on_a_missing_service(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        "services:\n  api:\n    image: redis:7\n    depends_on:\n"
        "      database:\n        condition: service_healthy\n"
    )
    result = compose_config(broken)
    assert result.returncode != 0
    assert "database" in result.stderr


def test_every_service_has_a_healthcheck_or_is_a_one_shot(compose):
    assert services_without_health(compose) == []
    assert one_shot_services(compose) == {"migrate", "minio-init"}
    for name in one_shot_services(compose):
        assert compose["services"][name].get("restart") == "no", name


def test_health_rule_reports_a_service_without_healthcheck():
    compose = {
        "services": {
            "init": {"image": "x", "restart": "no"},
            "db": {"image": "x", "healthcheck": {"test": ["CMD", "true"]}},
            "web": {
                "image": "x",
                "depends_on": {
                    "init": {"condition": "service_completed_successfully"},
                    "db": {"condition": "service_healthy"},
                },
            },
        }
    }
    assert services_without_health(compose) == ["web"]


def test_waits_use_health_or_completion(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            condition = rule["condition"]
            assert condition in {"service_healthy", "service_completed_successfully"}, name
            if condition == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits on {target}"


def test_postgres_is_the_production_image(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == POSTGRES_IMAGE
    assert "shared_preload_libraries=pg_stat_statements" in postgres["command"]


def test_trust_auth_is_marked_dev_only():
    lines = COMPOSE_FILE.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "POSTGRES_HOST_AUTH_METHOD" in line)
    assert "trust" in lines[index]
    assert "dev only" in " ".join(lines[index - 2 : index]).lower()


def test_app_services_build_this_repository(compose):
    for name in ("migrate", *APP_SERVICES):
        assert compose["services"][name]["build"] == ".", name
    assert compose["services"]["api"]["command"][:2] == ["restartix", "serve"]
    assert compose["services"]["worker"]["command"] == ["restartix", "worker"]
    migrate = " ".join(compose["services"]["migrate"]["command"])
    assert "restartix db bootstrap && restartix db migrate" in migrate


def test_environment_matches_settings(compose):
    known = settings_variables() | {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert set(environment) <= known, name
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["DATABASE_URL"].startswith("postgresql://restartix_app@")
        assert environment["SYSTEM_DATABASE_URL"].startswith("postgresql://restartix_system@")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["S3_ENDPOINT_URL"].startswith("http://minio:")
        # The superuser URL belongs to the one-shot migrate service only.
        assert "MIGRATE_DATABASE_URL" not in environment
    migrate_url = compose["services"]["migrate"]["environment"]["MIGRATE_DATABASE_URL"]
    assert migrate_url.startswith("postgresql://postgres@postgres:5432/")


def test_dockerfile_runs_as_a_non_root_user():
    instructions = [
        line.split(None, 1)
        for line in DOCKERFILE.read_text().splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    assert ["FROM", "python:3.11-slim"] in instructions
    users = [argument for keyword, argument in instructions if keyword == "USER"]
    assert users, "the image must switch to a non-root user"
    assert users[-1].split(":")[0] not in {"root", "0"}
