from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


def test_scoreboard_is_public_and_lists_only_publicly_criticised_cases(client, departments):
    cgj, _zjj = departments
    now = timezone.now()
    d.clock_policies()
    swept = now - timedelta(days=2)
    # Overdue long enough to reach 通报, the top of the ladder, when the sweep runs; the other only 督办.
    criticised = d.open_deadline(
        cgj, "reply", due=swept - timedelta(days=5), phone="13812345678", name="王五"
    ).submission
    warned = d.open_deadline(cgj, "reply", due=swept - timedelta(days=2, hours=1)).submission
    d.sweep(swept)
    assert criticised.escalations.order_by("-level").first().level == 4
    assert warned.escalations.order_by("-level").first().level == 3
    response = client.get(reverse("scoreboard"), {"days": 90})
    assert response.status_code == 200
    assert response.context["days"] == 90
    assert [c.pk for c in response.context["criticised"]] == [criticised.pk]
    body = response.content.decode()
    assert criticised.tracking_number in body and warned.tracking_number not in body
    assert "13812345678" not in body and "王五" not in body


def test_scoreboard_ignores_unknown_periods(client, city):
    assert client.get(reverse("scoreboard"), {"days": "8"}).context["days"] == 30


def test_scoreboard_applies_the_minimum_sample_rule(client, known_day, settings):
    from oversight.services import rollup_refresh
    from tests.oversight.conftest import DAY

    rollup_refresh(first_day=DAY, last_day=DAY)
    response = client.get(reverse("scoreboard"), {"days": 365})
    ranked_ids = [r.department_id for r in response.context["ranked"]]
    apart_ids = [r.department_id for r in response.context["apart"]]
    assert known_day["cgj"].pk in ranked_ids
    assert known_day["zjj"].pk in apart_ids
