"""Two demo consultations for the demo city, made through the services (idempotent).

One is open, with suggestions and supports; one is answered, with an adopted
idea on its way to done. Needs the demo city (``demo.city.seed_demo``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from city.models import Department
from consultations import services
from consultations.models import Consultation, SuggestionGroup

OPEN_TITLE = "湖滨路改造：怎样让骑车和步行更安全？"
ANSWERED_TITLE = "老旧小区加装电梯：您有什么建议？"

OPEN_SUGGESTIONS = [
    ("湖滨路增设非机动车道", "湖滨路早晚高峰电动车和汽车混行很危险，建议划出单独的非机动车道。", 3),
    ("湖滨路应该设非机动车道", "湖滨路上下班时电动车与汽车混行，很危险，希望划一条非机动车专用道。", 1),
    ("学校门口增加过街信号灯", "湖滨路小学门口没有信号灯，孩子过马路很危险，建议增设行人过街信号灯。", 2),
    ("人行道不要停车", "湖滨路人行道上经常停满汽车，行人只能走机动车道，建议设置隔离桩。", 0),
]
ANSWERED_SUGGESTIONS = [
    ("加装电梯费用分摊要有标准", "建议出台加装电梯费用按楼层分摊的参考标准，减少邻里矛盾。"),
    ("加装电梯费用按楼层分摊", "希望政府给出加装电梯按楼层分摊费用的指导标准，一楼住户少出或不出。"),
    ("简化加装电梯审批", "加装电梯审批要跑好几个部门，建议一窗受理、并联审批。"),
]


@transaction.atomic
def seed_demo_consultations() -> int:
    """Create what is missing; returns the number of consultations created."""

    created = 0
    now = timezone.now()
    if not Consultation.objects.filter(title=OPEN_TITLE).exists():
        staff = User.objects.get(username="cgj_staff")
        consultation = services.consultation_open(
            by=staff,
            department=Department.objects.get(code="CGJ"),
            title=OPEN_TITLE,
            question="湖滨路明年改造。怎样让骑车和步行的人更安全？请提出您的建议。",
            background="湖滨路全长约2公里，连接东城区和南湖区，早晚高峰车流量大，沿线有一所小学。",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=14),
        )
        for index, (title, text, supporters) in enumerate(OPEN_SUGGESTIONS):
            suggestion = services.suggestion_create(consultation_id=consultation.pk, title=title, text=text).suggestion
            for n in range(supporters):
                requested = services.support_request(
                    suggestion_reference=suggestion.reference, email=f"demo.supporter{index}.{n}@example.com"
                )
                services.support_confirm(token=requested.verification.token, code=requested.code)
        created += 1
    if not Consultation.objects.filter(title=ANSWERED_TITLE).exists():
        staff = User.objects.get(username="zjj_staff")
        consultation = services.consultation_open(
            by=staff,
            department=Department.objects.get(code="ZJJ"),
            title=ANSWERED_TITLE,
            question="老旧小区加装电梯工作如何推进得更顺利？",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=20) + timedelta(minutes=1),
            now=now - timedelta(days=40),
        )
        for title, text in ANSWERED_SUGGESTIONS:
            services.suggestion_create(
                consultation_id=consultation.pk, title=title, text=text, now=now - timedelta(days=30)
            )
        services.consultation_close(consultation_id=consultation.pk, by=staff, now=now - timedelta(days=20))
        services.groups_confirm(consultation_id=consultation.pk, by=staff, now=now - timedelta(days=19))
        groups = list(SuggestionGroup.objects.filter(consultation=consultation).order_by("pk"))
        cost = next(g for g in groups if g.suggestions.count() == 2)
        answer = services.group_answer(
            group_id=cost.pk,
            by=staff,
            outcome="adopted",
            reason="采纳。我局将出台加装电梯费用分摊参考标准。",
            now=now - timedelta(days=12),
        )
        services.answer_progress(
            answer_id=answer.pk, by=staff, progress="in_progress", text="参考标准已起草，正在征求意见。",
            now=now - timedelta(days=5),
        )  # fmt: skip
        for group in groups:
            if group.pk != cost.pk:
                services.group_answer(
                    group_id=group.pk,
                    by=staff,
                    outcome="partly_adopted",
                    reason="部分采纳：年内试行一窗受理，并联审批需市级统筹。",
                    now=now - timedelta(days=12),
                )
        created += 1
    return created
