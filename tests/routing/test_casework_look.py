"""The look of the back office: the admin's name and sections, filters that say what they do, the favicon."""

from __future__ import annotations

import re

import pytest

from feedback.models import Status
from tests.factories import make_case


def test_the_admin_is_branded_and_its_sections_are_chinese(client, users):
    client.force_login(users["admin"])
    body = client.get("/admin/").content.decode()
    assert "民声 Minsheng 管理" in body
    assert "<title>" in body and "民声 Minsheng 管理</title>" in body
    assert "登录防护" in body and ">Axes<" not in body
    # Deadlines and deadline policies are two different things with two different names.
    names = re.findall(r'<th scope="row" id="[^"]+">\s*<a href="[^"]+"[^>]*>([^<]+)</a>', body)
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert "案件时限" in names and "办理时限" in names


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("cgj_staff", "/staff/"),
        ("dispatcher", "/dispatch/"),
        ("supervisor", "/oversight/"),
        ("supervisor", "/oversight/cases/"),
        ("supervisor", "/oversight/kpis/"),
        ("supervisor", "/oversight/digest/"),
    ],
)
def test_filters_say_what_an_empty_choice_means(client, users, who, url):
    make_case(status=Status.TRIAGE, department=None)
    client.force_login(users[who])
    body = client.get(url).content.decode()
    assert "---------" not in body


def test_the_drill_down_list_shows_its_active_filter(client, users):
    from city.models import Department

    cgj = Department.objects.get(code="CGJ")
    client.force_login(users["supervisor"])
    body = client.get("/oversight/cases/", {"dept": cgj.pk, "step": "reply", "state": "overdue"}).content.decode()
    active = body.split('id="active-filters"', 1)[1].split("</p>", 1)[0]
    assert "城市管理局" in active and "超期" in active


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
