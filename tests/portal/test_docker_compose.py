"""docker-compose.yml describes the production shape; Docker does not run here, so we read it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DJANGO_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def variables_read_by_settings() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(r"""(?:env(?:\.\w+)?|read_\w+)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
    for path in (ROOT / "portal" / "settings").glob("*.py"):
        names |= set(pattern.findall(path.read_text()))
    return names


def test_compose_has_every_production_service_with_health_checks():
    services = compose()["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    assert "gunicorn" in str(services["web"]["command"])
    assert "worker" in str(services["worker"]["command"])
    assert "beat" in str(services["beat"]["command"])
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "healthz" in str(services["web"]["healthcheck"]["test"])


def test_one_image_for_web_worker_and_beat():
    services = compose()["services"]
    images = {services[name]["image"] for name in DJANGO_SERVICES}
    assert len(images) == 1
    for name in DJANGO_SERVICES:
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_environment_is_what_the_settings_read():
    services = compose()["services"]
    read = variables_read_by_settings() | {"DJANGO_SETTINGS_MODULE"}
    essential = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "TIME_ZONE"}
    for name in DJANGO_SERVICES:
        environment = services[name]["environment"]
        assert essential <= set(environment), name
        unknown = set(environment) - read
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_dockerfile_builds_the_image_the_compose_file_uses():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "compilemessages" in dockerfile and "collectstatic" in dockerfile
    assert compose()["services"]["web"]["build"] == "."
