"""Citizens' urges (催办) of overdue cases: how often, and at which departments, people had to press."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q

from city.models import Department
from feedback.models import CaseEvent
from feedback.workflow import Action
from oversight.kpis import local_midnight


def urges_by_department(
    *, case_q: Q, first_day: date, last_day: date, departments=None, names: dict | None = None
) -> dict:
    """Urges made in the period, in all and per lead department (most urged first), with the cases urged.

    An urge counts against the department leading the case now: the one the citizen pressed. One query:
    a case has one lead department, so the cases urged in all are the sum of each department's.
    ``names``: the departments by id, when the caller has them already.
    """
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    urges = CaseEvent.objects.filter(case_q, action=Action.URGE, created_at__gte=start, created_at__lt=end)
    if departments is not None:
        urges = urges.filter(submission__lead_department__in=departments)
    rows = list(
        urges.values("submission__lead_department")
        .annotate(urges=Count("id"), cases=Count("submission", distinct=True))
        .order_by("-urges", "submission__lead_department")
    )
    if names is None:
        names = Department.objects.in_bulk(
            [r["submission__lead_department"] for r in rows if r["submission__lead_department"]]
        )
    per_department = [
        {"department": names.get(r["submission__lead_department"]), "urges": r["urges"], "cases": r["cases"]}
        for r in rows
    ]
    return {
        "total": sum(r["urges"] for r in rows),
        "cases": sum(r["cases"] for r in rows),
        "departments": per_department,
    }
