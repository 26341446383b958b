"""Who on the staff side hears about a case event: in-app and email rows.

Registered with ``feedback.notifications.add_recipients`` by ``routing.apps``
and called inside the event's transaction; the
unique key on Notification keeps every (event, channel, recipient) once.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from casework.email_links import email_delivery_create
from casework.models import AssignmentStatus
from feedback.models import CaseEvent, Notification
from feedback.workflow import ACTION_TABLE, Action, Audience, action_label


def audience(action: str) -> Audience:
    """Who hears about ``action``: the action table's ``notify`` column (nobody for unknown names)."""
    return ACTION_TABLE[Action(action)].notify if action in Action.values else Audience.NOBODY


def _subject(event: CaseEvent) -> str:
    return _("Case %(number)s: %(what)s") % {
        "number": event.submission.tracking_number,
        "what": action_label(event.action),
    }


def _recipients(event: CaseEvent):
    case = event.submission
    who = audience(event.action)
    if who is Audience.NEW_ASSIGNEES:
        departments = list(
            case.assignments.filter(status=AssignmentStatus.ASSIGNED, assigned_at=event.created_at).values_list(
                "department_id", flat=True
            )
        ) or [case.lead_department_id]
        return User.objects.filter(is_active=True, memberships__department_id__in=departments).distinct()
    if who is Audience.LEAD:
        return User.objects.filter(is_active=True, memberships__department_id=case.lead_department_id)
    if who is Audience.LEAD_AND_SUPERVISORS:
        return User.objects.filter(
            Q(memberships__department_id=case.lead_department_id) | Q(role=Role.SUPERVISOR), is_active=True
        ).distinct()
    if who is Audience.DISPATCHERS:
        return User.objects.filter(is_active=True, role__in=[Role.DISPATCHER])
    if who is Audience.HANDLER:
        return User.objects.filter(is_active=True, username=(event.payload or {}).get("handler", ""))
    if who is Audience.DECIDERS:
        heads = Q(memberships__department_id=case.lead_department_id) & (
            Q(role=Role.HEAD) | Q(memberships__is_head=True)
        )
        return User.objects.filter(heads | Q(role=Role.SUPERVISOR), is_active=True).distinct()
    return User.objects.none()


def staff_notifications_for(event: CaseEvent) -> list[Notification]:
    """One row per recipient: sent by email when they have an address, and always listed in the app."""
    if audience(event.action) is Audience.NEW_ASSIGNEES:
        _deliver_to_email_departments(event)
    users = list(_recipients(event).exclude(pk=event.actor_id or 0).only("pk", "email"))
    if not users:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(event)
        body = _("%(subject)s\n\nOpen the case: %(url)s") % {
            "subject": subject,
            "url": settings.SITE_URL.rstrip("/") + f"/staff/cases/{event.submission_id}/",
        }
    rows = []
    for user in users:
        channel = "email" if user.email else "app"
        rows.append(
            Notification(
                event=event,
                recipient=user,
                channel=channel,
                subject=subject,
                body=body,
                created_at=event.created_at,
            )
        )
    return rows


def _deliver_to_email_departments(event: CaseEvent) -> None:
    new = event.submission.assignments.filter(
        status=AssignmentStatus.ASSIGNED, department__works_by_email=True, email_delivery__isnull=True
    ).select_related("department")
    for assignment in new:
        email_delivery_create(assignment=assignment, at=event.created_at)
