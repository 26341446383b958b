"""Reads on the staff side: which cases a user may see, the inbox, the triage queue.

Every staff read goes through ``cases_visible_to``: querysets are scoped to
the user before any filter applies, and ``case_get_for_user`` answers 404 for
"not yours" and "does not exist" alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from casework.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Decision,
    ExtensionRequest,
    ReplyTemplate,
    ReturnRecord,
)
from deadlines.models import Deadline
from feedback import workflow
from feedback.models import CaseEvent, Notification, Rating, Status, Submission
from feedback.workflow import Action

LIVE_ASSIGNMENT = [AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR, AssignmentStatus.OPINION_GIVEN]


def sees_all_cases(user) -> bool:
    return bool(user.is_authenticated and (user.is_dispatcher or user.is_supervisor))


def cases_visible_to(user) -> QuerySet[Submission]:
    """Cases ``user`` may open: every case for dispatchers and supervisors, else their departments' cases.

    A department keeps seeing a case it returned (it stays responsible until
    another department signs for it) but not one taken away from it.
    """
    if not user.is_authenticated:
        return Submission.objects.none()
    if sees_all_cases(user):
        return Submission.objects.all()
    mine = Assignment.objects.filter(submission=OuterRef("pk"), department_id__in=user.department_ids()).exclude(
        status=AssignmentStatus.CANCELLED
    )
    return Submission.objects.filter(Exists(mine))


def case_get_for_user(user, submission_id) -> Submission:
    """The case, or Http404: the same answer for 'not yours' and 'does not exist'."""
    try:
        pk = int(submission_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = (
        cases_visible_to(user)
        .select_related("category", "district", "lead_department", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def may_see_contact(user, submission: Submission) -> bool:
    """Contact details: assigned departments, dispatchers and supervisors only."""
    if sees_all_cases(user):
        return True
    return (
        Assignment.objects.filter(submission=submission, department_id__in=user.department_ids())
        .filter(status__in=LIVE_ASSIGNMENT + [AssignmentStatus.RETURNED, AssignmentStatus.DONE])
        .exists()
    )


def _with_due(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    open_deadlines = Deadline.objects.filter(submission=OuterRef("pk"), is_open=True).order_by("due_at")
    return qs.annotate(
        due_at=Subquery(open_deadlines.values("due_at")[:1]),
        due_step=Subquery(open_deadlines.values("step")[:1]),
        paused_at=Subquery(open_deadlines.values("paused_at")[:1]),
    )


def inbox_base(user) -> QuerySet[Submission]:
    """The cases that belong in ``user``'s inbox, scoped before any filter.

    Staff: cases where one of their departments has a live assignment, or a
    return still pending. Dispatchers and supervisors: every open case.
    """
    if not user.is_authenticated:
        return Submission.objects.none()
    lead_signed = Assignment.objects.filter(
        submission=OuterRef("pk"), role=AssignmentRole.LEAD, status=AssignmentStatus.SIGNED_FOR
    )
    if not sees_all_cases(user):
        lead_signed = lead_signed.filter(department_id__in=user.department_ids())
    handling = {
        "is_mine": Exists(lead_signed.filter(handler=user)),
        "is_unassigned": Exists(lead_signed.filter(handler__isnull=True)),
        "handler_name": Subquery(lead_signed.values("handler__first_name")[:1]),
    }
    if sees_all_cases(user):
        qs = Submission.objects.filter(status__in=[s for s in Status.values if s != Status.CLOSED])
    else:
        departments = user.department_ids()
        live = Assignment.objects.filter(submission=OuterRef("pk"), department_id__in=departments).filter(
            Q(status__in=LIVE_ASSIGNMENT) | Q(status=AssignmentStatus.RETURNED, ended_at__isnull=True)
        )
        co = Assignment.objects.filter(
            submission=OuterRef("pk"),
            department_id__in=departments,
            role=AssignmentRole.CO,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR],
        )
        qs = Submission.objects.filter(Exists(live)).annotate(is_co_pending=Exists(co))
    return _with_due(qs.annotate(**handling)).select_related("category", "district", "lead_department")


TABS = ["mine", "unassigned", "to_sign", "in_progress", "waiting", "co", "returned", "replied", "all"]


def tab_q(tab: str) -> Q:
    return {
        "mine": Q(is_mine=True),
        "unassigned": Q(is_unassigned=True),
        "to_sign": Q(status=Status.ASSIGNED),
        "in_progress": Q(status=Status.IN_PROGRESS),
        "waiting": Q(status=Status.WAITING_CITIZEN),
        "co": Q(is_co_pending=True),
        "returned": Q(status=Status.RETURNED),
        "replied": Q(status=Status.REPLIED),
    }.get(tab, Q())


def inbox_counts(user) -> dict[str, int]:
    """Counts per inbox tab, in one query."""
    qs = inbox_base(user)
    if sees_all_cases(user):
        qs = qs.annotate(is_co_pending=Exists(Assignment.objects.none()))
    aggregates = {tab: Count("pk", filter=tab_q(tab)) for tab in TABS if tab != "co"}
    if not sees_all_cases(user):
        aggregates["co"] = Count("pk", filter=Q(is_co_pending=True))
    counts = qs.order_by().aggregate(**aggregates)
    counts.setdefault("co", 0)
    return counts


def due_soon_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(hours=int(settings.MINSHENG.get("DUE_SOON_HOURS", 24)))


def triage_queue() -> QuerySet[Submission]:
    """Cases awaiting a dispatcher, oldest first, with the latest routing suggestion payload."""
    latest_route = CaseEvent.objects.filter(
        submission=OuterRef("pk"), action__in=[Action.ROUTE, Action.SEND_TO_TRIAGE]
    ).order_by("-created_at", "-id")
    return (
        Submission.objects.filter(status=Status.TRIAGE)
        .select_related("category", "district")
        .annotate(routing_payload=Subquery(latest_route.values("payload")[:1]))
        .order_by("created_at", "id")
    )


def returns_pending(user) -> QuerySet:
    """Returns waiting for a decision, with who returned and why."""

    qs = ReturnRecord.objects.filter(decision=Decision.PENDING).select_related(
        "submission", "department", "reason", "requested_by"
    )
    if not sees_all_cases(user):
        return qs.none()
    return qs.order_by("requested_at", "id")


def extensions_pending(user) -> QuerySet:
    """Extension requests this user may decide: every one for supervisors, their departments' for heads."""

    qs = ExtensionRequest.objects.filter(decision=Decision.PENDING).select_related(
        "submission", "department", "requested_by"
    )
    if user.is_authenticated and user.is_supervisor:
        return qs.order_by("requested_at", "id")
    head_of = head_department_ids(user)
    return qs.filter(department_id__in=head_of).order_by("requested_at", "id")


