from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from deadlines.models import DeadlinePolicy, DurationUnit
from oversight.masking import mask_text
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


def test_mask_text_hides_phones_emails_and_id_numbers():
    text = "电话13812345678，邮箱 li.ming@example.com，身份证110101199003071234，座机 010-62345678"
    masked = mask_text(text)
    assert "13812345678" not in masked and "138" in masked  # a hint stays, the number does not
    assert "li.ming@example.com" not in masked
    assert "110101199003071234" not in masked
    assert "62345678" not in masked


def test_csv_is_streamed_masked_and_never_carries_contact_fields(client, departments, django_assert_max_num_queries):
    cgj, _zjj = departments
    d.clock_policies()
    now = timezone.now()
    for i in range(25):
        oldest = d.open_deadline(
            cgj,
            "reply",
            due=now - timedelta(hours=i + 1),
            title=f"噪音 请回电 1391234{i:04d}",
            name="张三",
            phone=f"1391234{i:04d}",
            email="zhang@example.com",
        ).submission
    client.force_login(User.objects.get(username="supervisor"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("oversight:cases_csv"), {"department": cgj.pk})
        assert isinstance(response, StreamingHttpResponse)
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 26  # header + one row per case
    assert "张三" not in body and "zhang@example.com" not in body
    assert "13912340007" not in body
    assert rows[1][0] == oldest.tracking_number  # oldest due first
    # Working hours overdue: equal when both spans fall outside working hours (a weekend run).
    assert float(rows[1][5]) >= float(rows[-1][5])


def test_csv_hours_overdue_are_working_hours_over_a_weekend(departments):
    """Due Friday 17:00, exported Monday 10:00: 1 + 1 working hours late (wall-clock 65 h)."""
    from django.db.models import Q

    from oversight.selectors import overdue_cases
    from oversight.views import csv_rows
    from tests.oversight.conftest import DAY

    cgj, _zjj = departments
    friday = DAY - timedelta(days=3)
    DeadlinePolicy.objects.update(
        sign_for_amount=4,
        sign_for_unit=DurationUnit.WORKING_HOURS,
        reply_amount=6,
        reply_unit=DurationUnit.WORKING_HOURS,
    )
    d.case(cgj, created=d.at(friday, 9.5), signed=d.at(friday, 9.5))  # reply due 9:30 + 2.5 + 3.5 = 17:00
    d.case(cgj, created=d.at(DAY, 9))  # sign-for due 9:00 + 3 + 1 = 14:30
    now = d.at(DAY, 10)
    lines = list(csv_rows(overdue_cases(case_q=Q(), now=now, with_levels=True), now))
    rows = list(csv.reader(io.StringIO("".join(lines).lstrip("\ufeff"))))
    # Late 2 working hours; due in 2 + 1 after lunch.
    assert [row[5:7] for row in rows[1:]] == [["2.0", "工作小时"], ["-3.0", "工作小时"]]


def test_clock_hour_deadlines_are_late_in_clock_hours_on_pages_and_in_the_csv(departments):
    """An urgent deadline due Saturday 10:00 is 24 hours late on Sunday 10:00, whatever the working calendar says."""
    from django.db.models import Q

    from oversight.selectors import case_lines, overdue_cases
    from oversight.templatetags.oversight_tags import line_time
    from oversight.views import csv_rows
    from tests.oversight.conftest import DAY

    cgj, _zjj = departments
    saturday, sunday = DAY - timedelta(days=2), DAY - timedelta(days=1)
    d.clock_policies()  # sign for within 2 clock hours
    d.open_deadline(cgj, "sign_for", due=d.at(saturday, 10), priority="urgent")
    now = d.at(sunday, 10)
    (line,) = case_lines(list(overdue_cases(case_q=Q(), now=now)), now)
    assert (line.hours_overdue, line.is_working_time, line.is_overdue) == (24.0, False, True)
    assert line_time(line) == "24.0 小时（自然时间）"
    lines = list(csv_rows(overdue_cases(case_q=Q(), now=now, with_levels=True), now))
    rows = list(csv.reader(io.StringIO("".join(lines).lstrip("\ufeff"))))
    assert rows[1][5:7] == ["24.0", "自然小时"]


def test_csv_reads_rows_through_a_chunked_iterator(client, departments, monkeypatch):
    """The export never materialises the queryset: rows come from .iterator(chunk_size=...)."""
    from django.db.models.query import QuerySet

    calls = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    cgj, _zjj = departments
    d.clock_policies()
    d.open_deadline(cgj, "reply", due=timezone.now() - timedelta(hours=1))
    client.force_login(User.objects.get(username="supervisor"))
    response = client.get(reverse("oversight:cases_csv"))
    assert len(b"".join(response.streaming_content).splitlines()) == 2
    assert calls == [2000]


def test_csv_gives_priority_and_status_as_labels_and_fills_the_district(client, city):
    """A case submitted and routed through the services, then overdue: every column a reader can use."""
    from city.models import Category, District
    from deadlines.models import Deadline
    from feedback.services import submission_create
    from routing.services import submission_route

    submission, _secret, _ = submission_create(
        data={
            "kind": "complaint",
            "title": "小区门口垃圾没人清运",
            "text": "小区门口的垃圾三天没人清运了。",
            "category": Category.objects.get(code="city.garbage"),
            "district": District.objects.get(code="nanhu"),
            "phone": "13800000000",
        }
    )
    submission_route(submission_id=submission.pk)
    # The world: the sign-for deadline has passed (the sweep that marks it is tested elsewhere).
    Deadline.objects.filter(submission=submission).update(due_at=timezone.now() - timedelta(hours=2))
    client.force_login(User.objects.get(username="supervisor"))
    body = b"".join(client.get(reverse("oversight:cases_csv")).streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))[:2]
    values = dict(zip(header, row, strict=True))
    assert values["区县"] == "南湖区"
    assert values["优先级"] == "一般"
    assert values["状态"] == "已派单"
