"""Staff pages: the inbox, the case page and its actions, triage, returns, approvals, notifications.

Views only read the request, call one selector or service, and render. Every
case is fetched through ``case_get_for_user`` (404 for outsiders).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import email_links, extensions, forms, returns, selectors, services
from casework.actions import ACTIONS, action_form, case_action_run
from casework.common import live_lead
from casework.filters import InboxFilter
from casework.models import DeliveryStatus, EmailDelivery
from city.calendar import WorkCalendar
from city.models import Department
from feedback.models import Notification, Submission
from feedback.workflow import returns_before_supervisor
from portal.errors import DomainError


def _case_context(request: HttpRequest, case: Submission, bound: dict | None = None) -> dict:
    user = request.user
    my_co = selectors.my_co_assignment(user, case)
    names = selectors.page_actions(user, case, my_co)
    attachments = list(case.attachments.all())
    bound = bound or {}
    action_forms = []
    for name in names:
        spec = ACTIONS[name]
        form = bound.get(name) or action_form(name, case, initial={"version": case.version})
        action_forms.append({"name": name, "label": spec.label, "form": form, "open": name in bound})
    return {
        "case": case,
        "actions": action_forms,
        "timeline": selectors.case_timeline(case),
        "assignments": selectors.case_assignments(case),
        "handler": selectors.case_handler(case),
        "deadlines": case.deadlines.filter(is_open=True).order_by("due_at"),
        "attachments": [a for a in attachments if a.reply_id is None],
        "reply_templates": selectors.reply_templates_for(case) if "reply" in names else [],
        "material_requests": case.material_requests.all(),
        "replies": selectors.case_replies(case, attachments),
        "extensions": case.extension_requests.select_related("department", "requested_by"),
        "return_records": case.return_records.select_related("department", "reason"),
        "linked": selectors.linked_cases(case, user),
        "may_see_contact": selectors.may_see_contact(user, case),
        "my_co": my_co,
        "return_until": _return_until(case),
        "now": timezone.now(),
        "calendar": WorkCalendar(),
    }


def _return_until(case: Submission):

    lead = live_lead(case)
    return returns.return_deadline(lead.assigned_at) if lead else None


@login_required
def role_home(request: HttpRequest) -> HttpResponse:
    """After sign-in: each role lands on its work."""
    return redirect(selectors.role_home_url(request.user))


# Rows of the inbox a page: rendering each row (time left, badges) is what the page costs.
INBOX_PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    filterset = InboxFilter(request.GET, queryset=selectors.inbox_base(request.user), request_user=request.user)
    rows = filterset.qs if filterset.is_valid() else selectors.inbox_base(request.user).none().order_by("id")
    # The filters and the sort order stay in the page links ({% querystring %}); a page past the end shows the last.
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "casework/inbox.html",
        {
            "filter": filterset,
            "rows": page,
            "page": page,
            "counts": selectors.inbox_counts(request.user),
            "tab": request.GET.get("tab", ""),
            "desk": selectors.sees_all_cases(request.user),
            "now": now,
            "due_soon": selectors.due_soon_cutoff(now),
            "calendar": WorkCalendar(),
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, pk)
    return render(request, "casework/case.html", _case_context(request, case))


@login_required
def case_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's contact details; each view is recorded."""
    case = selectors.case_get_for_user(request.user, pk)
    try:
        services.contact_view_record(submission_id=case.pk, actor=request.user)
    except DomainError:
        raise Http404 from None
    return render(request, "casework/contact.html", {"case": case})


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, pk)
    outcome = case_action_run(name=action, case=case, actor=request.user, data=request.POST, files=request.FILES)
    if not outcome.form.is_valid():
        context = _case_context(request, case, bound={action: outcome.form})
        return render(request, "casework/case.html", context, status=400)
    if outcome.error is not None:
        messages.error(request, outcome.error.message)
    else:
        messages.success(request, outcome.done)
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("casework:case", pk=case.pk)


def _desk_only(user) -> None:
    if not selectors.sees_all_cases(user):
        raise Http404


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    _desk_only(request.user)
    rows = list(selectors.triage_queue()[:100])
    for row in rows:
        row.suggestions = selectors.routing_suggestions(row.routing_payload)
        row.confidence = row.routing_payload.get("confidence") if isinstance(row.routing_payload, dict) else None

    departments = {d.code: d for d in Department.objects.filter(is_active=True)}
    # One list of choices for every row's form: no query per row.
    choices = [(d.pk, d.name) for d in departments.values()]
    for row in rows:
        for s in row.suggestions:
            s["dept"] = departments.get(s["department"])
        row.dispatch_form = forms.DispatchForm(
            initial={
                "version": row.version,
                "department": next((s["dept"].pk for s in row.suggestions if s.get("dept")), None),
            }
        )
        row.dispatch_form.fields["department"].choices = [("", _("Choose a department…")), *choices]
        row.dispatch_form.fields["co_departments"].choices = choices
    return render(request, "casework/triage.html", {"rows": rows, "now": timezone.now()})


@login_required
def returns_queue(request: HttpRequest) -> HttpResponse:
    _desk_only(request.user)

    limit = returns_before_supervisor()
    records = list(selectors.returns_pending(request.user)[:100])
    failed = EmailDelivery.objects.filter(status=DeliveryStatus.FAILED).select_related(
        "department", "assignment__submission"
    )[:100]
    return render(
        request,
        "casework/returns.html",
        {"records": records, "failed": failed, "limit": limit, "decision_form": forms.DecisionForm()},
    )


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _desk_only(request.user)
    try:
        email_links.email_delivery_retry(delivery_id=pk, actor=request.user)
        messages.success(request, _("The email will be sent again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("casework:returns")


@login_required
def supervise(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = selectors.extensions_pending(user)
    if not (user.is_supervisor or selectors.head_department_ids(user)):
        raise Http404

    bounced = (
        selectors.returns_pending(user).filter(submission__return_count__gt=returns_before_supervisor())
        if user.is_supervisor
        else []
    )
    return render(
        request,
        "casework/supervise.html",
        {"extensions": pending, "bounced": bounced, "decision_form": forms.DecisionForm()},
    )


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "reject"):
        raise Http404
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    try:
        extensions.extension_decide(
            extension_id=pk, actor=request.user, approve=decision == "approve", note=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("Decision recorded."))
    except DomainError as exc:
        if exc.status_code == 404 or exc.status_code == 403:
            raise Http404 from None
        messages.error(request, exc.message)
    return redirect("casework:supervise")


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = (
        Notification.objects.filter(recipient=request.user)
        .select_related("event__submission")
        .order_by("-created_at", "-id")[:100]
    )
    return render(request, "casework/notifications.html", {"rows": rows})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        qs = qs.filter(pk=request.POST["id"])
    qs.update(read_at=timezone.now())
    return redirect("casework:notifications")
