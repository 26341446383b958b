"""Display helpers for the staff pages: time left, status badges, unread counts."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import selectors
from casework.selectors import due_soon_cutoff
from casework.selectors import nav_counts as counts
from city.models import Priority
from feedback.models import Kind, Status
from feedback.workflow import action_label as label

register = template.Library()


def _span(delta_seconds: float, day_seconds: int | None = None) -> str:
    """A duration; with ``day_seconds`` (a working day's length) days are working days."""
    minutes = int(abs(delta_seconds) // 60)
    days, rest = divmod(minutes, (day_seconds or 24 * 3600) // 60)
    hours, minutes = divmod(rest, 60)
    if days and day_seconds:
        return ngettext("%(d)s working day %(h)sh", "%(d)s working days %(h)sh", days) % {"d": days, "h": hours}
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)smin") % {"h": hours, "m": minutes}
    return _("%(m)smin") % {"m": minutes}


def working_seconds(calendar, start: datetime, end: datetime) -> float:
    """Signed working time from ``start`` to ``end``; wall-clock time without a calendar."""
    if calendar is None:
        return (end - start).total_seconds()
    if end >= start:
        return calendar.working_seconds_between(start, end)
    return -calendar.working_seconds_between(end, start)


@register.simple_tag
def time_left(
    due_at: datetime | None,
    paused_at: datetime | None = None,
    calendar=None,
    now: datetime | None = None,
    soon: datetime | None = None,
):
    """A badge: working time left until ``due_at`` (warn within the due-soon window), overdue, or paused.

    Pass one ``WorkCalendar`` per page so its years are loaded once, whatever the number of rows; a list
    also passes the request's ``now`` and due-soon cutoff, so no row reads the clock or the settings again.
    """

    if due_at is None:
        return ""
    if paused_at is not None:
        return format_html('<span class="badge">{}</span>', _("paused"))
    now = now or timezone.now()
    seconds = working_seconds(calendar, now, due_at)
    day = (calendar.day_seconds or None) if calendar is not None else None
    if due_at < now:
        text = _("overdue by %(t)s") % {"t": _span(seconds, day)}
        return format_html('<span class="badge bad">{}</span>', text)
    css = "warn" if due_at <= (soon or due_soon_cutoff(now)) else "ok"
    return format_html('<span class="badge {}">{}</span>', css, _("%(t)s left") % {"t": _span(seconds, day)})


STATUS_CSS = {"closed": "ok", "returned": "bad", "triage": "warn", "assigned": "warn", "waiting_citizen": ""}


@register.simple_tag
def status_badge(case):
    # The enum's label, not get_status_display(): that one hashes every translated choice on each call.
    return format_html('<span class="badge {}">{}</span>', STATUS_CSS.get(case.status, ""), status_label(case.status))


@register.simple_tag
def unread_notifications(user) -> int:

    return selectors.unread_count(user)


@register.simple_tag
def nav_counts(user) -> dict[str, int]:

    # Counted once per request: the user object lives as long as the request.
    if not hasattr(user, "_nav_counts"):
        user._nav_counts = counts(user)
    return user._nav_counts


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if hasattr(mapping, "get") else ""


@register.filter
def action_label(action: str) -> str:

    return label(action)


@register.filter
def status_label(value: str) -> str:

    return Status(value).label if value in Status.values else (value or "—")


@register.filter
def kind_label(value: str) -> str:

    return Kind(value).label if value in Kind.values else (value or "—")


@register.filter
def priority_label(value: str) -> str:

    return Priority(value).label if value in Priority.values else value
