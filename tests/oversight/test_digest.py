from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from city.models import Category, District
from oversight.selectors import digest_build
from oversight.services import digest_send
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_weeks(departments):
    """Last week 3 cases in one district and category; this week 5, two of them in a new topic."""
    cgj, zjj = departments
    today = timezone.localdate()
    this_week = today - timedelta(days=3)
    last_week = today - timedelta(days=10)
    roots = list(Category.objects.filter(parent__isnull=True).order_by("sort_order")[:2])
    districts = list(District.objects.order_by("sort_order")[:2])
    d.clock_policies()
    # Answered and rated at once, so that only the case below is overdue.
    for _ in range(3):
        d.answered(cgj, created=d.at(last_week, 10), category=roots[0], district=districts[0])
    for _ in range(3):
        d.answered(cgj, created=d.at(this_week, 10), category=roots[0], district=districts[1])
    for _ in range(2):
        d.answered(zjj, created=d.at(this_week, 11), category=roots[1], district=districts[1])
    reopened = d.case(zjj, created=d.at(this_week, 9), signed=d.at(this_week, 9), category=roots[1])
    for _ in range(3):
        d.reopen(reopened, d.at(this_week, 15))
    # Reopened more often, but not during this period: not notable this week (and answered since).
    stale = d.case(
        zjj, created=d.at(today - timedelta(days=30), 9), signed=d.at(today - timedelta(days=30), 9), category=roots[1]
    )
    for _ in range(5):
        d.reopen(stale, d.at(last_week, 12))
    d.reply(stale, d.at(last_week, 13))
    d.rate(stale, d.at(last_week, 14), satisfaction="satisfied", resolved=True)
    now = timezone.now()
    other = Category.objects.filter(parent__isnull=True).exclude(pk__in=[r.pk for r in roots]).first()
    late = d.open_deadline(cgj, "reply", due=now - timedelta(days=5), category=other)  # submitted nine days ago
    return {
        "first": today - timedelta(days=6),
        "last": today,
        "roots": roots,
        "districts": districts,
        "reopened": reopened,
        "late": late,
    }


def test_digest_contains_volumes_topics_hot_spots_overdue_and_notable_cases(two_weeks):
    digest = digest_build(first_day=two_weeks["first"], last_day=two_weeks["last"], now=timezone.now())
    assert digest["total"] == 6 and digest["total_previous"] == 4  # 3 + the overdue case, 9 days old
    topics = {t["category"].pk: t for t in digest["topics"]}
    old, new = two_weeks["roots"]
    assert topics[old.pk]["count"] == 3 and topics[old.pk]["previous"] == 3 and not topics[old.pk]["is_new"]
    assert topics[new.pk]["count"] == 3 and topics[new.pk]["is_new"]
    assert [t["category"] for t in digest["new_topics"]] == [new]
    assert digest["hot_spots"][0]["district"] == two_weeks["districts"][1]
    assert digest["most_overdue"][0]["department"].code == "CGJ"
    assert digest["longest_overdue"][0].deadline == two_weeks["late"]
    assert digest["most_reopened"] == [two_weeks["reopened"]]
    assert digest["surge_alerts"] == []  # no alert was raised in this period
    assert digest["city"].rates["on_time_reply"].denominator >= 1


def test_digest_leaves_out_departments_with_nothing_overdue_or_returned(two_weeks, departments):
    cgj, zjj = departments
    now = timezone.now()
    d.open_deadline(zjj, "reply", due=now + timedelta(hours=3))  # near, not overdue
    d.extension(two_weeks["reopened"], now - timedelta(hours=1))  # ZJJ: an extension, no return

    digest = digest_build(first_day=two_weeks["first"], last_day=two_weeks["last"], now=now)

    assert [e["department"] for e in digest["most_overdue"]] == [cgj]
    assert digest["most_returns"] == []


def test_digest_email_goes_to_supervisors_once_per_period(two_weeks):
    sent = digest_send(first_day=two_weeks["first"], last_day=two_weeks["last"])
    assert sent == 1
    assert mail.outbox[0].to == ["supervisor@qinghe.example"]
    html = mail.outbox[0].alternatives[0][0]
    assert two_weeks["reopened"].tracking_number in html
    assert digest_send(first_day=two_weeks["first"], last_day=two_weeks["last"]) == 0
    assert len(mail.outbox) == 1


def test_digest_page_is_printable(client, two_weeks):
    client.force_login(User.objects.get(username="supervisor"))
    response = client.get(reverse("oversight:digest"), {"date_from": two_weeks["first"], "date_to": two_weeks["last"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-print" in body and "oversight.css" in body
    assert two_weeks["reopened"].tracking_number in body


def test_a_failed_send_leaves_the_period_for_the_next_hourly_attempt(two_weeks, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    from oversight.models import DigestRun

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        with pytest.raises(ConnectionRefusedError):
            digest_send(first_day=two_weeks["first"], last_day=two_weeks["last"])
    assert not DigestRun.objects.exists() and len(mail.outbox) == 0
    assert digest_send(first_day=two_weeks["first"], last_day=two_weeks["last"]) == 1
    assert DigestRun.objects.get().recipients == 1


def test_surge_alert_topics_in_the_digest_are_masked():
    from django.template.loader import render_to_string

    class Alert:
        def __str__(self):
            return "幸福小区 停水 13812345678"

    html = render_to_string("oversight/_digest_body.html", {"digest": {"surge_alerts": [Alert()]}})
    assert "幸福小区 停水" in html and "13812345678" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_digest_period_fields_show_both_dates_in_the_iso_format_the_date_field_takes(client, city, language):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User

    client.cookies["django_language"] = language
    client.force_login(User.objects.get(username="supervisor"))
    body = client.get("/oversight/digest/").content.decode()
    today = timezone.localdate()
    assert f'name="date_from" value="{today - timedelta(days=7):%Y-%m-%d}"' in body
    assert f'name="date_to" value="{today:%Y-%m-%d}"' in body
    # A period the reader picked comes back the same way.
    body = client.get("/oversight/digest/", {"date_from": "2026-11-28", "date_to": "2026-12-04"}).content.decode()
    assert 'value="2026-11-28"' in body and 'value="2026-12-04"' in body
