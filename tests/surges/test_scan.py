"""The beat job: alerts from the database, once, with one notice per supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from surges.models import SurgeAlert, SurgeAlertMember, SurgeAlertNotification
from surges.services import surge_scan
from surges.tasks import send_pending_surge_notifications_sweep
from tests.surges.conftest import NOW, make_case

pytestmark = pytest.mark.django_db


def test_scan_groups_the_incident_into_one_alert(surge_cases, send_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = surge_scan(now=NOW)

    assert len(result.created) == 1
    alert = SurgeAlert.objects.get()
    member_ids = set(alert.members.values_list("submission_id", flat=True))
    assert member_ids == {case.pk for case in surge_cases["incident"]}
    assert alert.report_count == 6
    assert alert.district == surge_cases["district"]
    assert any("翠湖苑" in place for place in alert.places)
    assert alert.first_at == surge_cases["incident"][0].created_at
    assert alert.latest_at == surge_cases["incident"][-1].created_at


def test_supervisors_are_notified_once_per_alert(surge_cases, send_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        again = surge_scan(now=NOW)  # the beat fires twice
    with django_capture_on_commit_callbacks(execute=True):
        later = surge_scan(now=NOW + timedelta(minutes=5))

    assert again.created == [] and later.created == []
    assert SurgeAlert.objects.count() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["admin@qinghe.example", "supervisor@qinghe.example"]
    assert SurgeAlertNotification.objects.filter(sent_at__isnull=False).count() == 2
    assert "翠湖苑" in mail.outbox[0].subject
    assert send_pending_surge_notifications_sweep() == 0  # nothing left to send


def test_alert_grows_as_more_reports_arrive(surge_cases, send_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW)
    late = make_case(
        "翠湖苑小区还是没有水，已经第二天了，请赶紧恢复供水。",
        at=NOW + timedelta(minutes=20),
        district=surge_cases["district"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = surge_scan(now=NOW + timedelta(minutes=25))

    alert = SurgeAlert.objects.get()
    assert result.updated == [alert.pk]
    assert SurgeAlertMember.objects.filter(alert=alert, submission=late).exists()
    assert alert.report_count == 7
    assert alert.latest_at == late.created_at
    assert len(mail.outbox) == 2  # growing is not a new alert


def test_background_alone_raises_no_alert(city):
    for i, text in enumerate(["路灯坏了", "公园长椅太少", "门口乱停车", "入学材料", "早餐店地沟油", "公交太挤"]):
        make_case(text, at=NOW - timedelta(minutes=10 * i))

    assert surge_scan(now=NOW).created == []
    assert not SurgeAlert.objects.exists()


def test_lost_email_message_is_sent_by_the_sweep(surge_cases, monkeypatch, django_capture_on_commit_callbacks):
    from surges import tasks

    def broker_down(ids):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(tasks.send_surge_notifications, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW)
    assert mail.outbox == []

    assert send_pending_surge_notifications_sweep() == 2
    assert len(mail.outbox) == 2


def test_beat_task_is_idempotent(surge_cases, send_now, django_capture_on_commit_callbacks, monkeypatch):
    from django.utils import timezone

    from surges.tasks import surge_scan_task

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with django_capture_on_commit_callbacks(execute=True):
        assert surge_scan_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert surge_scan_task() == 0
    assert SurgeAlert.objects.count() == 1
    assert len(mail.outbox) == 2


def test_each_text_is_segmented_once_and_later_scans_read_the_stored_features(surge_cases, monkeypatch):
    from surges import services
    from surges.models import SurgeScanState, TextFeatures
    from surges.text import FEATURES_VERSION, features

    calls = []

    def counted(text):
        calls.append(text)
        return features(text)

    monkeypatch.setattr(services, "features", counted)
    first = surge_scan(now=NOW)
    stored = TextFeatures.objects.count()
    assert stored == len(calls) > 0
    calls.clear()
    again = surge_scan(now=NOW + timedelta(minutes=5))
    assert calls == [] and TextFeatures.objects.count() == stored
    assert again.created == [] and again.updated == first.created  # the same alert, found from stored features
    # Features of an older version are recomputed, not mixed with the current kind.
    TextFeatures.objects.update(version=FEATURES_VERSION - 1)
    SurgeScanState.objects.all().delete()  # as a new FEATURES_VERSION does: the state is rebuilt
    surge_scan(now=NOW + timedelta(minutes=10))
    assert len(calls) == stored and not TextFeatures.objects.exclude(version=FEATURES_VERSION).exists()


def test_stored_features_give_the_same_alerts_as_computing_them(surge_cases):
    from surges.services import surge_detect
    from surges.text import features

    features.cache_clear()
    computed = surge_detect(now=NOW)  # stores them
    features.cache_clear()
    from_store = surge_detect(now=NOW)
    assert computed and computed == from_store
