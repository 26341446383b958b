"""The world of the consultation tests: the demo city, an office (城管局) and people.

Alice is the office's staff (owner), Bob a colleague (the office's head),
Charlie staff of another office (should have no access), and a supervisor.
Facts under test (suggestions, supports, answers) are made through services.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import browser, eager_celery  # noqa: F401 - the browser walk's fixtures


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _eager_celery(monkeypatch):
    """Notices enqueued on commit are sent in the same process."""
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def people(city):
    from accounts.models import User

    return {
        u.username: u for u in User.objects.filter(username__in=["cgj_staff", "cgj_head", "zjj_staff", "supervisor"])
    }


@pytest.fixture
def alice(people):
    return people["cgj_staff"]


@pytest.fixture
def bob(people):
    return people["cgj_head"]


@pytest.fixture
def charlie(people):
    return people["zjj_staff"]


@pytest.fixture
def office(city):
    from city.models import Department

    return Department.objects.get(code="CGJ")


@pytest.fixture
def consultation(alice, office):
    from consultations.services import consultation_open

    now = timezone.now()
    return consultation_open(
        by=alice,
        department=office,
        title="湖滨路怎样改得更安全？",
        question="湖滨路改造前，请大家提出建议。",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )


def suggest(consultation, title="建议", text="内容", **kwargs):
    from consultations.services import suggestion_create

    return suggestion_create(consultation_id=consultation.pk, title=title, text=text, **kwargs)


def code_from_mail(address: str) -> str:
    message = [m for m in mail.outbox if address in m.to][-1]
    return re.search(r"\b(\d{6})\b", message.subject).group(1)


def support(suggestion, email, client_hash="", now=None):
    """Ask for a code, read it from the e-mail, confirm it: the way a citizen supports."""
    from django.db import transaction

    from consultations.services import support_confirm, support_request

    with transaction.atomic():
        requested = support_request(
            suggestion_reference=suggestion.reference, email=email, client_hash=client_hash, now=now
        )
    return support_confirm(token=requested.verification.token, code=requested.code, now=now)
