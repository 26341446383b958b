"""Pages for supervisors (alerts) and dispatchers (same-incident links). Thin: forms, services, selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback.models import Submission
from portal.errors import DomainError
from surges import handling, selectors
from surges.forms import LinkForm, MergeForm
from surges.models import AlertStatus


@login_required
def alert_list(request):
    if not selectors.can_see_alerts(request.user):
        raise DjangoPermissionDenied
    status = request.GET.get("status", AlertStatus.OPEN)
    alerts = selectors.alert_list_for_user(request.user, status=status or None)[:200]
    return render(
        request, "surges/alert_list.html", {"alerts": alerts, "status": status, "statuses": AlertStatus.choices}
    )


@login_required
def alert_detail(request, alert_id: int):
    alert = selectors.alert_get_for_user(request.user, alert_id)
    form = MergeForm(initial={"title": alert.headline, "lead_department": _suggested_department(alert)})
    return _render_detail(request, alert, form, selected=None)


def _render_detail(request, alert, form, status=200, selected=()):
    cases = list(selectors.alert_cases(alert))
    # Every open case is ticked at first; after a failed post, what was ticked.
    chosen = {c.pk for c in cases if c.is_open} if selected is None else set(selected)
    context = {"alert": alert, "cases": cases, "form": form, "chosen": chosen, "choosing": alert.status == "open"}
    return render(request, "surges/alert_detail.html", context, status=status)


def _suggested_department(alert):
    """The department already leading most of the alert's cases, if any."""
    counts: dict[int, int] = {}
    for department_id in selectors.alert_cases(alert).values_list("lead_department_id", flat=True):
        if department_id:
            counts[department_id] = counts.get(department_id, 0) + 1
    return max(counts, key=counts.get) if counts else None


@login_required
@require_POST
def alert_merge(request, alert_id: int):
    alert = selectors.alert_get_for_user(request.user, alert_id)
    case_ids = list(selectors.alert_cases(alert).values_list("pk", flat=True))
    form = MergeForm(request.POST, case_ids=case_ids)
    selected = request.POST.getlist("cases")
    if not form.is_valid():
        return _render_detail(request, alert, form, status=400, selected=[int(pk) for pk in selected if pk.isdigit()])
    try:
        incident, dispatched = handling.surge_alert_merge(
            alert_id=alert.pk,
            lead_department_id=form.cleaned_data["lead_department"].pk,
            title=form.cleaned_data["title"],
            submission_ids=form.cleaned_data["cases"] if "cases_sent" in request.POST else None,
            actor=request.user,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_detail(request, alert, form, status=exc.status_code, selected=form.cleaned_data["cases"])
    messages.success(
        request,
        _("Merged into one incident led by %(department)s; %(count)d cases dispatched.")
        % {"department": incident.lead_department, "count": dispatched},
    )
    return redirect("surges:incident", incident_id=incident.pk)


@login_required
@require_POST
def alert_dismiss(request, alert_id: int):
    alert = selectors.alert_get_for_user(request.user, alert_id)
    try:
        handling.surge_alert_dismiss(alert_id=alert.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("surges:detail", alert_id=alert.pk)
    messages.success(request, _("Alert dismissed."))
    return redirect("surges:list")


@login_required
def incident_detail(request, incident_id: int):
    incident = selectors.incident_get_for_user(request.user, incident_id)
    cases = list(selectors.incident_cases(incident))
    return render(request, "surges/incident_detail.html", {"incident": incident, "cases": cases})


@login_required
def incident_propose(request, submission_id: int):
    """Open cases that look like the same incident as this one; a dispatcher confirms the link."""
    if not selectors.can_link_incidents(request.user):
        raise Http404
    submission = get_object_or_404(Submission.objects.select_related("lead_department", "district"), pk=submission_id)
    candidates = selectors.propose_same_incident(submission)
    incident = selectors.incident_of_submission(submission.pk)
    form = LinkForm(
        request.POST or None, candidates=candidates, initial={"lead_department": submission.lead_department}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                incident, dispatched = handling.incident_link(
                    submission_ids=[submission.pk, *(int(pk) for pk in form.cleaned_data["cases"])],
                    actor=request.user,
                    lead_department_id=getattr(form.cleaned_data["lead_department"], "pk", None),
                    incident=incident,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(
                    request, _("Linked as one incident; %(count)d cases dispatched.") % {"count": dispatched}
                )
                return redirect("surges:incident", incident_id=incident.pk)
        else:
            status = 400
    context = {"submission": submission, "candidates": candidates, "form": form, "incident": incident}
    return render(request, "surges/incident_propose.html", context, status=status)
