"""The staff inbox in pages of 50: every case reachable, filters and sort kept, a bounded number of queries."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from casework.views import INBOX_PAGE_SIZE
from deadlines.models import Deadline
from feedback.models import Status
from tests.factories import make_case

ALICE = "cgj_staff"


def _rows(response) -> list[int]:
    return [case.pk for case in response.context["rows"]]


def _link(response, name: str) -> str:
    found = re.search(rf'id="page-{name}" href="([^"]*)"', response.content.decode())
    assert found, f"no {name} link"
    return unescape(found.group(1))


def test_more_than_fifty_cases_show_fifty_and_a_second_page_with_the_rest(client, users):
    cases = [make_case(status=Status.IN_PROGRESS) for _ in range(INBOX_PAGE_SIZE + 5)]
    client.force_login(users[ALICE])

    first = client.get("/staff/")
    assert len(_rows(first)) == INBOX_PAGE_SIZE == 50
    assert "第 1 页，共 2 页" in first.content.decode()
    assert 'id="page-previous"' not in first.content.decode()
    second = client.get("/staff/" + _link(first, "next"))
    assert len(_rows(second)) == 5
    assert 'id="page-next"' not in second.content.decode()
    assert client.get("/staff/" + _link(second, "previous")).context["rows"].number == 1
    # Same due time for all: due first, then oldest first; each case once, none lost between the pages.
    assert _rows(first) + _rows(second) == [case.pk for case in cases]


def test_page_links_keep_the_filters_and_the_sort_order(client, users):
    wanted = [make_case(status=Status.IN_PROGRESS, title=f"路灯不亮 {i}") for i in range(INBOX_PAGE_SIZE + 3)]
    for _ in range(5):
        make_case(status=Status.IN_PROGRESS, title="井盖丢失")
        make_case(status=Status.ASSIGNED, title="路灯不亮 待签收")
    client.force_login(users[ALICE])

    first = client.get("/staff/", {"status": "in_progress", "q": "路灯", "sort": "new"})
    link = _link(first, "next")
    assert {"status=in_progress", "sort=new", "page=2"} <= set(link.lstrip("?").split("&"))
    second = client.get("/staff/" + link)
    assert second.context["filter"].form.cleaned_data["sort"] == "new"
    newest_first = [case.pk for case in reversed(wanted)]
    assert _rows(first) + _rows(second) == newest_first


def test_a_page_past_the_end_shows_the_last_and_a_bad_page_number_the_first(client, users):
    for _ in range(INBOX_PAGE_SIZE + 1):
        make_case(status=Status.IN_PROGRESS)
    client.force_login(users[ALICE])
    assert client.get("/staff/", {"page": "9"}).context["rows"].number == 2
    assert client.get("/staff/", {"page": "x"}).context["rows"].number == 1


def test_the_pager_is_in_english_for_english_readers(client, users):
    for _ in range(INBOX_PAGE_SIZE + 1):
        make_case(status=Status.IN_PROGRESS)
    client.force_login(users[ALICE])
    client.cookies["django_language"] = "en"
    page = client.get("/staff/").content.decode()
    assert "Page 1 of 2" in page and ">Next<" in page


@pytest.mark.parametrize("n", [5, 3 * INBOX_PAGE_SIZE])
def test_the_inbox_runs_the_same_number_of_queries_for_5_cases_and_for_150(
    client, users, django_assert_max_num_queries, n
):
    for i in range(n):
        case = make_case(status=[Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_CITIZEN][i % 3])
        # Overdue, due soon and later rows: every branch of the time-left badge is rendered.
        Deadline.objects.filter(submission=case).update(due_at=timezone.now() + timedelta(hours=(i % 5 - 2) * 20))
    client.force_login(users[ALICE])
    # Measured: 13 for 5 cases and for 150 (test_inbox_page_runs_a_constant_number_of_queries' 12, and the
    # pager's count of the filtered cases).
    with django_assert_max_num_queries(13):
        response = client.get("/staff/", {"page": "2"} if n > INBOX_PAGE_SIZE else {})
    assert len(_rows(response)) == min(n, INBOX_PAGE_SIZE)


def test_time_left_with_the_request_clock_says_what_it_said_reading_the_clock_itself(city):
    from casework.selectors import due_soon_cutoff
    from casework.templatetags.casework import time_left
    from city.calendar import WorkCalendar

    now = timezone.now()
    calendar = WorkCalendar()
    for hours in (-50, -1, 3, 20, 30, 200):
        due = now + timedelta(hours=hours, minutes=7)
        assert time_left(due, None, calendar, now, due_soon_cutoff(now)) == time_left(due, None, WorkCalendar())
    assert "paused" in time_left(now, now, calendar, now) or "暂停" in time_left(now, now, calendar, now)
