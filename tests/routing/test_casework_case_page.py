"""The staff case page shows what the citizen sent and said: photos, PDFs, the rating and its comment;
the deadline board leads to the cases."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.models import Attachment, Submission
from tests.feedback.conftest import PDF_BYTES, advance_to_replied, png_bytes

pytestmark = pytest.mark.usefixtures("media_root")


FORM = {
    "kind": "complaint",
    "category": "environment.air",
    "title": "化工厂夜里排放刺鼻气味",
    "text": "幸福路化工厂每晚排放刺鼻气味，附近居民无法开窗。",
    "district": "dongcheng",
    "address": "幸福路88号",
    "name": "张三",
    "phone": "13812345678",
}


def _submitted_with_files(client) -> Submission:
    """A citizen submits a photo and a PDF through the form; the case is routed to STHJ."""
    from routing.services import submission_route

    photo = SimpleUploadedFile("photo.png", png_bytes(size=(1200, 900)), content_type="image/png")
    letter = SimpleUploadedFile("证明.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post("/submit/", {**FORM, "attachments": [photo, letter]}).status_code == 302
    client.logout()
    submission = Submission.objects.get()
    submission_route(submission_id=submission.pk)
    return Submission.objects.get()


def test_staff_see_a_thumbnail_and_a_link_to_the_citizens_photo(client, users):
    case = _submitted_with_files(client)
    photo = Attachment.objects.get(original_name="photo.png")
    client.force_login(users["sthj_staff"])
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'href="/attachments/{photo.pk}/"' in body
    assert f'src="/attachments/{photo.pk}/?thumb=1"' in body
    thumb = client.get(f"/attachments/{photo.pk}/?thumb=1")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert max(image.size) <= 320
    download = client.get(f"/attachments/{photo.pk}/")
    assert download["Content-Disposition"].startswith("attachment")


def test_a_pdf_is_previewed_inline_framed_only_by_the_site(client, users):
    case = _submitted_with_files(client)
    letter = Attachment.objects.get(content_type="application/pdf")
    client.force_login(users["sthj_staff"])
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'<iframe class="pdf-preview" src="/attachments/{letter.pk}/?inline=1"' in body
    inline = client.get(f"/attachments/{letter.pk}/?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    # Every other page still refuses to be framed.
    assert "frame-ancestors 'none'" in client.get(f"/staff/cases/{case.pk}/")["Content-Security-Policy"]


@pytest.mark.parametrize("query", ["", "?inline=1", "?thumb=1"])
def test_staff_of_another_department_get_404_for_every_form_of_the_file(client, users, query):
    _submitted_with_files(client)
    photo = Attachment.objects.get(original_name="photo.png")
    client.force_login(users["cgj_staff"])
    assert client.get(f"/attachments/{photo.pk}/{query}").status_code == 404


def test_the_citizens_rating_and_comment_are_on_the_staff_case_page(client, users):
    from feedback.services import rating_submit
    from tests.feedback.conftest import make_submission

    submission, _secret = make_submission()
    case, staff = advance_to_replied(submission)
    rating_submit(
        submission_id=case.pk, satisfaction="unsatisfied", is_resolved=False, comment="摊位第二天晚上又回来了。"
    )
    client.force_login(staff)
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "不满意" in body and "未解决" in body
    assert "摊位第二天晚上又回来了。" in body


def test_case_numbers_on_the_deadline_board_link_to_the_case(client, users, make_case):
    from datetime import timedelta

    from django.utils import timezone

    from deadlines.models import Deadline

    case = make_case("2026-03-02 08:30")
    # The world: a deadline that has passed (the sweep that marks it is tested elsewhere).
    Deadline.objects.filter(submission=case).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(users["cgj_staff"])
    body = client.get("/deadlines/").content.decode()
    assert case.tracking_number in body
    assert f'href="/staff/cases/{case.pk}/"' in body
