"""What dispatchers and supervisors do with a surge alert: link cases to an incident, merge the alert's cases
into one handled case, dismiss it. Every status change goes through ``feedback.workflow.case_transition``."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import AssignmentRole
from casework.services import assignment_create
from city.models import Department
from feedback.models import Status, Submission
from feedback.workflow import Action, case_transition
from portal.errors import NotFound, PermissionDenied, TransitionNotAllowed
from surges.models import (
    AlertStatus,
    Incident,
    SubmissionIncident,
    SurgeAlert,
)

log = logging.getLogger(__name__)


def _require(actor, *, supervisor_only: bool) -> None:
    allowed = actor is not None and actor.is_authenticated and actor.is_active
    allowed = allowed and (actor.is_supervisor or (not supervisor_only and actor.is_dispatcher))
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _active_department(department_id: int | None) -> Department:
    department = Department.objects.filter(pk=department_id, is_active=True).first() if department_id else None
    if department is None:
        raise NotFound(_("Choose an active department."))
    return department


def incident_link(
    *,
    submission_ids: list[int],
    actor,
    lead_department_id: int | None = None,
    title: str = "",
    incident: Incident | None = None,
    now: datetime | None = None,
) -> tuple[Incident, int]:
    """Link cases into one incident (new unless given) and send those awaiting dispatch to its lead.

    Returns the incident and how many cases were dispatched. Closed cases are
    refused; on any error nothing is written.
    """
    _require(actor, supervisor_only=False)
    now = now or timezone.now()
    ids = sorted(set(submission_ids))
    if len(ids) < 2 and incident is None:
        raise TransitionNotAllowed(_("Choose at least two cases to link."))
    with transaction.atomic():
        cases = list(Submission.objects.select_for_update().filter(pk__in=ids).order_by("created_at", "id"))
        if len(cases) != len(ids):
            raise NotFound(_("The case does not exist."))
        if any(case.status == Status.CLOSED for case in cases):
            raise TransitionNotAllowed(_("Closed cases cannot be linked."))
        department = _active_department(lead_department_id) if lead_department_id else None
        if department is None:
            department = incident.lead_department if incident else None
        if department is None:
            department = next((c.lead_department for c in cases if c.lead_department_id), None)
        if incident is None:
            incident = Incident.objects.create(
                title=(title or cases[0].title)[:200], lead_department=department, created_by=actor, created_at=now
            )
        elif department is not None and incident.lead_department_id != department.pk:
            incident.lead_department = department
            incident.save(update_fields=["lead_department"])
        for case in cases:
            SubmissionIncident.objects.update_or_create(
                submission=case, defaults={"incident": incident, "linked_by": actor, "linked_at": now}
            )
        dispatched = _dispatch_waiting(cases, incident, department, actor, now) if department else 0
    return incident, dispatched


def _dispatch_waiting(cases: list[Submission], incident: Incident, department: Department, actor, now: datetime) -> int:

    def assign(case: Submission) -> None:
        assignment_create(submission=case, department=department, role=AssignmentRole.LEAD, at=now, by=actor)
        case.routed_at = now

    count = 0
    for case in cases:
        if case.status in (Status.TRIAGE, Status.RETURNED):
            case_transition(
                submission_id=case.pk,
                action=Action.DISPATCH,
                actor=actor,
                reason=_("Linked to incident “%(title)s”.") % {"title": incident.title},
                payload={"incident": incident.pk},
                apply=assign,
                now=now,
            )
            count += 1
    return count


def surge_alert_merge(
    *,
    alert_id: int,
    lead_department_id: int | None,
    actor,
    title: str = "",
    submission_ids: list[int] | None = None,
    now: datetime | None = None,
) -> tuple[Incident, int]:
    """Merge an alert's cases into one incident led by one department (supervisors only).

    ``submission_ids`` narrows the merge to the cases the supervisor kept
    (they must be open cases of the alert); by default every open case.
    """
    _require(actor, supervisor_only=True)
    now = now or timezone.now()
    department = _active_department(lead_department_id)
    with transaction.atomic():
        alert = SurgeAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise NotFound(_("The alert does not exist."))
        if alert.status != AlertStatus.OPEN:
            raise TransitionNotAllowed(_("This alert has already been handled."))
        ids = list(alert.members.exclude(submission__status=Status.CLOSED).values_list("submission_id", flat=True))
        if not ids:
            raise TransitionNotAllowed(_("All the cases of this alert are closed."))
        if submission_ids is not None:
            if not set(submission_ids) <= set(ids):
                raise TransitionNotAllowed(_("Only open cases of this alert can be merged."))
            ids = sorted(set(submission_ids))
            if len(ids) < 2:
                raise TransitionNotAllowed(_("Choose at least two cases to link."))
        incident, dispatched = incident_link(
            submission_ids=ids,
            actor=actor,
            lead_department_id=department.pk,
            title=title or alert.headline,
            incident=Incident.objects.create(
                title=(title or alert.headline)[:200], lead_department=department, created_by=actor, created_at=now
            ),
            now=now,
        )
        alert.status = AlertStatus.MERGED
        alert.incident = incident
        alert.save(update_fields=["status", "incident", "updated_at"])
    return incident, dispatched


def surge_alert_dismiss(*, alert_id: int, actor) -> SurgeAlert:
    """A supervisor judges the alert not to be one event; it stays recorded."""
    _require(actor, supervisor_only=True)
    updated = SurgeAlert.objects.filter(pk=alert_id, status=AlertStatus.OPEN).update(
        status=AlertStatus.DISMISSED, updated_at=timezone.now()
    )
    if not updated:
        if not SurgeAlert.objects.filter(pk=alert_id).exists():
            raise NotFound(_("The alert does not exist."))
        raise TransitionNotAllowed(_("This alert has already been handled."))
    return SurgeAlert.objects.get(pk=alert_id)
