"""The answering office's pages: open, close, moderate, group, answer, progress, void supports."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import selectors, services
from consultations.forms import (
    AnswerForm,
    ConsultationForm,
    ModerateForm,
    ProgressForm,
    VoidForm,
)
from consultations.models import (
    Answer,
    Suggestion,
    SuggestionGroup,
    Support,
)
from feedback.masking import mask_text
from portal.errors import DomainError, NotFound


def _staff(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


@_staff
def consultation_new(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_supervisor or request.user.department_ids()):
        raise Http404
    form = ConsultationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_open(
                by=request.user,
                department=data["department"],
                title=data["title"],
                question=data["question"],
                background=data["background"],
                districts=data["districts"],
                categories=data["categories"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                attachments=data["attachments"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The consultation is open."))
            return redirect("consultations:manage", pk=consultation.pk)
    status = 400 if form.errors else 200
    return render(request, "consultations/new.html", {"form": form}, status=status)


def _manage_context(request: HttpRequest, consultation) -> dict:
    groups = selectors.groups_with_answers(consultation=consultation)
    flagged = list(selectors.supports_flagged(consultation=consultation)[:100])
    for item in flagged:
        item.masked_email = mask_text(item.email)
    return {
        "consultation": consultation,
        "suggestions": selectors.suggestions_for_staff(consultation=consultation),
        "groups": groups,
        "unconfirmed": [g for g in groups if g.confirmed_at is None],
        "flagged": flagged,
        "moderate_form": ModerateForm(),
        "answer_form": AnswerForm(),
        "progress_form": ProgressForm(),
        "void_form": VoidForm(),
        "events": consultation.events.order_by("-created_at", "-id")[:30],
        "escalations": consultation.escalations.all(),
        "now": timezone.now(),
    }


@_staff
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        consultation = selectors.consultation_get_for_staff(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "consultations/manage.html", _manage_context(request, consultation))


def _act(request: HttpRequest, consultation_id: int, action, success: str) -> HttpResponse:
    """Run one office action; on a domain error show the page again with the message (nothing changed)."""
    try:
        consultation = selectors.consultation_get_for_staff(user=request.user, pk=consultation_id)
    except NotFound:
        raise Http404 from None
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        consultation.refresh_from_db()
        return render(
            request, "consultations/manage.html", _manage_context(request, consultation), status=exc.status_code
        )
    messages.success(request, success)
    return redirect("consultations:manage", pk=consultation_id)


def _refuse(message: str):
    def fail():
        raise DomainError(message)

    return fail


def _bad_form(request: HttpRequest, consultation_id: int, form) -> HttpResponse:
    message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return _act(request, consultation_id, _refuse(message), "")


@_staff
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda: services.consultation_close(consultation_id=pk, by=request.user),
        _("The consultation is closed; the answer deadline runs."),
    )


def _suggestion_consultation(pk: int) -> int:
    consultation_id = Suggestion.objects.filter(pk=pk).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise Http404
    return consultation_id


@_staff
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = _suggestion_consultation(pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, consultation_id, form)
    return _act(
        request,
        consultation_id,
        lambda: services.suggestion_moderate(suggestion_id=pk, by=request.user, **form.cleaned_data),
        _("The suggestion is hidden; its author sees why."),
    )


@_staff
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = _suggestion_consultation(pk)
    return _act(
        request,
        consultation_id,
        lambda: services.suggestion_restore(suggestion_id=pk, by=request.user),
        _("The suggestion is published again."),
    )


@_staff
@require_POST
def regroup(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = _suggestion_consultation(pk)
    raw = request.POST.get("group", "")
    group_id = int(raw) if raw.isdigit() else None
    if raw not in ("", "new") and group_id is None:
        return _act(request, consultation_id, _refuse(_("Choose a group.")), "")
    return _act(
        request,
        consultation_id,
        lambda: services.suggestion_regroup(suggestion_id=pk, by=request.user, group_id=group_id),
        _("The suggestion was moved."),
    )


@_staff
@require_POST
def confirm_groups(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda: services.groups_confirm(consultation_id=pk, by=request.user),
        _("The grouping is confirmed; answer each group."),
    )


def _form_act(request: HttpRequest, model, pk: int, form_class, run, success: str) -> HttpResponse:
    """An office action on a row of ``model`` that belongs to a consultation: 404 for an unknown row, the form's
    errors shown on the consultation's page (nothing changed), else ``run(cleaned_data)`` through ``_act``."""
    consultation_id = model.objects.filter(pk=pk).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return _bad_form(request, consultation_id, form)
    return _act(request, consultation_id, lambda: run(form.cleaned_data), success)


@_staff
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_act(
        request,
        SuggestionGroup,
        pk,
        AnswerForm,
        lambda data: services.group_answer(group_id=pk, by=request.user, **data),
        _("The answer is published."),
    )


@_staff
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_act(
        request,
        Answer,
        pk,
        ProgressForm,
        lambda data: services.answer_progress(answer_id=pk, by=request.user, **data),
        _("The progress update is published."),
    )


@_staff
@require_POST
def void_support(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_act(
        request,
        Support,
        pk,
        VoidForm,
        lambda data: services.support_void(support_id=pk, by=request.user, reason=data["reason"]),
        _("The support no longer counts."),
    )


@_staff
def mine_staff(request: HttpRequest) -> HttpResponse:
    """The office's consultations."""
    return render(
        request,
        "consultations/staff_list.html",
        {"consultations": selectors.consultations_for_staff(user=request.user)[:200], "now": timezone.now()},
    )
