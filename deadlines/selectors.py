"""Reads on the deadline side: what is near or past its deadline, and how far it was escalated.

Every deadline list is scoped first: department staff see their departments, supervisors (and
administrators) see everything, anyone else sees nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from deadlines.models import Deadline, Escalation, EscalationLevel, TaskFailure
from deadlines.services import LADDER_STEPS


def department_scope(user) -> set[int] | None:
    """None means every department (supervisors); an empty set means none."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_supervisor:
        return None
    return set(user.department_ids())


def _running(department_ids: set[int] | None) -> QuerySet[Deadline]:
    deadlines = Deadline.objects.filter(is_open=True, paused_at__isnull=True, step__in=LADDER_STEPS)
    if department_ids is not None:
        deadlines = deadlines.filter(department_id__in=department_ids)
    return deadlines.select_related("submission", "department").annotate(escalation_level=F("next_level") - 1)


def deadlines_overdue(*, department_ids: set[int] | None = None, now: datetime | None = None) -> QuerySet[Deadline]:
    """Open, running deadlines that have passed, oldest first, with the level reached."""
    now = now or timezone.now()
    return _running(department_ids).filter(due_at__lte=now).order_by("due_at", "id")


def deadlines_warning(*, department_ids: set[int] | None = None, now: datetime | None = None) -> QuerySet[Deadline]:
    """Open, running deadlines past their warning point but not yet due, soonest first."""
    now = now or timezone.now()
    return _running(department_ids).filter(warn_at__lte=now, due_at__gt=now).order_by("due_at", "id")


def escalations_for(*, submission_id: int) -> QuerySet[Escalation]:
    return (
        Escalation.objects.filter(submission_id=submission_id)
        .select_related("department")
        .order_by("created_at", "level")
    )


def escalations_recent(
    *, department_ids: set[int] | None = None, min_level: int = EscalationLevel.SUPERVISION, limit: int = 50
) -> QuerySet[Escalation]:
    """The latest escalations at or above ``min_level`` (supervision orders by default), newest first."""
    escalations = Escalation.objects.filter(level__gte=min_level)
    if department_ids is not None:
        escalations = escalations.filter(department_id__in=department_ids)
    return escalations.select_related("submission", "department").order_by("-created_at", "-id")[:limit]


def public_criticism_cases() -> QuerySet[Escalation]:
    """Cases under public criticism (通报) whose deadline is still open: for the public scoreboard.

    Only the tracking number, category, department and due date are meant to be shown.
    """
    return (
        Escalation.objects.filter(level=EscalationLevel.CRITICISM, deadline__is_open=True)
        .select_related("submission__category", "department")
        .only(
            "id",
            "level",
            "due_at",
            "created_at",
            "step",
            "submission__tracking_number",
            "submission__category__name_zh",
            "submission__category__name_en",
            "department__name_zh",
            "department__name_en",
        )
        .order_by("due_at")
    )


def task_failures_open(*, limit: int = 20) -> QuerySet[TaskFailure]:
    return TaskFailure.objects.filter(resolved_at__isnull=True).order_by("-failed_at")[:limit]


def deadline_counts(*, department_ids: set[int] | None = None, now: datetime | None = None) -> dict[str, int]:
    """How many deadlines are in warning and overdue (one query)."""
    now = now or timezone.now()
    base = Deadline.objects.filter(is_open=True, paused_at__isnull=True, step__in=LADDER_STEPS)
    if department_ids is not None:
        base = base.filter(department_id__in=department_ids)
    return base.aggregate(
        overdue=Count("id", filter=Q(due_at__lte=now)),
        warning=Count("id", filter=Q(warn_at__lte=now, due_at__gt=now)),
    )
