"""The public scoreboard: cases publicly criticised (通报)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import IntegerField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from feedback.models import CaseEvent, EventKind, Submission
from oversight.selectors.overdue import _escalation_model, public_criticism_level


def criticised_submission_ids(level: int):
    """Ids of cases escalated to ``level`` or above (a subquery; starts from the escalations, not the cases)."""
    model = _escalation_model()
    if model is not None:
        return model.objects.filter(level__gte=level).values("submission_id")
    return (
        CaseEvent.objects.filter(kind=EventKind.ESCALATION)
        .annotate(level=Cast(KeyTextTransform("level", "payload"), IntegerField()))
        .filter(level__gte=level)
        .values("submission_id")
    )


def criticised_cases(*, now: datetime, limit: int = 50) -> list:
    """Overdue cases that reached public criticism (通报) on the escalation ladder; no personal data."""
    qs = (
        Submission.objects.filter(pk__in=criticised_submission_ids(public_criticism_level()))
        .select_related("lead_department", "category", "district")
        .only(
            "tracking_number",
            "created_at",
            "status",
            "lead_department__name_zh",
            "lead_department__name_en",
            "category__name_zh",
            "category__name_en",
            "district__name_zh",
            "district__name_en",
        )
        .order_by("-created_at")
    )
    return list(qs[:limit])
