"""The demo city's hotline: its knowledge base and a few calls, logged through the console's own services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

# number, kind, title, text, outcome, department code or article slug
CALLS = [
    (
        "13700012345",
        "complaint",
        "幸福路夜市油烟扰民",
        "幸福路夜市的烧烤摊每天晚上油烟很大，飘进三楼住户家里，窗户都不敢开。",
        "dispatched",
        "CGJ",
    ),
    (
        "13700012345",
        "complaint",
        "幸福路烧烤油烟还是很大",
        "上周反映过幸福路夜市烧烤油烟的事，现在还是一样，晚上油烟很大。",
        "dispatched",
        "CGJ",
    ),
    (
        "13911112222",
        "consultation",
        "老人乘车卡怎么办",
        "我母亲今年66岁，想办免费乘公交的卡，需要带什么？",
        "answered",
        "jtj-senior-card",
    ),
    (
        "0571-87650000",
        "appeal",
        "单位不给开离职证明",
        "辞职一个月了，公司一直不给开离职证明，新单位入不了职。",
        "triage",
        "",
    ),
]


def seed_calls() -> int:
    """Log the demo calls once (a call from the same number with the same title is not logged twice)."""
    from accounts.models import User
    from city.models import Department
    from feedback.models import Submission
    from feedback.phones import phone_normalize
    from hotline.selectors import caller_history, repeat_candidates
    from hotline.services import call_log, call_start
    from knowledge.models import Article

    operator = User.objects.filter(username="operator").first()
    if operator is None:
        return 0
    logged = 0
    for number, kind, title, text, outcome, target in CALLS:
        if Submission.objects.filter(phone=phone_normalize(number), title=title).exists():
            continue
        e164, token = call_start(operator=operator, number=number, now=timezone.now() - timedelta(seconds=50))
        repeats = repeat_candidates(caller_history(e164), title, text)
        call_log(
            operator=operator,
            call_token=token,
            data={"kind": kind, "title": title, "text": text},
            outcome=outcome,
            department_id=Department.objects.get(code=target).pk if outcome == "dispatched" else None,
            article_id=Article.objects.get(slug=target).pk if outcome == "answered" else None,
            repeat_of_id=repeats[0].pk if repeats else None,
        )
        logged += 1
    return logged
