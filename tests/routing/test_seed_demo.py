from __future__ import annotations

import pytest

from demo.city import seed_demo

CODES = {"CGJ", "STHJ", "ZJJ", "JTJ", "JJ", "SCJ", "RSJ", "JYJ", "WJW", "SWJ", "MZJ", "YLJ", "ZRZY", "YJJ"}


@pytest.mark.django_db
def test_seed_demo_creates_the_city_with_every_role():
    from accounts.models import Role, User
    from city.models import Department, District

    counts = seed_demo()
    assert set(Department.objects.values_list("code", flat=True)) == CODES
    assert District.objects.count() == 5
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert counts["categories"] > 14


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    from accounts.models import Membership, User
    from city.models import Category

    seed_demo()
    before = (
        User.objects.count(),
        Category.objects.count(),
        Membership.objects.count(),
        list(User.objects.order_by("pk").values_list("password", flat=True)),
    )
    seed_demo()
    after = (
        User.objects.count(),
        Category.objects.count(),
        Membership.objects.count(),
        list(User.objects.order_by("pk").values_list("password", flat=True)),
    )
    assert before == after
