"""Shared fixtures: the demo city, and Alice/Bob/Charlie style users."""

from __future__ import annotations

import os
import socket

import pytest


def pytest_configure(config):
    # In CI the real services must be there: fail, never skip.
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: DATABASE_URL must point at it.")


@pytest.fixture
def city(db):
    from demo.city import seed_demo

    seed_demo()


@pytest.fixture
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_routing_caches():
    """Each test rolls its database back, so per-process caches of rules and models must not outlive it."""
    from routing import registry

    registry.reset()
    yield
    registry.reset()
