"""Writes on the routing side: deciding where a case goes and assigning it."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import AssignmentRole
from casework.services import assignment_create
from city import catalogue
from city.models import Department
from feedback.models import Status, Submission
from feedback.workflow import Action, case_transition
from portal.errors import DomainError, TransitionNotAllowed
from routing import registry, selectors
from routing.engine import Decision, decide
from routing.models import RoutingDecision, RoutingRule
from routing.rules import CaseInput
from routing.suggester import train

log = logging.getLogger(__name__)


def routing_decide(submission: Submission) -> Decision:
    """Where a case should go and why: rules, then the suggester, then the category default, else triage."""

    rules = registry.current_rules()
    category_department = None
    category = submission.category
    while category is not None:  # the nearest category with an active default office
        office = category.default_department
        if office is not None and office.is_active:
            category_department = office.code
            break
        category = category.parent
    case = CaseInput.build(
        title=submission.title,
        text=submission.text,
        kind=submission.kind,
        district=submission.district.code if submission.district is not None else "",
        category_path=rules.category_path(submission.category_id),
        point=_point(submission),
    )
    return decide(
        case=case,
        title=submission.title,
        text=submission.text,
        matcher=rules.matcher,
        suggester=registry.current_suggester(),
        category_department=category_department,
        active_departments=_active_department_codes(),
    )


def _active_department_codes() -> frozenset[str]:
    return frozenset(Department.objects.filter(is_active=True).values_list("code", flat=True))


def submission_route(*, submission_id: int, now: datetime | None = None) -> Submission | None:
    """Route a case once. A case that is no longer 'submitted' is left alone (returns None).

    The decision is recorded twice: as a ``RoutingDecision`` row and in the
    payload of the routing event (``Decision.payload`` shape).
    """
    now = now or timezone.now()
    submission = (
        Submission.objects.select_related("category__default_department", "category__parent", "district")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.status != Status.SUBMITTED:
        return None
    decision = routing_decide(submission)
    departments = {d.code: d for d in Department.objects.filter(code__in=_codes_of(decision))}
    lead = departments.get(decision.department) if decision.department else None

    def record(case: Submission) -> None:
        RoutingDecision.objects.create(
            submission=case,
            source=decision.source,
            rule_id=decision.rule.id if decision.rule else None,
            rule_name=decision.rule.name if decision.rule else "",
            department=lead,
            suggestions=decision.payload()["suggestions"],
            confidence=decision.confidence,
            model_version=decision.model_version,
            created_at=now,
        )

    if lead is None:
        return _transition_once(submission_id, Action.SEND_TO_TRIAGE, decision, record, now)

    def assign(case: Submission) -> None:
        record(case)
        assignment_create(submission=case, department=lead, role=AssignmentRole.LEAD, at=now)
        for code in decision.rule.co if decision.rule else ():
            if code in departments and code != lead.code:
                assignment_create(submission=case, department=departments[code], role=AssignmentRole.CO, at=now)
        if decision.rule and decision.rule.priority:
            case.priority = decision.rule.priority
        case.routed_at = now

    return _transition_once(submission_id, Action.ROUTE, decision, assign, now)


def _transition_once(submission_id: int, action: Action, decision: Decision, apply, now: datetime) -> Submission | None:
    """The transition, or None when another worker routed the case first (nothing is written then)."""
    try:
        return case_transition(
            submission_id=submission_id, action=action, as_system=True, payload=decision.payload(), apply=apply, now=now
        )
    except TransitionNotAllowed:
        return None


def _codes_of(decision: Decision) -> set[str]:
    codes = {decision.department} if decision.department else set()
    if decision.rule:
        codes.update(decision.rule.co)
    return codes


@transaction.atomic
def routing_rules_seed_from_catalogue() -> int:
    """Create or update the demo rules of the duty catalogue (idempotent). Returns how many there are."""

    departments = {d.code: d for d in Department.objects.all()}
    for position, spec in enumerate(catalogue.RULES):
        rule, _created = RoutingRule.objects.update_or_create(
            source=f"catalogue:{spec['key']}",
            defaults={
                "name": spec["name"],
                "order": (position + 1) * 10,
                "lead_department": departments[spec["lead"]],
                "keywords_any": "\n".join(spec.get("any", ())),
                "keywords_all": "\n".join(spec.get("all", ())),
                "keywords_none": "\n".join(spec.get("none", ())),
                "priority": spec.get("priority", ""),
            },
        )
        rule.co_departments.set([departments[c] for c in spec.get("co", ())])
    return RoutingRule.objects.filter(source__startswith="catalogue:").count()


class TrainingDataError(DomainError):
    pass


def router_train(*, rows: list[tuple[str, str, str, str]] | None = None, save: bool = True):
    """Train the suggester on (title, text, kind, department) rows, or on closed cases when ``rows`` is None.

    Saves a new model version that every process picks up on its next check.
    Raises ``TrainingDataError`` when the rows name unknown departments.
    """

    offices = None
    if rows is None:  # closed cases: the citizen's chosen category comes too, so its weight is learned
        rows, offices = selectors.routing_training_cases()
    if not rows:
        raise TrainingDataError(_("There are no handled cases to learn from yet."))
    known = set(Department.objects.values_list("code", flat=True))
    unknown = sorted({r[3] for r in rows} - known)
    if unknown:
        raise TrainingDataError(_("Unknown department code(s): %(codes)s") % {"codes": ", ".join(unknown)})
    # The cut is chosen for the cases the rules leave to the model, as the engine will run them.
    matcher = registry.current_rules(force=True).matcher
    suggester = train([(t, x, k) for t, x, k, _d in rows], [r[3] for r in rows], rules=matcher, offices=offices)
    if save:
        registry.model_save(suggester)
        registry.reset()
    return suggester


def _point(submission: Submission) -> tuple[float, float] | None:
    """The case's map pin for area rules, or None without one."""
    if submission.latitude is None or submission.longitude is None:
        return None
    return float(submission.latitude), float(submission.longitude)
