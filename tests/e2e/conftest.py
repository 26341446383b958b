"""Fixtures of the browser walks: one headless Debian Chromium per test, Celery tasks run inline."""

from __future__ import annotations

import pytest

from tests.e2e.walk import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The live server answers in threads of its own; persistent connections
    # would outlive them and keep the test database from being dropped.
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    # The ORM is used between browser steps while Playwright's loop exists (never concurrently).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        # ORM calls made while Playwright's loop runs have a connection of their own: close it in that context.
        connections.close_all()
        chromium.close()


@pytest.fixture
def eager_celery(monkeypatch, settings):
    """Run tasks enqueued on commit (routing, notifications) in the request that enqueued them.

    The outbox has no listening worker here: ``OUTBOX_IN_PROCESS`` drains each payload after commit in the
    process that wrote it, so a page shows the routed case as soon as the submission's response arrives.
    """
    from portal.celery import app

    settings.OUTBOX_IN_PROCESS = True

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
