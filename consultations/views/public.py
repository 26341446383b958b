"""Public consultation pages, and citizens' suggestions, private page and supports (no account)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import selectors, services
from consultations.forms import (
    CodeForm,
    SuggestionForm,
    SupportForm,
)
from consultations.models import (
    Answer,
    ConsultationAttachment,
    ConsultationStatus,
    Suggestion,
)
from feedback.citizen_access import capability_page, grant_has, grant_store, no_store
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
