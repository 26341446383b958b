"""The doors around the application: the production secret, the proxy in front, and the access log."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management.utils import get_random_secret_key

from portal.logscrub import QueryStringScrubber, scrub_urls
from portal.settings.env import SECRET_KEY_MIN_BITS, secret_key_entropy_bits

ROOT = Path(__file__).resolve().parents[2]
PHONE, EMAIL = "13812345678", "zhangsan@example.com"


def run_manage(*args: str, env_extra: dict[str, str]):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "TRUSTED_PROXIES"}}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", "ALLOWED_HOSTS": "minsheng.example"})
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# The production secret -------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["abcde" * 12, "a1b2c3d4e5" * 6, "0123456789" * 5, "dev-only-" + "x" * 50])
def test_production_refuses_a_long_but_weak_secret_key_naming_it(weak, tmp_path):
    assert len(weak) >= 50 and secret_key_entropy_bits(weak) < SECRET_KEY_MIN_BITS or weak.startswith("dev-only")
    result = run_manage("check", env_extra={"SECRET_KEY": weak, "MINSHENG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "entropy" in result.stderr


def test_random_keys_pass_the_entropy_check():
    import secrets

    for key in [get_random_secret_key() for _ in range(50)] + [secrets.token_urlsafe(40) for _ in range(50)]:
        assert secret_key_entropy_bits(key) >= SECRET_KEY_MIN_BITS, key


# The proxy in front ----------------------------------------------------------------------------


def test_production_reads_x_forwarded_proto_only_when_a_proxy_is_configured(tmp_path):
    show = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"]
    env = {"SECRET_KEY": get_random_secret_key(), "MINSHENG_VAR_DIR": str(tmp_path)}
    assert run_manage(*show, env_extra=env).stdout.strip() == "None"
    behind = run_manage(*show, env_extra={**env, "TRUSTED_PROXIES": "172.28.0.10"})
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    bad = run_manage("check", env_extra={**env, "TRUSTED_PROXIES": "the proxy"})
    assert bad.returncode != 0 and "TRUSTED_PROXIES" in bad.stderr


def test_compose_puts_a_tls_proxy_in_front_and_gunicorn_is_not_published():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    published = {name: service.get("ports", []) for name, service in services.items() if service.get("ports")}
    assert set(published) == {"proxy"}
    assert any(str(port).startswith("443:443") for port in published["proxy"])
    assert services["proxy"]["image"].startswith("caddy")
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["TRUSTED_PROXIES"] == proxy_address
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy" in caddyfile and "name web" in caddyfile and "port 8000" in caddyfile
    assert "trusted_proxies" not in caddyfile  # Caddy replaces any X-Forwarded-* a client sends


# The access log --------------------------------------------------------------------------------


def test_search_terms_are_masked_in_urls():
    line = f"GET /staff/?tab=all&q={PHONE}&page=2 HTTP/1.1"
    assert scrub_urls(line) == "GET /staff/?tab=all&q=[filtered]&page=2 HTTP/1.1"
    assert PHONE not in scrub_urls(f"/admin/feedback/submission/?whatever={PHONE}")
    assert "example.com" not in scrub_urls(f"/oversight/cases/?who={EMAIL.replace('@', '%40')}")


def test_runserver_access_log_keeps_no_search_terms():
    logger = logging.getLogger("django.server")
    assert any(isinstance(f, QueryStringScrubber) for f in logger.filters)
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.addHandler(handler)
    try:
        logger.info('"%s" %s %s', f"GET /staff/?q={PHONE} HTTP/1.1", 200, 1234)
    finally:
        logger.removeHandler(handler)
    assert records and PHONE not in records[0] and "q=[filtered]" in records[0]


def _port_in_range() -> int:
    for port in range(8340, 8350):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8340-8349")


def test_gunicorn_access_log_keeps_no_search_terms(tmp_path):
    port, log = _port_in_range(), tmp_path / "access.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "MINSHENG_VAR_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/healthz?q={PHONE}&email={EMAIL}"
        request = urllib.request.Request(url, headers={"Referer": f"http://127.0.0.1/staff/?q={PHONE}"})
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(50):
            if log.exists() and "/healthz" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "/healthz?q=[filtered]" in text
    assert PHONE not in text and EMAIL not in text
