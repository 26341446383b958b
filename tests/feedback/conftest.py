"""Fixtures for the citizen side: files, a valid form, cases at each stage."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    # Rate-limit counters must not leak between tests; uploads go to a temp dir.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from feedback.forms import CachedCodeChoiceField

    CachedCodeChoiceField.forget()


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def png_upload():
    return SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")


@pytest.fixture
def form_data(city):
    """A valid submission as the browser posts it."""
    return {
        "kind": "complaint",
        "category": "environment.noise",
        "title": "工地夜间施工噪音扰民",
        "text": "东城区幸福路工地每晚十一点后仍在施工，噪音很大，影响休息。",
        "district": "dongcheng",
        "address": "幸福路88号",
        "name": "张三",
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "may_publish": "on",
    }


def make_submission(**overrides):
    """A submission through the real service, as the citizen form would create it."""
    from city.models import Category, District
    from feedback.services import submission_create

    data = {
        "kind": "complaint",
        # Unmistakably the environment bureau's (STHJ) business, whatever the router learns.
        "category": Category.objects.get(code="environment.air"),
        "title": "化工厂夜里排放刺鼻气味",
        "text": "幸福路化工厂每晚排放刺鼻气味，附近居民无法开窗。",
        "district": District.objects.get(code="dongcheng"),
        "address": "幸福路88号",
        "name": "张三",
        "phone": "13812345678",
        "email": "",
        "is_anonymous": False,
        "may_publish": True,
    }
    data.update(overrides)
    submission, secret, _ = submission_create(data=data)
    return submission, secret


def advance_to_replied(submission, *, reply_text="已责令工地停止夜间施工。", now=None):
    """Route, sign for and reply as the lead department's staff (other issues own these screens)."""
    from accounts.models import User
    from feedback.models import Disposition, Reply
    from feedback.workflow import case_transition
    from routing.services import submission_route

    submission_route(submission_id=submission.pk)
    submission.refresh_from_db()
    if submission.status == "triage":  # too unusual for the router: a dispatcher places it by its category
        from casework.services import assignment_create

        department = submission.category.default_department
        case_transition(
            submission_id=submission.pk,
            action="dispatch",
            actor=User.objects.get(username="dispatcher"),
            apply=lambda case: assignment_create(
                submission=case, department=department, role="lead", at=timezone.now()
            ),
        )
        submission.refresh_from_db()
    staff = User.objects.filter(memberships__department=submission.lead_department).first()
    case_transition(submission_id=submission.pk, action="sign_for", actor=staff)

    def reply(case):
        Reply.objects.create(
            submission=case,
            department=case.lead_department,
            author=staff,
            disposition=Disposition.RESOLVED,
            text=reply_text,
            **({"created_at": now} if now else {}),
        )
        case.replied_at = now or timezone.now()

    case_transition(
        submission_id=submission.pk, action="reply", actor=staff, apply=reply, **({"now": now} if now else {})
    )
    submission.refresh_from_db()
    return submission, staff


class CitizenBrowser:
    """A test client that has opened a case's private link and posts its forms with the form token."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, path, data=None, **kwargs):
        from feedback.citizen_access import FORM_TOKEN_FIELD, FORM_TOKEN_KEY

        data = dict(data or {})
        data.setdefault(FORM_TOKEN_FIELD, self.client.session.get(FORM_TOKEN_KEY, ""))
        return self.client.post(path, data, **kwargs)

    @property
    def cookies(self):
        return self.client.cookies


@pytest.fixture
def citizen_client(client):
    """A browser that holds the grant for a case after opening its link."""

    def open_case(submission, secret):
        response = client.get(f"/t/{submission.tracking_number}/{secret}/")
        assert response.status_code == 302
        client.get(response["Location"])  # the tracking page issues the form token
        return CitizenBrowser(client)

    return open_case


@pytest.fixture
def fake_twilio(settings):
    """A fake Twilio on a local port, and the settings that send every SMS to it."""
    from tests.feedback.fake_sms import start_fake_twilio, use_fake_twilio

    fake, server = start_fake_twilio()
    use_fake_twilio(settings, fake)
    yield fake
    server.shutdown()
    server.server_close()
