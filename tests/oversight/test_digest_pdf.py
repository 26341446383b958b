"""The leaders' digest as a PDF: content, language, masking, permissions, bad periods, the weekly email."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from city.models import Category, District
from oversight.masking import mask_text
from oversight.models import DigestRun
from oversight.services import digest_send, rollup_refresh
from surges.models import SurgeAlert
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "li.si@example.com"
CITIZEN = "李四"


def pdf_text(content: bytes) -> str:
    """All pages' text with whitespace removed (wrapping in table cells may break a line anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def last_week(departments):
    """A closed week: cases from a citizen with contact details, four ratings, a surge alert, an overdue case.

    Satisfaction is 3 of 4 ratings (75.0%); the days are rolled up as the workers would.
    """
    cgj, zjj = departments
    today = timezone.localdate()
    first, last = today - timedelta(days=7), today - timedelta(days=1)
    day = today - timedelta(days=3)
    category = Category.objects.filter(parent__isnull=True).order_by("sort_order").first()
    district = District.objects.order_by("sort_order").first()
    contact = {"name": CITIZEN, "phone": PHONE, "email": EMAIL}
    d.clock_policies()
    for hour in (9, 10, 11):
        d.answered(
            cgj,
            created=d.at(day, hour),
            category=category,
            district=district,
            title=f"幸福路积水 请回电 {PHONE}",
            text=f"我是{CITIZEN}，邮箱 {EMAIL}",
            **contact,
        )
    # Reopened twice: once the week before, once in this week (its answers were rated before the week).
    before = today - timedelta(days=10)
    reopened = d.case(zjj, created=d.at(before, 12), signed=d.at(before, 12), category=category, **contact)
    d.reopen(reopened, d.at(before, 13))
    d.reopen(reopened, d.at(day, 13), answered=d.at(before + timedelta(days=1), 13))
    # The fourth rating of the week (the three cases above were rated satisfied).
    d.rated(cgj, when=d.at(day, 14), satisfaction="unsatisfied", resolved=False)
    now = timezone.now()
    late = d.open_deadline(cgj, "reply", due=now - timedelta(days=2))
    # The detector's words come from what citizens wrote, so a number may be among them.
    SurgeAlert.objects.create(
        key="pdf-test",
        district=district,
        topic_words=["积水", PHONE],
        places=["幸福路"],
        report_count=3,
        first_at=d.at(day, 9),
        latest_at=d.at(day, 11),
        raised_at=d.at(day, 11.5),
    )
    rollup_refresh(first_day=first, last_day=last)
    return {"first": first, "last": last, "reopened": reopened, "late": late, "district": district}


def get_pdf(client, week, **params):
    query = {"date_from": week["first"], "date_to": week["last"], **params}
    return client.get(reverse("oversight:digest_pdf"), query)


@pytest.fixture
def supervisor_client(client, city):
    client.force_login(User.objects.get(username="supervisor"))
    return client


def test_pdf_holds_the_period_departments_kpis_surges_and_notable_cases_in_chinese(supervisor_client, last_week):
    response = get_pdf(supervisor_client, last_week)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    period = f"{last_week['first']:%Y-%m-%d}_{last_week['last']:%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="digest-{period}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert f"{last_week['first']:%Y-%m-%d}–{last_week['last']:%Y-%m-%d}" in text
    assert "网情动态" in text and "热点事项" in text and "全市考核指标" in text
    assert "城市管理局" in text and "住房和城乡建设局" in text
    assert "满意率75.0%" in text and "3÷4" in text  # the figure and its formula's numbers
    assert "幸福路·积水" in text  # the surge alert's headline
    assert str(last_week["district"].name_zh) in text
    assert last_week["late"].submission.tracking_number in text
    assert last_week["reopened"].tracking_number in text and "重办2次" in text
    assert "第1页，共" in text


def test_pdf_never_shows_the_citizens_name_phone_or_email(supervisor_client, last_week):
    text = pdf_text(get_pdf(supervisor_client, last_week).content)
    assert PHONE not in text and EMAIL not in text and CITIZEN not in text
    assert mask_text(PHONE) in text  # the surge alert's words are masked, not dropped


