"""Replies: templates per category kept in the admin and inserted by staff; files attached to a reply,
checked like the citizen's own, which the citizen sees on the tracking page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casework import services
from feedback.models import Attachment, Submission
from tests.feedback.conftest import EXE_BYTES, PDF_BYTES, make_submission, png_bytes

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def signed(users):
    """A citizen's case about air pollution, routed to and signed for by the environment bureau."""
    from routing.services import submission_route

    submission, secret = make_submission()
    submission_route(submission_id=submission.pk)
    case = services.assignment_sign_for(submission_id=submission.pk, actor=users["sthj_staff"])
    assert case.lead_department.code == "STHJ"
    return case, secret


def test_templates_are_kept_in_the_admin_and_offered_for_the_cases_category(client, users, signed):
    from casework.models import ReplyTemplate
    from city.models import Category

    case, _secret = signed
    client.force_login(users["admin"])
    air = Category.objects.get(code="environment.air")
    for category, title in [
        (air.parent_id, "大气污染答复"),
        ("", "通用答复"),
        (Category.objects.get(code="city.garbage").pk, "垃圾清运答复"),
    ]:
        response = client.post(
            "/admin/casework/replytemplate/add/",
            {
                "category": category or "",
                "title": title,
                "text": f"{title}：您好，已核实。",
                "is_active": "on",
                "sort_order": 0,
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert ReplyTemplate.objects.count() == 3
    client.force_login(users["sthj_staff"])
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    offered = body.split('id="reply-templates"', 1)[1].split("</details>", 1)[0]
    assert "大气污染答复：您好，已核实。" in offered and "通用答复" in offered
    assert "垃圾清运答复" not in offered
    assert 'class="button small insert-template"' in offered


def test_staff_attach_files_to_the_reply_and_the_citizen_sees_them(client, users, signed):
    case, secret = signed
    client.force_login(users["sthj_staff"])
    response = client.post(
        f"/staff/cases/{case.pk}/act/reply/",
        {
            "disposition": "resolved",
            "text": "已责令停产整改，附检测报告。",
            "version": Submission.objects.get(pk=case.pk).version,
            "attachments": [
                SimpleUploadedFile("检测报告.pdf", PDF_BYTES, content_type="application/pdf"),
                SimpleUploadedFile("整改后.png", png_bytes(), content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302
    files = list(Attachment.objects.filter(submission=case, reply__isnull=False))
    assert {f.original_name for f in files} == {"检测报告.pdf", "整改后.png"}
    assert not any(f.uploaded_by_citizen for f in files)
    assert Submission.objects.get(pk=case.pk).status == "replied"
    # The citizen, holding the secret, sees them with the reply and may open them; a stranger may not.
    citizen = Client()
    citizen.get(f"/t/{case.tracking_number}/{secret}/")
    page = citizen.get(f"/track/{case.tracking_number}/").content.decode()
    replies = page.split('id="replies"', 1)[1].split("</section>", 1)[0]
    assert "检测报告.pdf" in replies and "整改后.png" in replies
    pdf = next(f for f in files if f.is_pdf)
    assert citizen.get(f"/attachments/{pdf.pk}/").status_code == 200
    assert Client().get(f"/attachments/{pdf.pk}/").status_code == 404


def test_a_reply_file_that_is_not_an_image_or_pdf_is_refused_and_nothing_changes(client, users, signed):
    case, _secret = signed
    client.force_login(users["sthj_staff"])
    version = Submission.objects.get(pk=case.pk).version
    response = client.post(
        f"/staff/cases/{case.pk}/act/reply/",
        {
            "disposition": "resolved",
            "text": "已处理。",
            "version": version,
            "attachments": [SimpleUploadedFile("报告.jpg", EXE_BYTES, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert "报告.jpg" in response.content.decode()
    assert Submission.objects.get(pk=case.pk).version == version
    assert not Attachment.objects.filter(submission=case).exists()
