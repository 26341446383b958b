"""Reads for Open311: services from the category tree, and public requests."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from city.models import Category
from deadlines.models import Deadline, Step
from feedback.models import CaseEvent, CloseReason, EventKind, Reply, Status, Submission
from portal.errors import NotFound


def services_list() -> QuerySet[Category]:
    """Active leaf categories (a root without children is a leaf), with their definitions. One query."""
    active_children = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
    return (
        Category.objects.filter(is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .annotate(has_children=Exists(active_children))
        .filter(has_children=False)
        .select_related("parent", "open311_definition")
        .order_by("sort_order", "code")
    )


def service_get(service_code: str) -> Category:
    """The service with this code, or ``NotFound``."""
    category = services_list().filter(code=service_code).first()
    if category is None:
        raise NotFound(_("service_code %(code)s was not found.") % {"code": service_code})
    return category


def requests_visible(*, events_since: datetime | None = None) -> QuerySet[Submission]:
    """Cases Open311 shows.

    Only cases whose citizens consented to publication (``may_publish``):
    those posted through Open311 with ``may_publish=true`` (whatever their
    fate, except spam), and the others once they have an official reply, as
    on the public board (never spam, invalid or duplicates). Everything an
    answer needs comes in a fixed number of queries (one, plus one per
    prefetch), whatever the number of requests.

    ``events_since``: the caller shows only cases created since then. A case's
    events are never older than the case, so the public-events prefetch is
    bounded by it too, and PostgreSQL reads only the monthly partitions of
    case events from that month on.
    """
    public_events = CaseEvent.objects.filter(kind=EventKind.TRANSITION, is_public=True)
    if events_since is not None:
        public_events = public_events.filter(created_at__gte=events_since)
    has_reply = Exists(Reply.objects.filter(submission=OuterRef("pk")))
    posted_here = Q(channel="open311") & Q(may_publish=True) & ~Q(close_reason=CloseReason.SPAM)
    published = (
        Q(may_publish=True)
        & Q(has_reply)
        & ~Q(close_reason__in=[CloseReason.SPAM, CloseReason.INVALID, CloseReason.DUPLICATE])
    )
    return (
        Submission.objects.filter(posted_here | published)
        .select_related("category", "lead_department", "open311_request")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(step=Step.REPLY, is_open=True),
                to_attr="open_reply_deadlines",
            ),
            Prefetch("replies", to_attr="all_replies"),
            Prefetch("events", queryset=public_events, to_attr="public_events"),
        )
    )


def requests_search(
    *,
    service_request_ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: datetime,
    end: datetime,
    limit: int,
) -> list[Submission]:
    """Requests matching the GeoReport v2 filters, newest first.

    ``service_request_ids`` overrides every other filter, as the spec says.
    """
    if service_request_ids:
        cases = requests_visible().filter(tracking_number__in=service_request_ids)
        return list(cases.order_by("-created_at")[:limit])
    cases = requests_visible(events_since=start).filter(created_at__gte=start, created_at__lte=end)
    if service_codes:
        cases = cases.filter(category__code__in=service_codes)
    wanted = set(statuses or [])
    if wanted == {"closed"}:
        cases = cases.filter(status=Status.CLOSED)
    elif wanted == {"open"}:
        cases = cases.exclude(status=Status.CLOSED)
    return list(cases.order_by("-created_at")[:limit])


def request_get(service_request_id: str) -> Submission:
    case = requests_visible().filter(tracking_number=service_request_id).first()
    if case is None:
        raise NotFound(_("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return case


def token_get(token: str) -> tuple[str, str]:
    """``(token, service_request_id)`` for a token given by POST requests."""
    found = Submission.objects.filter(open311_request__token=token).values_list("tracking_number", flat=True).first()
    if found is None:
        raise NotFound(_("token %(token)s was not found.") % {"token": token})
    return token, found
