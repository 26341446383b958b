"""A city with something to supervise, made through the real services at chosen instants.

Citizens submit (``submission_create``), the router places each case
(``submission_route``, or a dispatcher when it sends one to triage), staff
sign for, return, reply, citizens rate; then the beat jobs run as they would:
the deadline sweep (``run_deadlines``), the KPI rollup (``oversight_rollup``'s
service) and the surge scan (``surge_scan_task``). Nothing is written around
the services, so the pages show what production would show.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.surges.conftest import INCIDENT_TEXTS

STAFF = {"CGJ": "cgj_staff", "ZJJ": "zjj_staff", "SWJ": "swj_staff", "STHJ": "sthj_staff"}

# Each citizen leaves a name, a mobile number and an email address; none of them may leave the back office.
CITIZENS = [
    ("李娜", "13911112222", "lina.qh@example.cn"),
    ("王强", "13822223333", "wangqiang@example.cn"),
    ("陈静", "13733334444", "chenjing@example.cn"),
    ("刘洋", "13644445555", "liuyang@example.cn"),
]
# A citizen who wrote a number into the title: the export and the oversight pages must mask it.
PHONE_IN_TITLE = "13912345678"

# label, category, priority, age when submitted, signed for?, title.
# Normal cases are older than the longest public holiday (plus five working days to reply when signed for), so
# they are overdue whatever today is, at the top escalation level. Urgent deadlines run on the clock (sign for
# in 2 h, reply in 24 h, a level every 4 h), so their ages give each escalation level on any day:
# 3 h → 1, 8 h → 2, 35 h → 3 (reply), 9 days → 4.
OPEN_CASES = [
    ("cgj-garbage", "city.garbage", "normal", timedelta(days=20), True, "小区门口垃圾两周无人清运"),
    ("cgj-vendors", "city.vendors", "normal", timedelta(days=12), False, "夜市摊贩占道经营，人行道走不了人"),
    ("cgj-billboard", "city.ads", "urgent", timedelta(hours=3), False, "广告牌松动有坠落危险"),
    (
        "cgj-rooftop",
        "city.structures",
        "urgent",
        timedelta(hours=35),
        True,
        f"楼顶正在加盖违章建筑，请回电{PHONE_IN_TITLE}",
    ),
    ("cgj-sewage", "city.garbage", "urgent", timedelta(days=9), True, "垃圾站污水横流，臭味熏人"),
    ("zjj-roof", "housing.property", "normal", timedelta(days=19), True, "物业一直不修漏水的楼顶"),
    ("zjj-gas", "housing.gas", "urgent", timedelta(hours=8), False, "楼道里一直有燃气味"),
    ("swj-drain", "water.drainage", "normal", timedelta(days=13), False, "小区雨水井堵塞，一下雨就积水"),
    ("sthj-noise", "environment.noise", "normal", timedelta(days=18), True, "工厂夜间机器噪声扰民"),
    ("jtj-pothole", "transport.road", "normal", timedelta(hours=3), False, "幸福路路面塌陷一个大坑"),
]

# Replied and rated cases over the last days, so the KPIs, the rates chart and the handling-time chart have figures.
RATED = [
    ("city.garbage", "satisfied", True, "南门市场旁垃圾桶满了"),
    ("housing.site", "basically", True, "工地夜间施工噪音大"),
    ("water.supply", "unsatisfied", False, "自来水发黄有异味"),
    ("environment.air", "satisfied", True, "化工厂排放刺鼻废气"),
    ("city.vendors", "unsatisfied", False, "学校门口流动摊贩太多"),
    ("housing.property", "satisfied", True, "电梯经常停运"),
    ("water.drainage", "basically", True, "路口下水道返臭"),
    ("city.ads", "satisfied", True, "小广告贴满电线杆"),
]

# Six reports of one water outage, worded differently: the surge tests' incident.
SURGE_TEXTS = INCIDENT_TEXTS


@dataclass
class SupervisorCity:
    cases: dict  # label -> Submission, the open cases of OPEN_CASES plus "bounced"
    surge_cases: list
    alert: object  # the SurgeAlert the scan raised
    today: date


def build(now: datetime) -> SupervisorCity:
    """The demo city (``seed_demo``) plus overdue, returned, rated and surging cases, as of ``now``."""
    from demo.city import seed_demo
    from oversight.services import rollup_refresh
    from surges.models import SurgeAlert
    from surges.tasks import surge_scan_task

    seed_demo()
    contacts = itertools.cycle(CITIZENS)
    cases = {}
    for label, category, priority, age, signed, title in OPEN_CASES:
        at = now - age
        case = _submit(category, priority, at, title, f"{title}。希望尽快处理。", next(contacts))
        if signed:
            _sign_for(case, at + timedelta(minutes=30))
        cases[label] = case
    cases["bounced"] = _bounced(now - timedelta(days=12), next(contacts))
    _rated(now, contacts)

    surge_cases = [
        _submit("water.supply", "normal", now - timedelta(minutes=70 - 10 * i), text[:20], text, citizen, "nanhu")
        for i, (text, citizen) in enumerate(zip(SURGE_TEXTS, contacts, strict=False))  # contacts cycle
    ]

    # The beat jobs, as they run: the deadline sweep escalates, the rollup fills the KPI days, the scan finds surges.
    call_command("run_deadlines")
    today = timezone.localdate(now)
    rollup_refresh(first_day=today - timedelta(days=30), last_day=today)
    assert surge_scan_task.apply().get() == 1, "the scan raises one alert for the water outage"
    alert = SurgeAlert.objects.get()
    assert set(alert.members.values_list("submission_id", flat=True)) == {c.pk for c in surge_cases}
    cases = {label: _fresh(case) for label, case in cases.items()}
    return SupervisorCity(cases=cases, surge_cases=surge_cases, alert=alert, today=today)


def _fresh(case):
    case.refresh_from_db()
    return case


def _user(username: str):
    from accounts.models import User

    return User.objects.get(username=username)


def _submit(category_code, priority, at, title, text, citizen, district_code=None):
    """A citizen's submission at ``at``, routed at the same instant (by a dispatcher if the router is unsure)."""
    from casework.triage import case_dispatch
    from city.models import Category, District
    from feedback.models import Status
    from feedback.services import submission_create
    from routing.services import submission_route

    category = Category.objects.get(code=category_code)
    name, phone, email = citizen
    data = {
        "kind": "complaint",
        "category": category,
        "title": title,
        "text": text,
        "priority": priority,
        "name": name,
        "phone": phone,
        "email": email,
        "district": District.objects.get(code=district_code) if district_code else None,
    }
    # Routed inside the submission's transaction, at its own instant: the routing task
    # enqueued on commit then finds the case placed and leaves it alone.
    with transaction.atomic():
        case, _secret, _created = submission_create(data=data, now=at)
        routed = submission_route(submission_id=case.pk, now=at)
        if routed is not None and routed.status == Status.TRIAGE:
            case_dispatch(
                submission_id=case.pk,
                actor=_user("dispatcher"),
                department_id=category.default_department_id,
                reason="按事项分类派单",
                now=at,
            )
    case.refresh_from_db()
    assert case.priority == priority and case.lead_department_id, (case.tracking_number, case.priority)
    return case


