"""Reads on the routing side.

Routing: training history, rule previews, rule problems. The closed loop: what is near
or past its deadline, and how far it was escalated. Every deadline list is scoped first:
department staff see their departments, supervisors (and administrators) see everything,
anyone else sees nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from feedback.models import CloseReason, Status, Submission
from routing.deadlines import LADDER_STEPS
from routing.models import Deadline, Escalation, EscalationLevel, TaskFailure
from routing.registry import current_rules, rule_spec
from routing.rules import CaseInput, RuleMatcher, rule_problems

PREVIEW_SIZE = 500


def routing_training_rows(limit: int = 50_000) -> list[tuple[str, str, str, str]]:
    """Closed, handled cases with the department that finally handled them (after returns and re-dispatches)."""
    return routing_training_cases(limit)[0]


def routing_training_cases(limit: int = 50_000) -> tuple[list[tuple[str, str, str, str]], list[str | None]]:
    """``routing_training_rows`` and, for each, the office of the category the citizen chose (or its parent's)."""
    found = (
        Submission.objects.filter(
            status=Status.CLOSED,
            close_reason__in=[CloseReason.RATED, CloseReason.NOT_RATED],
            lead_department__isnull=False,
        )
        .order_by("-closed_at", "-id")
        .values_list(
            "title",
            "text",
            "kind",
            "lead_department__code",
            "category__default_department__code",
            "category__parent__default_department__code",
        )[:limit]
    )
    rows = [(r[0], r[1], r[2], r[3]) for r in found]
    return rows, [r[4] or r[5] for r in found]


def routing_rule_preview(*, rule, size: int = PREVIEW_SIZE) -> tuple[list[Submission], int]:
    """Which of the last ``size`` submissions ``rule`` (saved or not) would catch: (caught, looked at)."""

    rules = current_rules(force=True)
    spec = rule_spec(rule)
    matcher = RuleMatcher([spec])
    recent = list(Submission.objects.select_related("district", "lead_department").order_by("-created_at")[:size])
    caught = [
        s
        for s in recent
        if matcher.match(
            CaseInput.build(
                title=s.title,
                text=s.text,
                kind=s.kind,
                district=s.district.code if s.district is not None else "",
                category_path=rules.category_path(s.category_id),
            )
        )
    ]
    return caught, len(recent)


def routing_rule_problems() -> dict[int | None, str]:
    """Active rules that can never match ("never") or that an earlier rule fully shadows ("shadowed:<name>")."""

    rules = current_rules(force=True)
    ancestors = {cid: rules.category_path(cid) for cid in rules.category_parents}
    flags = rule_problems(rules.specs, ancestors)
    return {rules.specs[i].id: flag for i, flag in flags.items()}


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
    from django.db.models import Count

    now = now or timezone.now()
    base = Deadline.objects.filter(is_open=True, paused_at__isnull=True, step__in=LADDER_STEPS)
    if department_ids is not None:
        base = base.filter(department_id__in=department_ids)
    return base.aggregate(
        overdue=Count("id", filter=Q(due_at__lte=now)),
        warning=Count("id", filter=Q(warn_at__lte=now, due_at__gt=now)),
    )


from routing.casework.selectors import case_get_for_user, cases_visible_to  # noqa: E402, F401
from routing.filters import inbox_for_user  # noqa: E402, F401