def test_pdf_is_in_english_when_the_visitor_chose_english(supervisor_client, last_week):
    supervisor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_text(get_pdf(supervisor_client, last_week).content)
    for heading in ("Digest for leaders", "Top topics", "Hot spots by district", "Surge alerts", "KPIs, whole city"):
        assert compact(heading) in text
    assert "UrbanManagementBureau" in text and "Satisfactionrate75.0%" in text and "Page1of" in text
    assert "热点事项" not in text and "城市管理局" not in text


@pytest.mark.parametrize("username", ["cgj_staff", "cgj_head", "zjj_staff", "dispatcher"])
def test_staff_heads_and_dispatchers_are_refused_as_on_the_digest_page(client, last_week, username):
    client.force_login(User.objects.get(username=username))
    assert get_pdf(client, last_week).status_code == 403
    assert client.get(reverse("oversight:digest")).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, last_week):
    response = get_pdf(client, last_week)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_administrator_gets_the_pdf(client, last_week):
    client.force_login(User.objects.get(username="admin"))
    response = get_pdf(client, last_week)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "params",
    [{"date_from": "2026-03-09", "date_to": "2026-03-01"}, {"date_from": "2026-13-45"}, {"date_from": "2020-01-01"}],
)
def test_bad_period_gets_the_digest_page_with_its_error_and_no_pdf(supervisor_client, params):
    pdf = supervisor_client.get(reverse("oversight:digest_pdf"), params)
    page = supervisor_client.get(reverse("oversight:digest"), params)
    assert pdf.status_code == page.status_code == 400
    assert pdf["Content-Type"].startswith("text/html") and "Content-Disposition" not in pdf
    assert 'role="alert"' in pdf.content.decode()
    # The form on that page goes back to the digest page, not to the download.
    assert f'action="{reverse("oversight:digest")}"' in pdf.content.decode()


def test_period_before_its_start_is_explained_in_chinese(supervisor_client):
    response = supervisor_client.get(
        reverse("oversight:digest_pdf"), {"date_from": "2026-03-09", "date_to": "2026-03-01"}
    )
    assert "起始日期不能晚于截止日期。" in response.content.decode()


def test_digest_page_links_to_the_pdf_of_its_period(supervisor_client, last_week):
    page = supervisor_client.get(
        reverse("oversight:digest"), {"date_from": last_week["first"], "date_to": last_week["last"]}
    ).content.decode()
    period = f"date_from={last_week['first']:%Y-%m-%d}&amp;date_to={last_week['last']:%Y-%m-%d}"
    link = f"{reverse('oversight:digest_pdf')}?{period}"
    assert f'href="{link}"' in page and "下载 PDF" in page


def test_weekly_email_carries_the_pdf_and_is_still_sent_once(last_week):
    assert digest_send(first_day=last_week["first"], last_day=last_week["last"]) == 1
    (message,) = mail.outbox
    (name, content, mimetype), *_ = message.attachments
    assert mimetype == "application/pdf"
    assert name == f"digest-{last_week['first']:%Y-%m-%d}_{last_week['last']:%Y-%m-%d}.pdf"
    text = pdf_text(content)
    assert "城市管理局" in text and "满意率75.0%" in text and PHONE not in text
    assert digest_send(first_day=last_week["first"], last_day=last_week["last"]) == 0
    assert len(mail.outbox) == 1 and DigestRun.objects.get().recipients == 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pdf_embeds_its_chinese_font_and_draws_the_middle_dot(supervisor_client, last_week, language):
    from pathlib import Path

    from oversight.pdf_font import CANDIDATES

    if not any(Path(path).exists() for path, _family in CANDIDATES):
        pytest.skip("no CJK font file (Debian: fonts-noto-cjk, installed by .ci/run)")
    supervisor_client.cookies["django_language"] = language
    reader = PdfReader(io.BytesIO(get_pdf(supervisor_client, last_week).content))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    embedded = []
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        if descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            embedded.append(name)
    assert embedded and all("STSong" not in name for name in fonts), fonts.keys()
    text = "".join(page.extract_text() for page in reader.pages)
    assert "幸福路·积水" in text.replace(" ", "") and "☒" not in text
