"""Reads on the citizen side: a case by its secret, the tracking view, the public board."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from feedback.masking import mask_text
from feedback.models import (
    Attachment,
    CaseEvent,
    CloseReason,
    MaterialRequest,
    Rating,
    Reply,
    Satisfaction,
    Status,
    Submission,
)
from feedback.services import hash_secret, rating_window_end, secret_matches
from feedback.workflow import ASSIGNING_ACTIONS
from portal.errors import NotFound

# A hash to compare against when the number is unknown, so both answers take as long.
_DUMMY_HASH = hash_secret("not-a-real-secret")


def submission_get_by_secret(*, tracking_number: str, secret: str) -> Submission:
    """The case with this number if ``secret`` is its secret.

    Raises ``NotFound`` with the same message for an unknown number, a wrong
    secret and a missing secret.
    """
    submission = Submission.objects.filter(tracking_number=tracking_number).first()
    if submission is None:
        secret_matches(Submission(secret_hash=_DUMMY_HASH), secret or "x")
        raise NotFound(_("No case matches this tracking number and secret code."))
    if not secret_matches(submission, secret):
        raise NotFound(_("No case matches this tracking number and secret code."))
    return submission


def submission_get_by_number(*, tracking_number: str) -> Submission:
    """For a citizen who already proved the secret (a session grant)."""
    submission = (
        Submission.objects.select_related("category__parent", "district", "lead_department")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if submission is None:
        raise NotFound(_("No case matches this tracking number and secret code."))
    return submission


@dataclass
class CitizenView:
    """Everything the tracking page shows, read in a fixed number of queries."""

    submission: Submission
    events: list[CaseEvent]
    replies: list[Reply]
    material_requests: list[MaterialRequest]
    attachments: list[Attachment]
    reply_due_at: datetime | None
    open_material_request: MaterialRequest | None = None
    can_rate: bool = False
    can_reopen: bool = False
    rating_window_end: datetime | None = None
    ratings: dict[int, Rating] = field(default_factory=dict)


# Rows of the apps above read through the case's reverse relations (``assignments``, ``deadlines``), so intake
# imports neither casework nor deadlines; the values are ``AssignmentRole.LEAD`` and ``Step.REPLY``
# (tests/portal/test_layers.py checks they still are).
LEAD_ROLE = "lead"
REPLY_STEP = "reply"

# Which cases a staff member may see: ``casework`` registers its rule (``cases_visible_to``) at start-up.
StaffScope = Callable[[object], QuerySet[Submission]]
_staff_scopes: list[StaffScope] = []


def staff_scope_register(scope: StaffScope) -> None:
    """Register the function giving the cases a staff user may see (the last one registered wins)."""
    _staff_scopes[:] = [scope]


def staff_may_see(user, submission_id: int) -> bool:
    """Whether a staff user may see this case (the case page's rule; nobody without a registered rule)."""
    return any(scope(user).filter(pk=submission_id).exists() for scope in _staff_scopes)


def citizen_view(*, submission: Submission, now: datetime) -> CitizenView:

    events = list(
        submission.events.filter(is_public=True).only("action", "created_at", "to_status", "reason", "payload")
    )
    # Which department each assignment went to, for "assigned to …" lines: the
    # latest lead assignment made at or before the event.
    leads = list(
        submission.assignments.filter(role=LEAD_ROLE).select_related("department").order_by("assigned_at", "id")
    )
    for event in events:
        event.department = None  # type: ignore[attr-defined]  # shown on the tracking page
        if event.action in ASSIGNING_ACTIONS:
            made = [a for a in leads if a.assigned_at <= event.created_at]
            event.department = made[-1].department if made else None  # type: ignore[attr-defined]
    replies = list(submission.replies.select_related("department"))
    ratings = {r.reply_id: r for r in Rating.objects.filter(submission=submission)}
    attachments = list(submission.attachments.all())
    for reply in replies:
        reply.citizen_rating = ratings.get(reply.pk)  # type: ignore[attr-defined]
        reply.files = [a for a in attachments if a.reply_id == reply.pk]  # type: ignore[attr-defined]
    material_requests = list(submission.material_requests.all())
    open_request = next((m for m in reversed(material_requests) if m.answered_at is None), None)
    reply_deadline = submission.deadlines.filter(step=REPLY_STEP, is_open=True).order_by("-started_at").first()
    view = CitizenView(
        submission=submission,
        events=events,
        replies=replies,
        material_requests=material_requests,
        attachments=[a for a in attachments if a.reply_id is None],
        reply_due_at=reply_deadline.due_at if reply_deadline else None,
        open_material_request=open_request if submission.status == Status.WAITING_CITIZEN else None,
        ratings=ratings,
    )
    latest = replies[-1] if replies else None
    if latest is not None:
        view.rating_window_end = rating_window_end(submission)
        latest_rating = ratings.get(latest.pk)
        view.can_rate = submission.status == Status.REPLIED and latest_rating is None
        view.can_reopen = (
            submission.status == Status.CLOSED
            and submission.close_reason == CloseReason.RATED
            and latest_rating is not None
            and latest_rating.satisfaction == Satisfaction.UNSATISFIED
            and view.rating_window_end is not None
            and now <= view.rating_window_end
        )
    return view


def board_queryset() -> QuerySet[Submission]:
    """Published cases with an official reply. Spam, invalid and duplicates never show."""
    has_reply = Exists(Reply.objects.filter(submission=OuterRef("pk")))
    return (
        Submission.objects.filter(may_publish=True)
        .filter(has_reply)
        .exclude(close_reason__in=[CloseReason.SPAM, CloseReason.INVALID, CloseReason.DUPLICATE])
    )


def board_list(
    *, query: str = "", category: str = "", district: str = "", department: str = ""
) -> QuerySet[Submission]:
    """The public board, newest first. ``query`` matches words anywhere in title or text
    (a substring match: Chinese has no spaces between words)."""
    qs = board_queryset()
    query = query.strip()
    if query:
        for word in query.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if district:
        qs = qs.filter(district__code=district)
    if department:
        qs = qs.filter(lead_department__code=department)
    return (
        qs.select_related("category__parent", "district", "lead_department")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("department").order_by("created_at", "id")),
            Prefetch("ratings", queryset=Rating.objects.order_by("created_at", "id")),
        )
        .order_by("-replied_at", "-created_at", "-id")
    )


def board_get(*, tracking_number: str) -> Submission:
    submission = board_list().filter(tracking_number=tracking_number).first()
    if submission is None:
        raise NotFound(_("This case is not on the public board."))
    return submission


@dataclass
class BoardEntry:
    """A published case with every personal detail masked."""

    submission: Submission
    title: str
    text: str
    replies: list[tuple[Reply, str]]
    rating: Rating | None


def board_entry(submission: Submission) -> BoardEntry:

    def masked(value: str) -> str:
        return mask_text(value, names=[submission.name], addresses=[submission.address])

    replies = list(submission.replies.all())
    ratings = list(submission.ratings.all())
    return BoardEntry(
        submission=submission,
        title=masked(submission.title),
        text=masked(submission.text),
        replies=[(reply, masked(reply.text)) for reply in replies],
        # The citizen's verdict on the answer shown last; a reopened case's new answer is not yet rated.
        rating=ratings[-1] if ratings and replies and ratings[-1].reply_id == replies[-1].pk else None,
    )
