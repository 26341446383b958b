"""Fixtures for routing (the suggester's model directory, new submissions) and the closed loop
(the official calendar and cases at a chosen time)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest

from accounts.models import User

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    """'2026-10-01 09:00' in Qinghe's time zone."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


@pytest.fixture
def official_calendar(db):
    from city.calendar import calendar_seed

    calendar_seed()


@pytest.fixture
def make_case(city):
    """A case in a category of CGJ, routed at ``at`` (local time text)."""
    from city.models import Category
    from feedback.services import submission_create
    from routing.services import submission_route

    def make(at: str, *, priority: str = "normal", category: str = "city.garbage"):
        submission, _secret, _created = submission_create(
            data={
                "kind": "complaint",
                "title": "垃圾没人清运",
                "text": "小区门口的垃圾三天没人清运了。",
                "category": Category.objects.get(code=category),
            },
            now=local(at),
        )
        submission.priority = priority
        submission.save(update_fields=["priority"])
        return submission_route(submission_id=submission.pk, now=local(at))

    return make


@pytest.fixture
def router(settings, tmp_path):
    """An empty model directory and fresh caches; reloads checked on every call."""
    from routing import registry

    settings.ROUTER_MODEL_DIR = tmp_path / "models"
    settings.ROUTER_RELOAD_SECONDS = 0
    registry.reset()
    yield registry
    registry.reset()


@pytest.fixture
def make_submission(city):
    """A new, unrouted submission with the given title and text."""
    from feedback.services import submission_create

    def make(title: str, text: str, kind: str = "complaint", **extra):
        submission, _secret, _created = submission_create(data={"title": title, "text": text, "kind": kind, **extra})
        return submission

    return make


@pytest.fixture
def users(city):
    """The demo city's accounts by username."""
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
