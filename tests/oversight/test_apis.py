"""KPIs over the API: the page's figures, the page's access rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_supervisor_reads_the_same_figures_as_the_kpi_page(client, known_day):
    from oversight.services import rollup_refresh
    from tests.oversight.conftest import DAY

    rollup_refresh(first_day=DAY, last_day=DAY)  # past days are read from the summary tables

    client.force_login(User.objects.get(username="supervisor"))
    params = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    data = client.get("/api/v1/kpis/", params).json()
    page = client.get(reverse("oversight:kpis"), params).context["city"]
    for key, rate in page.rates.items():
        assert data["city"]["rates"][key]["numerator"] == rate.numerator
        assert data["city"]["rates"][key]["denominator"] == rate.denominator
        assert data["city"]["rates"][key]["formula"] == rate.formula
    by_code = {row["department"]: row for row in data["departments"]}
    assert by_code["CGJ"]["ranked"] is True and by_code["ZJJ"]["ranked"] is False


def test_a_department_head_reads_only_their_own_department(client, known_day):
    from tests.oversight.conftest import DAY

    client.force_login(User.objects.get(username="cgj_head"))
    params = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    data = client.get("/api/v1/kpis/", params).json()
    assert [row["department"] for row in data["departments"]] == ["CGJ"]
    assert client.get("/api/v1/kpis/", {**params, "department": "ZJJ"}).status_code == 400


def test_staff_get_403_and_anonymous_401(client, city):
    assert client.get("/api/v1/kpis/").status_code == 401
    client.force_login(User.objects.get(username="cgj_staff"))
    assert client.get("/api/v1/kpis/").status_code == 403


def test_a_reversed_period_is_refused_with_a_clear_error(client, city):
    client.force_login(User.objects.get(username="supervisor"))
    response = client.get("/api/v1/kpis/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400
    assert response.json()["detail"]
