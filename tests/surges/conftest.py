"""Cases for surge tests, and the three people of every permission test."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from feedback.models import Status, Submission
from surges.models import SurgeAlert
from surges.services import surge_scan

_numbers = itertools.count(1)

NOW = timezone.make_aware(datetime(2026, 3, 3, 12, 0))

INCIDENT_TEXTS = [
    "翠湖苑小区从昨天开始停水，到现在还没来水，没法做饭。",
    "翠湖苑停水一天了，物业也说不清楚什么时候恢复。",
    "请问翠湖苑小区为什么停水？有没有通知？家里老人孩子没水用。",
    "我们翠湖苑几栋楼都没水了，自来水公司能不能派水车来？",
    "翠湖苑 停水 快来人",
    "投诉翠湖苑小区供水中断超过二十四小时，未提前公告，请水务部门督促恢复。",
]

BACKGROUND_TEXTS = [
    "幸福路上的路灯坏了好几盏，晚上走路很黑。",
    "建议在人民公园多装几个长椅，老人散步累了没地方坐。",
    "东风小区门口有人乱停车，消防通道被堵住了。",
    "请问孩子上小学需要准备哪些入学材料？",
    "光明街的早餐店用地沟油，吃了拉肚子。",
    "公交12路早高峰太挤了，希望增加班次。",
    "我的社保卡丢了，怎么补办？",
    "南门市场旁边的垃圾桶满了没人清理。",
]


def make_case(text: str, *, at: datetime, district=None, status: str = Status.TRIAGE, **extra) -> Submission:
    number = next(_numbers)
    return Submission.objects.create(
        tracking_number=f"QT{number:06d}",
        secret_hash="x",
        kind="complaint",
        title=text[:20],
        text=text,
        district=district,
        status=status,
        created_at=at,
        **extra,
    )


@pytest.fixture
def people(city):
    from accounts.models import User

    return {
        "alice": User.objects.get(username="supervisor"),  # may see and merge alerts
        "bob": User.objects.get(username="dispatcher"),  # may link cases, not merge alerts
        "charlie": User.objects.get(username="cgj_staff"),  # should have no access
    }


@pytest.fixture
def surge_cases(city):
    """Background over two days, then six reports of one water outage in one district within an hour."""
    from city.models import District

    district = District.objects.get(code="nanhu")
    background = [
        make_case(text, at=NOW - timedelta(days=3) + timedelta(hours=3 * i))
        for i, text in enumerate(BACKGROUND_TEXTS * 3)
    ]
    incident = [
        make_case(text, at=NOW - timedelta(minutes=60) + timedelta(minutes=10 * i), district=district)
        for i, text in enumerate(INCIDENT_TEXTS)
    ]
    return {"background": background, "incident": incident, "district": district}


@pytest.fixture
def send_now(monkeypatch):
    """Run the email task inline instead of through the broker."""
    from surges import tasks

    monkeypatch.setattr(tasks.send_surge_notifications, "delay", lambda ids: tasks.send_surge_notifications(ids))


@pytest.fixture
def alert(surge_cases, send_now, django_capture_on_commit_callbacks):
    """The alert the scan raises over ``surge_cases`` (its notices sent at once)."""
    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW)
    return SurgeAlert.objects.get()
