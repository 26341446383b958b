"""The routing-rule admin: problem flags and the preview of the last submissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from city.models import Department
from routing.models import RoutingRule
from routing.services import submission_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(city):
    zjj = Department.objects.get(code="ZJJ")
    shadowed = RoutingRule.objects.create(name="工地欠薪", order=500, keywords_all="工地\n欠薪", lead_department=zjj)
    never = RoutingRule.objects.create(
        name="自相矛盾", order=510, keywords_all="施工噪音", keywords_none="噪音", lead_department=zjj
    )
    return shadowed, never


def staff_user(username, *, can_view):
    user = User.objects.create_user(username=username, password="pw", role="supervisor", is_staff=True)
    if can_view:
        user.user_permissions.add(Permission.objects.get(codename="view_routingrule"))
    return user


def test_administrator_sees_shadowed_and_never_matching_rules_flagged(client, rules):
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/routing/routingrule/").content.decode()
    assert "完全覆盖" in page or "fully shadowed" in page
    assert "永远不会匹配" in page or "can never match" in page


def test_preview_lists_the_recent_submissions_the_rule_would_catch(
    client, rules, router, make_submission, django_assert_max_num_queries
):
    wages = RoutingRule.objects.get(source="catalogue:wages-owed")
    caught = make_submission("工地欠薪", "包工头拖欠工资三个月")
    missed = make_submission("小区停水", "停水一天")
    submission_route(submission_id=caught.pk)
    client.force_login(User.objects.get(username="admin"))
    with django_assert_max_num_queries(20):
        response = client.get(f"/admin/routing/routingrule/{wages.pk}/preview/")
    page = response.content.decode()
    assert response.status_code == 200
    assert caught.tracking_number in page and missed.tracking_number not in page


def test_preview_needs_permission_to_view_rules(client, rules):
    wages = RoutingRule.objects.get(source="catalogue:wages-owed")
    url = f"/admin/routing/routingrule/{wages.pk}/preview/"
    alice = staff_user("alice", can_view=True)  # may view rules
    bob = staff_user("bob", can_view=False)  # staff, but not for rules
    client.force_login(alice)
    assert client.get(url).status_code == 200
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.logout()  # charlie: not signed in
    assert client.get(url).status_code == 302
