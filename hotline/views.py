"""The operator console: one page, and the three small JSON answers its script asks for while the caller talks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from city.models import Category, Department, District
from feedback.models import Kind, Submission
from hotline import selectors, services
from hotline.models import Outcome
from portal.errors import DomainError

MAX_TEXT = 4000


def _operator(request: HttpRequest) -> None:
    if not request.user.is_operator:
        raise PermissionDenied


def _case_row(case: Submission) -> dict:
    return {
        "id": case.pk,
        "tracking_number": case.tracking_number,
        "title": case.title,
        "status": case.get_status_display(),
        "open": case.is_open,
        "kind": case.get_kind_display(),
        "created": case.created_at.strftime("%Y-%m-%d"),
        "department": case.lead_department.name if case.lead_department else "",
    }


@login_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    _operator(request)
    return render(
        request,
        "hotline/console.html",
        {
            "kinds": Kind.choices,
            "departments": Department.objects.filter(is_active=True),
            "categories": Category.objects.filter(parent__isnull=False).select_related("parent"),
            "districts": District.objects.all(),
        },
    )


@login_required
@require_GET
def caller(request: HttpRequest) -> JsonResponse:
    """The caller's earlier cases, and the signed start of the call."""
    _operator(request)
    try:
        number, token = services.call_start(operator=request.user, number=request.GET.get("number", ""))
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)
    history = selectors.caller_history(number)
    return JsonResponse(
        {
            "number": number,
            "token": token,
            "history": [_case_row(c) for c in history],
            "repeat_caller": bool(history),
            "open": sum(1 for c in history if c.is_open),
        }
    )


@login_required
@require_GET
def assist(request: HttpRequest) -> JsonResponse:
    """Departments, category, district, articles and likely repeats for what the operator has typed so far."""
    _operator(request)
    title = request.GET.get("title", "")[:120]
    text = request.GET.get("text", "")[:MAX_TEXT]
    history = []
    if request.GET.get("number"):
        try:
            number, _token = services.call_start(operator=request.user, number=request.GET["number"])
        except DomainError:
            number = ""
        history = selectors.caller_history(number) if number else []
    found = selectors.call_assist(title=title, text=text, kind=request.GET.get("kind", ""), history=history)
    return JsonResponse(
        {
            "departments": [
                {"id": d.pk, "code": d.code, "name": d.name, "score": round(s, 3)} for d, s in found.departments
            ],
            "category": {"code": found.category.code, "name": found.category.name} if found.category else None,
            "district": {"code": found.district.code, "name": found.district.name} if found.district else None,
            "articles": [
                {
                    "id": a.pk,
                    "title": a.title,
                    "department": a.department.name,
                    "excerpt": a.body[:160],
                    "valid_until": a.valid_until.isoformat() if a.valid_until else "",
                }
                for a, _hit in found.articles
            ],
            "repeats": [_case_row(c) for c in found.repeats],
        }
    )


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def log(request: HttpRequest) -> HttpResponse:
    """Log the call and act on it: JSON for the console's script, a redirect with a message without it."""
    _operator(request)
    post = request.POST
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        logged = services.call_log(
            operator=request.user,
            call_token=post.get("call_token", ""),
            data={
                "title": post.get("title", "")[:120],
                "text": post.get("text", "")[:MAX_TEXT],
                "kind": post.get("kind", ""),
                "category": post.get("category", ""),
                "district": post.get("district", ""),
                "name": post.get("name", ""),
                "address": post.get("address", ""),
                "language": request.LANGUAGE_CODE,
            },
            outcome=post.get("outcome", ""),
            department_id=_int(post.get("department")),
            article_id=_int(post.get("article")),
            repeat_of_id=_int(post.get("repeat_of")),
        )
    except DomainError as error:
        if wants_json:
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
        return redirect("hotline:console")
    case = logged.submission
    done = {
        Outcome.DISPATCHED: _("Call logged as %(number)s and dispatched to %(department)s."),
        Outcome.TRIAGE: _("Call logged as %(number)s and sent to a dispatcher."),
        Outcome.ANSWERED: _("Call logged as %(number)s and answered from the knowledge base."),
    }[Outcome(logged.call.outcome)] % {
        "number": case.tracking_number,
        "department": case.lead_department.name if case.lead_department else "",
    }
    if wants_json:
        return JsonResponse(
            {
                "message": done,
                "tracking_number": case.tracking_number,
                "secret": logged.secret,
                "track_url": request.build_absolute_uri(
                    reverse("feedback:track_link", args=[case.tracking_number, logged.secret])
                ),
                "seconds": logged.call.seconds,
            }
        )
    messages.success(request, done + " " + _("Query code for the caller: %(secret)s") % {"secret": logged.secret})
    return redirect("hotline:console")
