"""The page an email-working office opens from its signed link: no sign-in, one case, every use recorded."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casework import email_links, forms, returns, services
from casework.views import ACTIONS
from feedback.models import Status
from portal.errors import DomainError, NotFound

LINK_ACTIONS = {
    "sign_for": forms.VersionForm,
    "request_material": forms.MaterialForm,
    "return": forms.ReturnForm,
    "reply": forms.ReplyForm,
}


def _assignment(token: str):
    try:
        return email_links.link_assignment(token)
    except NotFound:
        raise Http404 from None


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def email_case(request: HttpRequest, token: str) -> HttpResponse:
    assignment = _assignment(token)
    email_links.link_use_record(assignment=assignment, what="open", ip=_client_ip(request))
    case = assignment.submission
    is_lead = case.lead_department_id == assignment.department_id
    names = []
    if is_lead and case.status == Status.ASSIGNED:
        names = ["sign_for", "return"]
    elif is_lead and case.status == Status.IN_PROGRESS:
        names = ["reply", "request_material", "return"]
    initial = {"version": case.version}
    actions = [{"name": n, "label": ACTIONS[n].label, "form": LINK_ACTIONS[n](initial=initial)} for n in names]
    return render(
        request,
        "casework/email_case.html",
        {"case": case, "assignment": assignment, "token": token, "actions": actions},
    )


@require_POST
def email_act(request: HttpRequest, token: str, action: str) -> HttpResponse:
    assignment = _assignment(token)
    form_class = LINK_ACTIONS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    case = assignment.submission
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("casework:email_case", token=token)
    data = form.cleaned_data
    common = {
        "submission_id": case.pk,
        "as_department": assignment.department_id,
        "expected_version": data.get("version"),
    }
    try:
        if action == "sign_for":
            services.assignment_sign_for(**common)
        elif action == "request_material":
            services.case_request_material(question=data["question"], **common)
        elif action == "return":
            returns.case_return(reason_id=data["reason"].pk, text=data["text"], **common)
        elif action == "reply":
            services.case_reply(disposition=data["disposition"], text=data["text"], **common)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        email_links.link_use_record(assignment=assignment, what=action, ip=_client_ip(request))
        messages.success(request, ACTIONS[action].done)
    return redirect("casework:email_case", token=token)
