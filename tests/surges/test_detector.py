"""The detector core on plain reports: grouping, bursts, near misses, determinism."""

from __future__ import annotations

from datetime import datetime, timedelta

from surges.detector import Report, replay
from surges.text import features
from tests.surges.conftest import BACKGROUND_TEXTS

T0 = datetime.fromisoformat("2026-03-02T08:00:00+08:00")

# Background: varied everyday submissions, a few an hour.
BACKGROUND = [
    *BACKGROUND_TEXTS,
    "表扬一下社区医院的王医生，态度很好。",
    "新华路有个井盖松动，车开过去咣当响。",
    "单位拖欠我两个月工资，老板一直不给。",
    "城西公园的树枝被风刮断了挂在路上。",
]

# One incident, very different wordings, all naming the same compound.
INCIDENT = [
    "翠湖苑小区从昨天开始停水，到现在还没来水，没法做饭。",
    "翠湖苑停水一天了，物业也说不清楚什么时候恢复。",
    "请问翠湖苑小区为什么停水？有没有通知？家里老人孩子没水用。",
    "我们翠湖苑几栋楼都没水了，自来水公司能不能派水车来？",
    "翠湖苑 停水 快来人",
    "Cuihu Yuan compound has had no running water since yesterday, please send a water truck.",
    "投诉翠湖苑小区供水中断超过二十四小时，未提前公告，请水务部门督促恢复。",
]

# Same broad topic, different places, hours apart: must not be grouped.
NEAR_MISSES = [
    "金沙小区今天上午停水两个小时，也没提前说。",
    "桃源里的自来水有点发黄，烧开了还有沉淀。",
    "北郊村的水压太低，三楼以上用不了热水器。",
    "滨江花园地下室的水管爆了，一直在漏。",
]


def _stream(with_incident: bool = True) -> list[Report]:
    reports = []
    for day in range(2):
        for i, text in enumerate(BACKGROUND):
            reports.append(Report(id=f"bg{day}-{i}", at=T0 + timedelta(days=day, minutes=50 * i), text=text))
    for i, text in enumerate(NEAR_MISSES):
        reports.append(Report(id=f"nm{i}", at=T0 + timedelta(hours=3 * i, minutes=7), text=text, district="d2"))
    if with_incident:
        start = T0 + timedelta(days=1, hours=2)
        for i, text in enumerate(INCIDENT):
            reports.append(Report(id=f"in{i}", at=start + timedelta(minutes=12 * i), text=text, district="d1"))
    return sorted(reports, key=lambda r: r.at)


def test_paraphrases_of_one_incident_raise_one_alert_with_its_cases():
    alerts = replay(_stream())

    assert len(alerts) == 1
    alert = alerts[0]
    assert {f"in{i}" for i in range(5)} <= set(alert.ids)
    assert not [i for i in alert.ids if not i.startswith("in")]
    assert alert.district == "d1"
    assert any("翠湖苑" in place for place in alert.places)


def test_alert_is_raised_soon_after_the_fifth_report():
    alerts = replay(_stream())

    fifth_at = T0 + timedelta(days=1, hours=2, minutes=12 * 4)
    assert fifth_at - timedelta(minutes=15) <= alerts[0].raised_at <= fifth_at + timedelta(minutes=15)
    assert alerts[0].first_at == T0 + timedelta(days=1, hours=2)


def test_background_and_near_misses_raise_nothing():
    assert replay(_stream(with_incident=False)) == []


def test_replaying_the_same_stream_gives_the_same_alerts():
    first = replay(_stream())
    second = replay(list(reversed(_stream())))

    assert [(a.alert_id, a.raised_at, a.ids) for a in first] == [(a.alert_id, a.raised_at, a.ids) for a in second]


def test_english_report_joins_through_the_pinyin_of_the_place_name():
    assert "y:cuihuyuan" in features("Cuihu Yuan compound has had no running water")
    assert "y:cuihuyuan" in features("翠湖苑小区停水")


def test_place_names_are_found_by_their_suffix():
    found = {f for f in features("西环路上全是渣土车撒下来的泥，鼓楼小区门口也是") if f.startswith("p:")}

    assert {"p:西环路", "p:鼓楼小区"} <= found