def head_department_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    if not user.is_department_head:
        return set(user.memberships.filter(is_head=True).values_list("department_id", flat=True))
    return user.department_ids()


def routing_suggestions(payload) -> list[dict]:
    """The suggestions in a routing payload, tolerating its absence or a bad shape."""
    if not isinstance(payload, dict):
        return []
    suggestions = payload.get("suggestions")
    if not isinstance(suggestions, list):
        return []
    clean = []
    for item in suggestions:
        if isinstance(item, dict) and isinstance(item.get("department"), str):
            try:
                score = float(item.get("score", 0))
            except (TypeError, ValueError):
                score = 0.0
            clean.append({"department": item["department"], "score": score})
    return clean


def case_timeline(submission: Submission) -> QuerySet[CaseEvent]:
    return submission.events.select_related("actor").order_by("created_at", "id")


def case_replies(submission: Submission, attachments: list | None = None) -> list:
    """The replies, each with the citizen's rating of it (``citizen_rating``, or None) and its ``files``."""

    replies = list(submission.replies.select_related("department", "author"))
    ratings = {r.reply_id: r for r in Rating.objects.filter(submission=submission)}
    attachments = list(submission.attachments.all()) if attachments is None else attachments
    for reply in replies:
        reply.citizen_rating = ratings.get(reply.pk)  # type: ignore[attr-defined]
        reply.files = [a for a in attachments if a.reply_id == reply.pk]  # type: ignore[attr-defined]
    return replies


def reply_templates_for(submission: Submission) -> list:
    """Active reply templates for the case's category, its parent category, and those for every category."""

    categories = [c for c in (submission.category_id, getattr(submission.category, "parent_id", None)) if c]
    return list(
        ReplyTemplate.objects.filter(Q(category__isnull=True) | Q(category_id__in=categories), is_active=True)
        .select_related("category")
        .order_by(F("category_id").desc(nulls_last=True), "sort_order", "id")
    )


