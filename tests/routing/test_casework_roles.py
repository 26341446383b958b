"""Every role's home is its work: sign-in lands there, and the navigation counts what waits."""

from __future__ import annotations

import pytest

from demo.city import DEMO_PASSWORD
from feedback.models import Status
from tests.factories import make_case

HOMES = {
    "cgj_staff": "/staff/",
    "cgj_head": "/staff/",
    "zjj_staff": "/staff/",
    "dispatcher": "/dispatch/",
    "supervisor": "/oversight/",
    "admin": "/admin/",
}


@pytest.mark.parametrize("username", sorted(HOMES))
def test_sign_in_lands_each_role_on_its_work(client, city, username):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == HOMES[username]
    assert response.status_code == 200


def test_a_next_parameter_still_wins_over_the_role_home(client, city):
    response = client.post("/accounts/login/?next=/deadlines/", {"username": "cgj_staff", "password": DEMO_PASSWORD})
    assert response["Location"] == "/deadlines/"


def _badge(html: str, name: str) -> str | None:
    marker = f'data-count="{name}"'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_navigation_counts_the_work_waiting_for_each_role(client, city):
    from accounts.models import User

    make_case(status=Status.ASSIGNED)
    make_case(status=Status.IN_PROGRESS)
    make_case(status=Status.TRIAGE)
    make_case(status=Status.ASSIGNED, department="ZJJ")
    client.force_login(User.objects.get(username="cgj_staff"))
    html = client.get("/staff/").content.decode()
    assert _badge(html, "inbox") == "2"
    client.force_login(User.objects.get(username="dispatcher"))
    html = client.get("/dispatch/").content.decode()
    assert _badge(html, "triage") == "1"


def test_a_supervisor_sees_the_overdue_count_in_the_navigation(client, city):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from deadlines.models import Deadline

    case = make_case(status=Status.IN_PROGRESS)
    # The world: a deadline that has passed (the sweep that marks it is tested elsewhere).
    Deadline.objects.filter(submission=case).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(User.objects.get(username="supervisor"))
    html = client.get("/oversight/").content.decode()
    assert _badge(html, "overdue") == "1"
