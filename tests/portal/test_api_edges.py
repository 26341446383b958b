"""The API's edges: its root lists it, unknown paths answer JSON, ReDoc renders under the CSP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.api_edges import REDOC_CSP, api_list_names

pytestmark = pytest.mark.django_db

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def test_the_api_root_lists_every_list_of_the_urlconf(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    endpoints = response.json()["endpoints"]
    assert endpoints == {name: f"http://testserver{path}" for name, path in api_list_names().items()}
    for name in ("api-escalations", "api-routing-decisions", "api-staff-cases", "api-surge-alerts", "category-list"):
        assert name in endpoints
    assert response.json()["schema"].endswith(reverse("api-schema"))


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/no-such-list/", 404),
        ("get", "/api/v2/", 404),
        ("get", "/api/v1/staff/cases/not-a-number/", 404),
        ("post", "/api/schema/", 405),
    ],
)
def test_api_paths_answer_json_errors_not_html_pages(client, settings, debug, method, path, status):
    settings.DEBUG = debug
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail", "code", "errors"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_open311_paths_answer_its_error_list(client, settings, fmt):
    settings.DEBUG = True
    response = client.get(f"/open311/v2/no-such-thing.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [{"code": 404, "description": "Not found."}] or response.json()[0]["code"] == 404
    else:
        assert response.content.startswith(b"<?xml") and b"<code>404</code>" in response.content


def test_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_redoc_page_has_no_inline_script_and_its_own_policy(client):
    response = client.get("/api/redoc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "Redoc.init" not in html
    assert response["Content-Security-Policy"] == REDOC_CSP
    assert "worker-src 'self' blob:" in REDOC_CSP and "script-src 'self';" in REDOC_CSP
    assert client.get("/api/docs/")["Content-Security-Policy"] != REDOC_CSP, "only the ReDoc page is widened"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_redoc_renders_the_api_in_chromium_without_csp_violations(city, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{live_server.url}/api/redoc/")
            page.wait_for_selector("h1", timeout=30000)
            text = page.inner_text("body")
        finally:
            browser.close()
    assert "Something went wrong" not in text
    assert "Minsheng API" in text
    # Only ReDoc's "powered by" logo on cdn.redoc.ly stays blocked (img-src 'self'), on purpose.
    directives = ("script-src", "worker-src", "style-src", "connect-src", "font-src", "default-src")
    assert not [p for p in problems if any(d in p for d in directives)], problems
