"""Themes on the consultation page; the consultations' figures in the digest, its PDF and the scoreboard."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultations import services
from consultations.models import SuggestionGroup
from consultations.selectors import consultation_themes, office_figures
from oversight.selectors import digest_build
from tests.consultations.conftest import suggest, support
from tests.consultations.test_services import BIKE_A, BIKE_B, LIBRARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(consultation, alice):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1]).suggestion
    suggest(consultation, title=BIKE_B[0], text=BIKE_B[1])
    suggest(consultation, title=LIBRARY[0], text=LIBRARY[1])
    support(a, "one@example.com")
    support(a, "two@example.com")
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    bike = SuggestionGroup.objects.get(suggestions=a)
    services.group_answer(group_id=bike.pk, by=alice, outcome="adopted", reason="施划非机动车道。")
    services.group_answer(
        group_id=SuggestionGroup.objects.exclude(pk=bike.pk).get().pk,
        by=alice,
        outcome="not_adopted",
        reason="另行研究",
    )
    consultation.refresh_from_db()
    return consultation


def test_themes_count_suggestions_and_supports_while_open_and_after_grouping(consultation):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1]).suggestion
    suggest(consultation, title=BIKE_B[0], text=BIKE_B[1])
    suggest(consultation, title=LIBRARY[0], text=LIBRARY[1])
    support(a, "one@example.com")
    themes = consultation_themes(consultation=consultation)
    assert [(t["count"], t["supports"]) for t in themes] == [(2, 1), (1, 0)]


def test_the_office_figures_count_on_time_answers_and_adoption(answered):
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=60)
    [row] = office_figures(start=start, end=end)
    assert (row["consultations"], row["on_time"], row["answers"], row["adopted"]) == (1, 1, 2, 1)
    assert row["on_time_rate"] == 100 and row["adoption_rate"] == 50


def test_the_digest_its_pdf_and_the_scoreboard_show_the_consultation(client, answered, people):
    today = timezone.localdate()
    digest = digest_build(first_day=today - timedelta(days=6), last_day=today, now=timezone.now())
    [section] = [s for s in digest["extra_sections"] if s["id"] == "consultations"]
    assert section["rows"][0][0] == answered.title and section["rows"][0][3] == 3
    client.force_login(people["supervisor"])
    page = client.get(reverse("oversight:digest")).content.decode()
    assert 'id="digest-consultations"' in page and answered.title in page
    pdf = client.get(reverse("oversight:digest_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "问计于民" in text and "湖滨路增设非机动车道" in text
    client.logout()
    board = client.get(reverse("scoreboard")).content.decode()
    assert 'id="scoreboard-consultations"' in board and "50%" in board


def test_the_weekly_digest_mail_carries_the_consultations_in_text_and_html(answered):
    from django.core import mail

    from oversight.services import digest_send

    today = timezone.localdate()
    assert digest_send(first_day=today - timedelta(days=6), last_day=today) == 1
    message = mail.outbox[-1]
    assert answered.title in message.body and answered.title in message.alternatives[0][0]
