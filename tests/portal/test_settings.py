"""Configuration comes from the environment; a bad value fails loudly, by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env_extra: dict[str, str], settings: str = "portal.settings.local"):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": settings, **env_extra})
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


def test_embedded_mode_defaults_to_sqlite_and_filesystem_broker(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.local", "MINSHENG_VAR_DIR": str(tmp_path)})
    out = subprocess.run(
        [sys.executable, "-c", "import django;django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "Asia/Shanghai", "zh-hans"]


def test_redis_broker_has_bounded_socket_timeouts():
    from portal.settings.env import broker_transport_options

    options = broker_transport_options(redis=True)
    assert options["socket_timeout"] <= 2
    assert options["socket_connect_timeout"] <= 2
    from django.conf import settings

    # Task limits stay under the visibility timeout so no message is redelivered mid-run.
    assert settings.CELERY_TASK_TIME_LIMIT < options["visibility_timeout"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_SERIALIZER == "json"
