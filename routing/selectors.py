"""Reads on the routing side: training history, rule previews, rule problems."""

from __future__ import annotations

from feedback.models import CloseReason, Status, Submission
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
