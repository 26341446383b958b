"""Alert pages: who may see and merge, what they show, and how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from city.models import Department
from surges.models import AlertStatus, Incident, SurgeAlert
from surges.services import surge_scan
from tests.surges.conftest import NOW

pytestmark = pytest.mark.django_db


def test_supervisor_sees_the_alert_list_and_detail(client, people, alert):
    client.force_login(people["alice"])

    listing = client.get(reverse("surges:list"))
    detail = client.get(reverse("surges:detail", args=[alert.pk]))

    assert listing.status_code == 200
    assert alert.headline in listing.content.decode()
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "翠湖苑" in body and 'id="merge-form"' in body
    assert body.count("QT") >= 6  # every case's tracking number


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_dispatcher_and_staff_cannot_see_alerts(client, people, alert, who):
    client.force_login(people[who])

    assert client.get(reverse("surges:list")).status_code == 403
    assert client.get(reverse("surges:detail", args=[alert.pk])).status_code == 404
    swj = Department.objects.get(code="SWJ")
    response = client.post(reverse("surges:merge", args=[alert.pk]), {"lead_department": swj.pk})
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, alert):
    response = client.get(reverse("surges:detail", args=[alert.pk]))

    assert response.status_code == 302 and "login" in response["Location"]


def test_missing_alert_is_404_like_a_forbidden_one(client, people):
    client.force_login(people["alice"])

    assert client.get(reverse("surges:detail", args=[999999])).status_code == 404


def test_merge_from_the_page_creates_the_incident(client, people, alert):
    client.force_login(people["alice"])
    swj = Department.objects.get(code="SWJ")

    response = client.post(reverse("surges:merge", args=[alert.pk]), {"lead_department": swj.pk, "title": "停水"})

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surges:incident", args=[incident.pk])
    assert incident.lead_department == swj and incident.title == "停水"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.MERGED


def test_merge_without_a_department_shows_the_error_and_changes_nothing(client, people, alert):
    client.force_login(people["alice"])

    response = client.post(reverse("surges:merge", args=[alert.pk]), {"lead_department": ""})

    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Incident.objects.exists()


def test_alert_list_query_count_does_not_grow_with_alerts(client, people, alert, django_assert_max_num_queries):
    for i in range(15):
        SurgeAlert.objects.create(
            key=f"extra{i}", first_at=NOW, latest_at=NOW, district=alert.district, report_count=5, places=["某小区"]
        )
    client.force_login(people["alice"])

    with django_assert_max_num_queries(6):
        response = client.get(reverse("surges:list"))
    assert response.content.decode().count('class="card"') >= 16


def test_alert_detail_query_count_is_bounded(client, people, alert, django_assert_max_num_queries):
    client.force_login(people["alice"])

    with django_assert_max_num_queries(10):
        client.get(reverse("surges:detail", args=[alert.pk]))


def test_dispatcher_confirms_a_same_incident_link(client, people, surge_cases):
    first, second, third = surge_cases["incident"][:3]
    client.force_login(people["bob"])

    page = client.get(reverse("surges:propose", args=[first.pk]))
    assert page.status_code == 200
    assert second.tracking_number in page.content.decode()

    swj = Department.objects.get(code="SWJ")
    response = client.post(
        reverse("surges:propose", args=[first.pk]), {"cases": [second.pk, third.pk], "lead_department": swj.pk}
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert set(incident.links.values_list("submission_id", flat=True)) == {first.pk, second.pk, third.pk}


def test_staff_cannot_open_the_link_page(client, people, surge_cases):
    client.force_login(people["charlie"])

    assert client.get(reverse("surges:propose", args=[surge_cases["incident"][0].pk])).status_code == 404


def test_supervisor_dismisses_an_alert_once(client, people, alert):
    client.force_login(people["alice"])

    first = client.post(reverse("surges:dismiss", args=[alert.pk]))
    second = client.post(reverse("surges:dismiss", args=[alert.pk]), follow=True)

    assert first.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED
    assert "已处理" in second.content.decode() or "already been handled" in second.content.decode()


def test_dispatcher_cannot_dismiss(client, people, alert):
    client.force_login(people["bob"])

    assert client.post(reverse("surges:dismiss", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_supervisor_leaves_out_a_case_and_it_stays_out(
    client, people, alert, surge_cases, django_capture_on_commit_callbacks
):
    client.force_login(people["alice"])
    swj = Department.objects.get(code="SWJ")
    kept = [case.pk for case in surge_cases["incident"][:-1]]
    left_out = surge_cases["incident"][-1]

    page = client.get(reverse("surges:detail", args=[alert.pk])).content.decode()
    assert f'id="case-{left_out.pk}"' in page and "checked" in page
    response = client.post(
        reverse("surges:merge", args=[alert.pk]), {"lead_department": swj.pk, "cases_sent": "1", "cases": kept}
    )
    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW + timedelta(minutes=10))

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert sorted(incident.links.values_list("submission_id", flat=True)) == sorted(kept)


def test_merging_a_case_of_another_alert_is_refused(client, people, alert, city):
    from tests.surges.conftest import make_case

    client.force_login(people["alice"])
    swj = Department.objects.get(code="SWJ")
    stranger = make_case("别的事情", at=NOW)

    response = client.post(
        reverse("surges:merge", args=[alert.pk]), {"lead_department": swj.pk, "cases_sent": "1", "cases": [stranger.pk]}
    )

    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_case_texts_on_the_alert_page_have_contact_details_masked(client, people, alert):
    from feedback.models import Submission

    member = alert.members.first().submission
    Submission.objects.filter(pk=member.pk).update(
        title="翠湖苑停水 请回电13812345678", text=member.text + " 联系我 13812345678 或 li.ming@example.com"
    )
    client.force_login(people["alice"])
    body = client.get(reverse("surges:detail", args=[alert.pk])).content.decode()
    assert "翠湖苑停水 请回电138" in body  # the title is there, its number masked
    assert "13812345678" not in body and "li.ming@example.com" not in body