def case_handler(submission: Submission):
    """The named handler (承办人) of the live lead assignment, or None."""
    lead = (
        submission.assignments.filter(role=AssignmentRole.LEAD, status__in=LIVE_ASSIGNMENT, handler__isnull=False)
        .select_related("handler")
        .first()
    )
    return lead.handler if lead else None


def case_assignments(submission: Submission) -> QuerySet[Assignment]:
    return submission.assignments.select_related("department", "signed_for_by").order_by("assigned_at", "id")


def linked_cases(submission: Submission, user) -> QuerySet[Submission]:
    """Same-incident cases this user may see: duplicates of it, its original, and siblings."""
    root_id = submission.duplicate_of_id or submission.pk
    return (
        cases_visible_to(user)
        .filter(Q(pk=root_id) | Q(duplicate_of_id=root_id))
        .exclude(pk=submission.pk)
        .only("pk", "tracking_number", "title", "status")
    )


def overdue_q(now: datetime) -> Q:
    return Q(due_at__lt=now, paused_at__isnull=True)


def nav_counts(user, now: datetime | None = None) -> dict[str, int]:
    """The numbers beside each role's work in the navigation, in one query over the open cases."""

    if not user.is_authenticated:
        return {}
    now = now or timezone.now()
    aggregates = {}
    if sees_all_cases(user):
        pending_return = ReturnRecord.objects.filter(submission=OuterRef("pk"), decision=Decision.PENDING)
        aggregates["triage"] = Count("pk", filter=Q(status=Status.TRIAGE))
        aggregates["returns"] = Count("pk", filter=Q(Exists(pending_return)))
    if user.is_supervisor:
        pending_extension = ExtensionRequest.objects.filter(submission=OuterRef("pk"), decision=Decision.PENDING)
        overdue = Deadline.objects.filter(
            submission=OuterRef("pk"), is_open=True, paused_at__isnull=True, due_at__lt=now
        )
        aggregates["approvals"] = Count("pk", filter=Q(Exists(pending_extension)))
        aggregates["overdue"] = Count("pk", filter=Q(Exists(overdue)))
    counts: dict[str, int] = {}
    if aggregates:
        open_cases = Submission.objects.exclude(status=Status.CLOSED).order_by()
        counts.update(open_cases.aggregate(**aggregates))
    if not sees_all_cases(user):
        counts["inbox"] = (
            inbox_base(user)
            .filter(Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED]) | Q(is_co_pending=True))
            .count()
        )
        if user.role == Role.HEAD or head_department_ids(user):
            counts["approvals"] = extensions_pending(user).count()
    return counts


def role_home_url(user) -> str:
    """Where a signed-in user's work is: staff the inbox, dispatchers triage, supervisors the overdue board."""

    if user.role == Role.ADMINISTRATOR:
        return reverse("admin:index")
    if user.is_supervisor:
        return reverse("oversight:dashboard")
    if user.is_dispatcher:
        return reverse("casework:triage")
    if user.is_operator:
        return reverse("hotline:console")
    return reverse("casework:inbox")


def my_co_assignment(user, case: Submission) -> Assignment | None:
    """The live co-handling assignment of one of ``user``'s departments on ``case``, if any."""
    return (
        case.assignments.filter(role=AssignmentRole.CO, department_id__in=user.department_ids())
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("department")
        .first()
    )


def page_actions(user, case: Submission, my_co: Assignment | None) -> list[str]:
    """The buttons ``user`` sees on ``case``, read from the action table; the services check again when they run."""
    kinds = workflow.actor_kinds(user, case)
    if my_co is not None and my_co.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR):
        kinds.add(workflow.CO_HANDLER)
    if my_co is not None and my_co.status == AssignmentStatus.ASSIGNED:
        kinds.add(workflow.CO_TO_SIGN)
    if (
        kinds & {workflow.LEAD_STAFF, workflow.DISPATCHER, workflow.SUPERVISOR}
        or my_co is not None
        or case.assignments.filter(department_id__in=user.department_ids()).exists()
    ):
        kinds.add(workflow.PARTY)
    return workflow.allowed_actions(kinds, case.status)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    # Every notification addressed to a user is listed in the app, whatever channel also carried it.
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
