"""Surge alerts over the API: supervisors only, with the alert's cases."""

from __future__ import annotations

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_supervisor_lists_alerts_and_reads_one_with_its_cases(client, alert, surge_cases):
    client.force_login(User.objects.get(username="supervisor"))
    listed = client.get("/api/v1/surge-alerts/").json()
    assert [row["id"] for row in listed["results"]] == [alert.pk]
    assert listed["results"][0]["report_count"] == alert.report_count
    detail = client.get(f"/api/v1/surge-alerts/{alert.pk}/").json()
    assert set(detail["tracking_numbers"]) == {s.tracking_number for s in alert.submissions.all()}
    assert detail["tracking_numbers"]


def test_staff_get_403_anonymous_401_and_unknown_ids_404(client, alert):
    assert client.get("/api/v1/surge-alerts/").status_code == 401
    client.force_login(User.objects.get(username="cgj_staff"))
    assert client.get("/api/v1/surge-alerts/").status_code == 403
    assert client.get(f"/api/v1/surge-alerts/{alert.pk}/").status_code == 403
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get("/api/v1/surge-alerts/999999/").status_code == 404


def test_alerts_filter_by_status(client, alert):
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get("/api/v1/surge-alerts/", {"status": alert.status}).json()["count"] == 1
    assert client.get("/api/v1/surge-alerts/", {"status": "no-such-status"}).status_code == 400
