"""The pages: citizens suggest and support without an account; the office works on its own consultations only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from consultations import services
from consultations.models import Suggestion, SuggestionGroup, Support
from tests.consultations.conftest import code_from_mail, suggest
from tests.feedback.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_a_citizen_suggests_without_an_account_and_reads_it_back_through_the_private_link(client, consultation):
    page = client.get(reverse("consultations:detail", args=[consultation.pk]))
    assert page.status_code == 200 and "湖滨路怎样改得更安全" in page.content.decode()
    sent = client.post(
        reverse("consultations:suggest", args=[consultation.pk]),
        {"title": "多设路灯", "text": "请联系我13812345678，晚上太暗。", "author_name": "王五"},
    )
    assert sent.status_code == 302
    done = client.get(sent["Location"])
    assert done["Referrer-Policy"] == "no-referrer"
    suggestion = Suggestion.objects.get()
    link = done.context["link"]
    public = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "13812345678" not in public and "多设路灯" in public
    other = client.__class__()
    assert other.get(reverse("consultations:mine", args=[suggestion.reference])).status_code == 404
    landed = other.get(link.replace("http://testserver", ""), follow=True)
    assert landed.status_code == 200 and "13812345678" in landed.content.decode()  # the author sees the original


def test_the_author_sees_why_the_suggestion_was_hidden(client, consultation, alice):
    created = suggest(consultation, title="广告", text="代开发票")
    services.suggestion_moderate(suggestion_id=created.suggestion.pk, by=alice, reason="spam", note="与主题无关的广告")
    client.get(reverse("consultations:private_link", args=[created.suggestion.reference, created.secret]))
    page = client.get(reverse("consultations:mine", args=[created.suggestion.reference])).content.decode()
    assert "与主题无关的广告" in page and 'id="moderation-reason"' in page
    public = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "代开发票" not in public


def test_a_wrong_secret_lands_on_the_list_with_a_message(client, consultation):
    created = suggest(consultation)
    response = client.get(reverse("consultations:private_link", args=[created.suggestion.reference, "wrong"]))
    assert response.status_code == 302 and response["Location"] == reverse("consultations:list")


def test_an_empty_suggestion_gets_its_errors_and_changes_nothing(client, consultation):
    response = client.post(reverse("consultations:suggest", args=[consultation.pk]), {"title": "", "text": ""})
    assert response.status_code == 400 and Suggestion.objects.count() == 0
    assert 'class="errorlist"' in response.content.decode()


def test_supporting_through_the_pages_needs_the_emailed_code(client, consultation, django_capture_on_commit_callbacks):
    suggestion = suggest(consultation).suggestion
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("consultations:support", args=[suggestion.reference]), {"email": "fan@example.com"})
    assert asked.status_code == 302 and asked["Location"] == reverse("consultations:support_confirm")
    wrong = client.post(reverse("consultations:support_confirm"), {"code": "99999x"})
    assert wrong.status_code == 400 and Support.objects.count() == 0
    client.post(reverse("consultations:support_confirm"), {"code": code_from_mail("fan@example.com")})
    assert Support.objects.filter(suggestion=suggestion).count() == 1
    # Asking again sends a code (nobody else learns whether an address supported); confirming it is refused.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultations:support", args=[suggestion.reference]), {"email": "fan@example.com"})
    again = client.post(reverse("consultations:support_confirm"), {"code": code_from_mail("fan@example.com")})
    assert again.status_code == 409 and len(mail.outbox) == 2
    assert Support.objects.filter(suggestion=suggestion).count() == 1


OFFICE_PAGES = ["manage"]
OFFICE_POSTS = ["close", "confirm_groups"]


@pytest.mark.parametrize("name", OFFICE_PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("cgj_staff", 200), ("cgj_head", 200), ("supervisor", 200), ("zjj_staff", 404)]
)
def test_office_pages_are_for_the_office_and_supervisors_only(client, people, consultation, name, who, status):
    client.force_login(people[who])
    assert client.get(reverse(f"consultations:{name}", args=[consultation.pk])).status_code == status


@pytest.mark.parametrize("name", OFFICE_POSTS)
def test_an_outsider_posting_to_the_office_actions_gets_404_and_changes_nothing(client, charlie, consultation, name):
    client.force_login(charlie)
    assert client.post(reverse(f"consultations:{name}", args=[consultation.pk])).status_code == 404
    consultation.refresh_from_db()
    assert consultation.status == "open"


def test_anonymous_visitors_are_sent_to_sign_in_for_office_pages(client, consultation):
    response = client.get(reverse("consultations:manage", args=[consultation.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_office_opens_a_consultation_from_the_form_and_bad_dates_change_nothing(client, alice, office):
    from consultations.models import Consultation

    client.force_login(alice)
    form = {
        "title": "社区图书馆",
        "question": "开放时间怎样安排？",
        "department": office.pk,
        "opens_at": "2030-01-02T09:00",
        "closes_at": "2030-01-01T09:00",
    }
    bad = client.post(reverse("consultations:new"), form)
    assert bad.status_code == 400 and Consultation.objects.count() == 0
    form["closes_at"] = "2030-02-01T09:00"
    good = client.post(reverse("consultations:new"), form)
    assert good.status_code == 302 and Consultation.objects.get().department == office


def test_an_answer_without_reasons_is_refused_and_changes_nothing(client, consultation, alice):
    suggest(consultation)
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    client.force_login(alice)
    group = SuggestionGroup.objects.get()
    response = client.post(reverse("consultations:answer", args=[group.pk]), {"outcome": "adopted", "reason": ""})
    assert response.status_code == 400
    assert not hasattr(SuggestionGroup.objects.get(), "answer")


def test_the_list_pages_take_a_fixed_number_of_queries(client, consultation, django_assert_max_num_queries):
    for i in range(5):
        suggest(consultation, title=f"t{i}", text=f"x{i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("consultations:list"))
    with django_assert_max_num_queries(16):
        client.get(reverse("consultations:detail", args=[consultation.pk]))


def test_an_attachment_is_checked_by_content_and_public_with_its_consultation(client, alice, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations.models import ConsultationAttachment

    client.force_login(alice)
    form = {
        "title": "湖滨路方案",
        "question": "请看方案并提建议。",
        "department": office.pk,
        "opens_at": "2020-01-01T09:00",
        "closes_at": "2099-01-01T09:00",
    }
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert client.post(reverse("consultations:new"), {**form, "attachments": fake}).status_code == 400
    real = SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(reverse("consultations:new"), {**form, "attachments": real}).status_code == 302
    item = ConsultationAttachment.objects.get()
    client.logout()
    download = client.get(reverse("consultations:attachment", args=[item.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_private_link_secret_is_kept_out_of_request_logs(consultation):
    from feedback.citizen_access import redact

    created = suggest(consultation)
    line = (
        f'"GET {reverse("consultations:private_link", args=[created.suggestion.reference, created.secret])} HTTP/1.1"'
    )
    assert created.secret not in redact(line) and created.suggestion.reference in redact(line)


def test_the_office_list_shows_overdue_consultations_and_their_escalation_level(client, consultation, alice, charlie):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.deadlines import escalations_sweep

    suggest(consultation)
    services.consultation_close(consultation_id=consultation.pk, by=alice, now=timezone.now() - timedelta(days=40))
    escalations_sweep()
    client.force_login(alice)
    page = client.get(reverse("consultations:office")).content.decode()
    assert consultation.title in page and "已超期" in page
    client.force_login(charlie)
    assert consultation.title not in client.get(reverse("consultations:office")).content.decode()


def test_the_office_page_and_the_answered_page_take_a_fixed_number_of_queries(
    client, consultation, alice, django_assert_max_num_queries
):
    from tests.consultations.test_services import BIKE_A, BIKE_B, LIBRARY

    for title, text in (BIKE_A, BIKE_B, LIBRARY, ("夜市", "规范夜市摊位"), ("公厕", "增加公共厕所")):
        suggest(consultation, title=title, text=text)
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    for group in SuggestionGroup.objects.all():
        answer = services.group_answer(group_id=group.pk, by=alice, outcome="adopted", reason="采纳")
        services.answer_progress(answer_id=answer.pk, by=alice, progress="in_progress", text="办理中")
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("consultations:manage", args=[consultation.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
