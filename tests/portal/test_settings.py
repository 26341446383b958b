"""Configuration comes from the environment; a bad value fails loudly, by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# Addresses that are well formed but never contacted: `check` does not connect.
UNUSED_SERVERS = {"DATABASE_URL": "postgres://postgres@127.0.0.1:9/unused", "REDIS_URL": "redis://127.0.0.1:9/0"}


def run_manage(*args: str, env_extra: dict[str, str], settings: str = "portal.settings.local"):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": settings, **UNUSED_SERVERS, **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysqlx://nowhere"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:99999/x"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("REDIS_URL", "redis://127.0.0.1:6379/abc"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("DEBUG", "maybe"),
        ("ALLOWED_HOSTS", " , "),
        ("SUBMIT_RATE_PER_HOUR", "lots"),
        ("EMAIL_URL", "bogus://x"),
        ("EMAIL_URL", "smtp://u:p@mail.example:abc"),
    ],
)
def test_malformed_variable_fails_at_start_with_its_name(name, value, tmp_path):
    result = run_manage("check", env_extra={name: value, "MINSHENG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert name in lines[0]


def test_production_settings_refuse_a_missing_secret(tmp_path):
    result = run_manage("check", env_extra={"MINSHENG_VAR_DIR": str(tmp_path)}, settings="portal.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "SECRET_KEY": "k3$9vQ!zR7wLp2#Xe8Tn4^Hb6Yc1@Mu5-Ja0Gd+Fs%Wq_Ei=Oh7Nr8",
        "ALLOWED_HOSTS": "minsheng.example",
        "MINSHENG_VAR_DIR": str(tmp_path),
    }
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_extra=env, settings="portal.settings.production"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL"])
def test_production_settings_require_both_servers_and_start_no_embedded_one(name, tmp_path):
    env = {
        "SECRET_KEY": "k3$9vQ!zR7wLp2#Xe8Tn4^Hb6Yc1@Mu5-Ja0Gd+Fs%Wq_Ei=Oh7Nr8",
        "MINSHENG_VAR_DIR": str(tmp_path),
        name: "",
    }
    result = run_manage("check", env_extra=env, settings="portal.settings.production")
    assert result.returncode != 0
    assert name in result.stderr
    assert not (tmp_path / "postgres").exists() and not (tmp_path / "valkey").exists()


def test_without_variables_every_command_reaches_the_same_embedded_servers(tmp_path):
    """No DATABASE_URL/REDIS_URL: a command starts PostgreSQL and Valkey under var/, the next reuses them,
    and the data outlives a stop and start."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.local", "MINSHENG_VAR_DIR": str(tmp_path / "var")})

    def shell(code: str) -> str:
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout.strip().splitlines()[-1]

    where = (
        "from django.conf import settings as s; from django.db import connection; "
        "from django.core.cache import cache; cache.set('probe', 'ok'); "
        "print(connection.vendor, s.DATABASES['default']['PORT'], s.CELERY_BROKER_URL, cache.get('probe'))"
    )
    try:
        first = shell(
            where + "; connection.cursor().execute('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)')"
        )
        vendor, _port, broker, probe = first.split()
        assert vendor == "postgresql" and broker.startswith("redis://127.0.0.1:") and probe == "ok"
        assert shell(where) == first  # the second command reuses the running servers
        stop = [sys.executable, "-m", "portal.embedded", "stop"]
        subprocess.run(stop, cwd=ROOT, env=env, check=True, timeout=60)
        kept = "from django.db import connection as c; k = c.cursor(); k.execute('SELECT x FROM kept'); "
        kept += "print(*k.fetchone())"
        assert shell(kept) == "42"  # started again on demand, with its data
    finally:
        subprocess.run([sys.executable, "-m", "portal.embedded", "stop"], cwd=ROOT, env=env, timeout=60)


def test_redis_broker_has_bounded_socket_timeouts():
    from portal.settings.env import broker_transport_options

    options = broker_transport_options()
    assert options["socket_timeout"] <= 2
    assert options["socket_connect_timeout"] <= 2
    from django.conf import settings

    # Task limits stay under the visibility timeout so no message is redelivered mid-run.
    assert settings.CELERY_TASK_TIME_LIMIT < options["visibility_timeout"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_SERIALIZER == "json"


@pytest.mark.parametrize(
    ("env_extra", "expected"),
    [
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8101", "SITE_URL": "https://12345.qinghe.example/"}, "https://12345.qinghe.example"),
    ],
)
def test_links_in_messages_point_at_the_port_the_portal_serves(env_extra, expected, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.local", "MINSHENG_VAR_DIR": str(tmp_path)})
    env.update({**UNUSED_SERVERS, **env_extra})
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == expected, out.stderr[-2000:]
