"""Consultation pages: the public list and page, citizens' suggestions and supports, the office's work."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import selectors, services
from consultations.forms import (
    AnswerForm,
    CodeForm,
    ConsultationForm,
    ModerateForm,
    ProgressForm,
    SuggestionForm,
    SupportForm,
    VoidForm,
)
from consultations.models import (
    Answer,
    ConsultationAttachment,
    ConsultationStatus,
    Suggestion,
    SuggestionGroup,
    Support,
)
from feedback.citizen_access import capability_page, grant_has, grant_store, no_store
from feedback.masking import mask_text
from feedback.ratelimit import client_key
from portal.errors import DomainError, NotFound

DONE_KEY = "consultation_suggestion_done"
SUPPORT_KEY = "consultation_support_token"


def _grant_name(reference: str) -> str:
    return f"consultation:{reference}"


def consultation_list(request: HttpRequest) -> HttpResponse:
    state = "closed" if request.GET.get("state") == "closed" else "open"
    consultations = list(selectors.consultations_public(state=state)[:100])
    can_open = request.user.is_authenticated and (request.user.is_supervisor or bool(request.user.department_ids()))
    return render(
        request,
        "consultations/list.html",
        {"consultations": consultations, "state": state, "can_open": can_open},
    )


def _public_context(request: HttpRequest, consultation, **extra) -> dict:
    now = timezone.now()
    context = {
        "consultation": consultation,
        "accepting": consultation.is_accepting(now),
        "suggestions": selectors.suggestions_public(consultation=consultation),
        "themes": selectors.consultation_themes(consultation=consultation),
        "groups": selectors.groups_with_answers(consultation=consultation)
        if consultation.status != ConsultationStatus.OPEN
        else [],
        "can_manage": services.may_manage(request.user, consultation),
        "form": SuggestionForm(),
        "support_form": SupportForm(),
    }
    context.update(extra)
    return context


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        consultation = selectors.consultation_get_public(pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "consultations/detail.html", _public_context(request, consultation))


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A consultation's attachment: public once the consultation is."""
    item = ConsultationAttachment.objects.filter(pk=pk).select_related("consultation").first()
    if item is None:
        raise Http404
    try:
        selectors.consultation_get_public(pk=item.consultation_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        consultation = selectors.consultation_get_public(pk=pk)
    except NotFound:
        raise Http404 from None
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "consultations/detail.html", _public_context(request, consultation, form=form), status=400
        )
    try:
        created = services.suggestion_create(
            consultation_id=consultation.pk,
            language=get_language() or settings.LANGUAGE_CODE,
            client_hash=client_key(request),
            **form.cleaned_data,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(
            request,
            "consultations/detail.html",
            _public_context(request, consultation, form=form),
            status=exc.status_code,
        )
    reference = created.suggestion.reference
    request.session[DONE_KEY] = {"reference": reference, "secret": created.secret, "consultation": consultation.pk}
    grant_store(request, _grant_name(reference))
    return redirect("consultations:suggest_done")


@capability_page
def suggest_done(request: HttpRequest) -> HttpResponse:
    done = request.session.pop(DONE_KEY, None)
    if done is None:
        return redirect("consultations:list")
    link = request.build_absolute_uri(
        reverse("consultations:private_link", kwargs={"reference": done["reference"], "secret": done["secret"]})
    )
    return render(request, "consultations/suggest_done.html", {"done": done, "link": link})


def private_link(request: HttpRequest, reference: str, secret: str) -> HttpResponse:
    """Check the secret once and continue on a URL without it (it never renders a page)."""
    try:
        suggestion = services.suggestion_get_by_secret(reference=reference.upper(), secret=secret)
    except NotFound as exc:
        messages.error(request, exc.message)
        return redirect("consultations:list")
    grant_store(request, _grant_name(suggestion.reference))
    return redirect("consultations:mine", reference=suggestion.reference)


@capability_page
@no_store
def mine(request: HttpRequest, reference: str) -> HttpResponse:
    if not grant_has(request, _grant_name(reference)):
        raise Http404
    suggestion = Suggestion.objects.select_related("consultation", "group").filter(reference=reference).first()
    if suggestion is None:
        raise Http404
    answer = Answer.objects.filter(group_id=suggestion.group_id).first() if suggestion.group_id else None
    supports = suggestion.supports.filter(voided_at__isnull=True).count()
    return render(
        request, "consultations/mine.html", {"suggestion": suggestion, "answer": answer, "supports": supports}
    )


@require_POST
def support(request: HttpRequest, reference: str) -> HttpResponse:
    suggestion = Suggestion.objects.select_related("consultation").filter(reference=reference).first()
    if suggestion is None:
        raise Http404
    form = SupportForm(request.POST)
    error = None
    if form.is_valid():
        try:
            requested = services.support_request(
                suggestion_reference=reference, email=form.cleaned_data["email"], client_hash=client_key(request)
            )
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            request.session[SUPPORT_KEY] = requested.verification.token
            messages.success(request, _("We sent a code to your e-mail. Enter it to count your support."))
            return redirect("consultations:support_confirm")
    else:
        error, status = _("Enter a valid e-mail address."), 400
    messages.error(request, error)
    context = _public_context(request, suggestion.consultation, support_form=form, support_for=reference)
    return render(request, "consultations/detail.html", context, status=status)


def support_confirm(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SUPPORT_KEY)
    if not token:
        return redirect("consultations:list")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.support_confirm(token=token, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            return render(request, "consultations/support_confirm.html", {"form": form}, status=exc.status_code)
        request.session.pop(SUPPORT_KEY, None)
        messages.success(request, _("Thank you: your support is counted."))
        return redirect(reverse("consultations:detail", args=[created.consultation_id]) + "#suggestions")
    return render(request, "consultations/support_confirm.html", {"form": form}, status=400 if form.errors else 200)


# --- the office ---------------------------------------------------------------------------------------------------


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


@_staff
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = SuggestionGroup.objects.filter(pk=pk).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, consultation_id, form)
    return _act(
        request,
        consultation_id,
        lambda: services.group_answer(group_id=pk, by=request.user, **form.cleaned_data),
        _("The answer is published."),
    )


@_staff
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = Answer.objects.filter(pk=pk).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise Http404
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, consultation_id, form)
    return _act(
        request,
        consultation_id,
        lambda: services.answer_progress(answer_id=pk, by=request.user, **form.cleaned_data),
        _("The progress update is published."),
    )


@_staff
@require_POST
def void_support(request: HttpRequest, pk: int) -> HttpResponse:
    consultation_id = Support.objects.filter(pk=pk).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise Http404
    form = VoidForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, consultation_id, form)
    return _act(
        request,
        consultation_id,
        lambda: services.support_void(support_id=pk, by=request.user, reason=form.cleaned_data["reason"]),
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
