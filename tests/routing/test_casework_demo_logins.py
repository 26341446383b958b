"""Every demo department has a staff login, so any case in the demo city can be followed to its end."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.city import DEMO_PASSWORD, DEPARTMENTS

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("code", [d[0] for d in DEPARTMENTS])
def test_every_demo_department_has_a_staff_login_that_signs_in(client, city, code):
    from accounts.models import User

    member = User.objects.filter(memberships__department__code=code).order_by("username").first()
    assert member is not None, code
    response = client.post("/accounts/login/", {"username": member.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, code
    assert client.get("/staff/").status_code == 200


def test_the_readme_demo_logins_table_lists_every_department_login(city):
    from accounts.models import User

    table = README.read_text(encoding="utf-8").split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    for user in User.objects.filter(memberships__isnull=False):
        assert f"`{user.username}`" in table, user.username
