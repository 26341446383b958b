"""The production build boots: collectstatic, migrate and gunicorn with production settings (DEBUG off).

On a scratch database of its own (dropped afterwards). Every public entry
page answers 200 with its own content, and the hashed static files the pages
name are served: without the manifest every HTML page would answer 500.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.integration.conftest import ROOT, stop_group, wait_for

pytestmark = [pytest.mark.integration]

SECRET = "k3$9vQ!zR7wLp2#Xe8Tn4^Hb6Yc1@Mu5-Ja0Gd+Fs%Wq_Ei=Oh7Nr8"

# path -> text the page must contain (its own content, not just any 200)
PAGES = {
    "/": '<html lang="zh-hans">',
    "/submit/": 'name="title"',
    "/board/": "诉求公开栏",
    "/accounts/login/": 'name="password"',
    "/admin/login/": 'id="login-form"',
    "/api/docs/": "swagger-ui",
    "/api/redoc/": "redoc",
}


def _server_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s.get('USER') or 'postgres'}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"


def get(url: str) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers={"Accept-Language": "zh-hans"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)
    except OSError:
        return 0, "", {}


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_prod"[:63]
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{_server_url()}/{name}"
    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_production_settings_build_and_serve_every_entry_page(scratch_database, tmp_path, free_port):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "WHITENOISE_USE_FINDERS"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": scratch_database,
            "REDIS_URL": settings.REDIS_URL,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy in front
            "MINSHENG_VAR_DIR": str(tmp_path),
            "WHITENOISE_USE_FINDERS": "false",  # only what collectstatic wrote is served
            "PYTHONUNBUFFERED": "1",
        }
    )
    for step in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *step], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{step[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()

    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
        + ["--bind", f"127.0.0.1:{free_port}", "--workers", "2", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        healthy = wait_for(lambda: get(base + "/healthz")[0] == 200, timeout=60)
        assert healthy, (tmp_path / "gunicorn.log").read_text()[-3000:]
        static_paths: set[str] = set()
        for path, expected in PAGES.items():
            status, body, headers = get(base + path)
            assert status == 200, f"{path}: {status}\n{body[:500]}"
            assert expected in body, f"{path} lacks {expected!r}"
            assert "Content-Security-Policy" in headers, path
            assert "Traceback" not in body and "DEBUG = True" not in body
            static_paths |= set(re.findall(r'(/static/[^"\'?#\s]+)', body))
        # The pages name hashed files from the manifest, and each of them is served.
        assert any(re.search(r"\.[0-9a-f]{12}\.(css|js)$", p) for p in static_paths), static_paths
        for path in sorted(static_paths):
            status, _, _ = get(base + path)
            assert status == 200, path
        status, body, _ = get(base + "/no-such-page/")
        assert status == 404 and "Traceback" not in body  # DEBUG is off
    finally:
        stop_group(gunicorn)
        log.close()
