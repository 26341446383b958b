"""Reads for surge alerts and incidents, scoped to who is asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from feedback.models import Submission
from surges.incidents import Candidate, incident_mates, propose_same_incident, same_incident_for_text
from surges.models import AlertStatus, Incident, SurgeAlert

__all__ = [
    "Candidate",
    "alert_cases",
    "alert_get_for_user",
    "alert_list_for_user",
    "can_link_incidents",
    "can_see_alerts",
    "incident_cases",
    "incident_get_for_user",
    "incident_mates",
    "incident_of_submission",
    "propose_same_incident",
    "same_incident_for_text",
]


def can_see_alerts(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_supervisor)


def can_link_incidents(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_supervisor or user.is_dispatcher))


def alert_list_for_user(user, *, status: str | None = None) -> QuerySet[SurgeAlert]:
    """Alerts a supervisor may see (none for anyone else), newest first."""
    if not can_see_alerts(user):
        return SurgeAlert.objects.none()
    alerts = SurgeAlert.objects.select_related("district", "incident__lead_department")
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    return alerts.order_by("-raised_at", "-id")


def alert_get_for_user(user, alert_id: int) -> SurgeAlert:
    """The alert, or 404: the same answer for "not yours" and "does not exist"."""
    alert = alert_list_for_user(user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def alert_cases(alert: SurgeAlert) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(surge_alerts=alert)
        .select_related("district", "lead_department", "category")
        .order_by("created_at", "id")
    )


def incident_get_for_user(user, incident_id: int) -> Incident:
    incident = None
    if can_link_incidents(user):
        incident = Incident.objects.select_related("lead_department").filter(pk=incident_id).first()
    if incident is None:
        raise Http404
    return incident


def incident_cases(incident: Incident) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(incident_link__incident=incident)
        .select_related("district", "lead_department")
        .order_by("created_at", "id")
    )


def incident_of_submission(submission_id: int) -> Incident | None:
    """The incident a case belongs to, if any (for answering linked cases together)."""
    return Incident.objects.select_related("lead_department").filter(links__submission_id=submission_id).first()
