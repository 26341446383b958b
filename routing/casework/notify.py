"""Who on the staff side hears about a case event: in-app and email rows.

Called by ``feedback.notifications`` inside the event's transaction; the
unique key on Notification keeps every (event, channel, recipient) once.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from feedback.models import CaseEvent, Notification

NEW_ASSIGNMENT = {"route", "dispatch", "redispatch"}
LEAD_ONLY = {"provide_material", "reopen", "rate", "reject_return", "extension_approved", "extension_rejected"}
LEAD_AND_HEADS = {"warning", "overdue", "escalate", "escalation", "escalate_manual"}
TO_DISPATCHERS = {"return", "email_delivery_failed"}
TO_DECIDERS = {"extension_request"}
TO_HANDLER = {"assign_handler"}


def _subject(event: CaseEvent) -> str:
    from feedback.workflow import action_label

    return _("Case %(number)s: %(what)s") % {
        "number": event.submission.tracking_number,
        "what": action_label(event.action),
    }


def _recipients(event: CaseEvent):
    from accounts.models import Role, User
    from routing.models import AssignmentStatus

    case = event.submission
    action = event.action
    if action in NEW_ASSIGNMENT:
        departments = list(
            case.assignments.filter(status=AssignmentStatus.ASSIGNED, assigned_at=event.created_at).values_list(
                "department_id", flat=True
            )
        ) or [case.lead_department_id]
        return User.objects.filter(is_active=True, memberships__department_id__in=departments).distinct()
    if action in LEAD_ONLY:
        return User.objects.filter(is_active=True, memberships__department_id=case.lead_department_id)
    if action in LEAD_AND_HEADS:
        return User.objects.filter(
            Q(memberships__department_id=case.lead_department_id) | Q(role=Role.SUPERVISOR), is_active=True
        ).distinct()
    if action in TO_DISPATCHERS:
        return User.objects.filter(is_active=True, role__in=[Role.DISPATCHER])
    if action in TO_HANDLER:
        return User.objects.filter(is_active=True, username=(event.payload or {}).get("handler", ""))
    if action in TO_DECIDERS:
        heads = Q(memberships__department_id=case.lead_department_id) & (
            Q(role=Role.HEAD) | Q(memberships__is_head=True)
        )
        return User.objects.filter(heads | Q(role=Role.SUPERVISOR), is_active=True).distinct()
    return User.objects.none()


def staff_notifications_for(event: CaseEvent) -> list[Notification]:
    """One row per recipient: sent by email when they have an address, and always listed in the app."""
    if event.action in NEW_ASSIGNMENT:
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
        rows.append(Notification(event=event, recipient=user, channel=channel, subject=subject, body=body))
    return rows


def _deliver_to_email_departments(event: CaseEvent) -> None:
    from routing.casework.email_links import email_delivery_create
    from routing.models import AssignmentStatus

    new = event.submission.assignments.filter(
        status=AssignmentStatus.ASSIGNED, department__works_by_email=True, email_delivery__isnull=True
    ).select_related("department")
    for assignment in new:
        email_delivery_create(assignment=assignment, at=event.created_at)