def _sign_for(case, at):
    from casework.services import assignment_sign_for

    assignment_sign_for(submission_id=case.pk, actor=_user(STAFF[case.lead_department.code]), now=at)


def _bounced(at, citizen):
    """Returned twice by departments that say it is not theirs, each return accepted and re-dispatched."""
    from casework.models import ReturnReason
    from casework.returns import case_return, return_accept
    from city.models import Department

    title = "小区地下室长期积水发臭"
    case = _submit("city.garbage", "normal", at, title, f"{title}，蚊虫很多。", citizen)
    reason = ReturnReason.objects.get(code="not_our_duty")
    for step in range(2):
        moment = at + timedelta(hours=1 + 2 * step)
        case.refresh_from_db()
        returned_by = case.lead_department.code
        to = next(code for code in ("ZJJ", "SWJ", "CGJ") if code != returned_by)
        case_return(
            submission_id=case.pk,
            actor=_user(STAFF[returned_by]),
            reason_id=reason.pk,
            text="不属于本单位职责",
            now=moment,
        )
        return_accept(
            submission_id=case.pk,
            actor=_user("dispatcher"),
            department_id=Department.objects.get(code=to).pk,
            reason="积水问题转相关单位",
            now=moment + timedelta(hours=1),
        )
    return case


def _rated(now, contacts):
    """One case a day for the last days: signed for, replied the same day, rated the next morning."""
    from casework.services import case_reply
    from feedback.services import rating_submit

    today = timezone.localdate(now)
    for days_ago, (category, satisfaction, resolved, title) in enumerate(RATED, start=2):
        at = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9, 30)))
        case = _submit(category, "normal", at, title, f"{title}，请相关部门处理。", next(contacts))
        _sign_for(case, at + timedelta(minutes=40))
        case_reply(
            submission_id=case.pk,
            actor=_user(STAFF[case.lead_department.code]),
            disposition="resolved",
            text="已到现场核实并处理完毕。",
            now=at + timedelta(hours=5 + days_ago % 3),
        )
        rating_submit(
            submission_id=case.pk,
            satisfaction=satisfaction,
            is_resolved=resolved,
            now=at + timedelta(days=1),
        )
