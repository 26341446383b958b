"""Citizen pages: submit, confirmation, tracking, rating, reopening, the public board."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from city.models import Category, Department, District
from feedback import citizen_actions, selectors, services
from feedback.citizen_access import capability_page, citizen_post, form_token, grant_has, grant_store, no_store
from feedback.forms import (
    MaterialAnswerForm,
    RatingForm,
    ReopenForm,
    SubmissionForm,
    TrackForm,
    UrgeForm,
    WithdrawForm,
)
from feedback.models import Attachment
from feedback.pending_uploads import pending_discard, pending_store
from feedback.ratelimit import submission_count, tracking_guess_allowed, tracking_guess_failed
from portal.errors import DomainError, NotFound

DONE_KEY = "intake_done"
BOARD_PAGE_SIZE = 20


def rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "feedback/rate_limited.html", {"retry_minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def submit_refused_message(retry_after: int) -> str:
    minutes = max(1, retry_after // 60)
    return _(
        "Too many submissions came from your network. Your text and files are kept below: please send them again "
        "in %(minutes)s minutes, or call the 12345 hotline if it is urgent."
    ) % {"minutes": minutes}


def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "feedback/submit.html", {"form": SubmissionForm()})
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _submit_again(request, form)
    # Only accepted submissions count; a refused one keeps what the citizen typed and the files chosen.
    limit = submission_count(request)
    if not limit.allowed:
        form.add_error(None, submit_refused_message(limit.retry_after))
        response = _submit_again(request, form, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response
    kept = form.cleaned_data["pending_files"]
    submission, secret, created = services.submission_create(
        data=form.submission_data(),
        client_token=form.cleaned_data["client_token"] or None,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    pending_discard(kept)
    if created:
        # A repeated post (double click) leaves the session alone, so the
        # first request's secret is what the confirmation page shows.
        request.session[DONE_KEY] = {"tracking_number": submission.tracking_number, "secret": secret}
        grant_store(request, submission.tracking_number)
    return redirect("feedback:submit_done")


def _submit_again(request: HttpRequest, form: SubmissionForm, *, status: int = 400) -> HttpResponse:
    """The form with its errors, keeping the files that passed their checks so they need not be chosen again."""
    earlier = form.cleaned_data.get("pending_files") if "pending_files" not in form.errors else []
    token, kept = pending_store(form.files_to_keep(), earlier or [])
    context = {"form": form, "pending_token": token, "pending": kept}
    return render(request, "feedback/submit.html", context, status=status)


@capability_page
def submit_done(request: HttpRequest) -> HttpResponse:
    done = request.session.pop(DONE_KEY, None)
    if done is None:
        return redirect("feedback:track")
    link = request.build_absolute_uri(f"/t/{done['tracking_number']}/{done['secret']}/")
    return render(request, "feedback/submit_done.html", {"done": done, "link": link})


def _not_found(request: HttpRequest, form: TrackForm, tracking_number: str) -> HttpResponse:
    tracking_guess_failed(request, tracking_number)  # each failure counts toward the guessing limit
    context = {"form": form, "not_found": _("No case matches this tracking number and secret code.")}
    return render(request, "feedback/track_lookup.html", context, status=404)


@no_store
def track(request: HttpRequest) -> HttpResponse:
    """The lookup form. Its own URL holds nothing secret, so the default referrer policy applies."""
    if request.method != "POST":
        form = TrackForm(initial={"tracking_number": request.GET.get("n", "")[:32]})
        return render(request, "feedback/track_lookup.html", {"form": form})
    form = TrackForm(request.POST)
    limit = tracking_guess_allowed(request, request.POST.get("tracking_number", ""))
    if not limit.allowed:
        return rate_limited(request, limit.retry_after)
    if not form.is_valid():
        return render(request, "feedback/track_lookup.html", {"form": form}, status=400)
    number, secret = form.cleaned_data["tracking_number"], form.cleaned_data["secret"]
    try:
        submission = selectors.submission_get_by_secret(tracking_number=number, secret=secret)
    except NotFound:
        return _not_found(request, form, number)
    grant_store(request, submission.tracking_number)
    return redirect("feedback:track_detail", tracking_number=submission.tracking_number)


@capability_page
def track_link(request: HttpRequest, tracking_number: str, secret: str) -> HttpResponse:
    """The private link: check the secret once, then continue on URLs without it.

    Success and failure both redirect, so the secret-bearing URL never renders
    a page (nothing on it could leak it onwards); a failure lands on the
    lookup form with the same message as a wrong number.
    """
    limit = tracking_guess_allowed(request, tracking_number)
    if not limit.allowed:
        return rate_limited(request, limit.retry_after)
    try:
        submission = selectors.submission_get_by_secret(tracking_number=tracking_number.upper(), secret=secret)
    except NotFound as exc:
        tracking_guess_failed(request, tracking_number)
        messages.error(request, exc.message)
        return redirect(f"{reverse('feedback:track')}?n={quote(tracking_number[:32])}")
    grant_store(request, submission.tracking_number)
    return redirect("feedback:track_detail", tracking_number=submission.tracking_number)


@no_store
def track_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    if not grant_has(request, tracking_number):
        # The same answer whether or not the number exists.
        form = TrackForm(initial={"tracking_number": tracking_number})
        return render(request, "feedback/track_lookup.html", {"form": form, "ask_secret": True})
    language = request.GET.get("lang")
    if language in dict(settings.LANGUAGES):
        response = redirect("feedback:track_detail", tracking_number=tracking_number)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    try:
        submission = selectors.submission_get_by_number(tracking_number=tracking_number)
    except NotFound:
        raise Http404 from None
    view = selectors.citizen_view(submission=submission, now=timezone.now())
    context = {
        "view": view,
        "case": submission,
        "rating_form": RatingForm(),
        "reopen_form": ReopenForm(),
        "material_form": MaterialAnswerForm(),
        "urge": citizen_actions.urge_state(submission, timezone.now()),
        "urge_form": UrgeForm(),
        "can_withdraw": submission.status in citizen_actions.WITHDRAWABLE,
        "withdraw_form": WithdrawForm(),
        "form_token": form_token(request),
    }
    response = render(request, "feedback/track_detail.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _citizen_case(request: HttpRequest, tracking_number: str):
    if not grant_has(request, tracking_number):
        raise Http404
    try:
        return selectors.submission_get_by_number(tracking_number=tracking_number)
    except NotFound:
        raise Http404 from None


def _after_action(request: HttpRequest, tracking_number: str, error: DomainError | None, done: str) -> HttpResponse:
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("feedback:track_detail", tracking_number=tracking_number)


def _form_errors(form) -> DomainError:
    first = next(iter(form.errors.values()))[0]
    return DomainError(first)


@citizen_post
@capability_page
def track_rate(request: HttpRequest, tracking_number: str) -> HttpResponse:
    submission = _citizen_case(request, tracking_number)
    form = RatingForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            services.rating_submit(submission_id=submission.pk, **form.cleaned_data)
        except DomainError as exc:
            error = exc
    return _after_action(request, tracking_number, error, _("Thank you. Your rating was recorded."))


@citizen_post
@capability_page
def track_reopen(request: HttpRequest, tracking_number: str) -> HttpResponse:
    submission = _citizen_case(request, tracking_number)
    form = ReopenForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            services.case_reopen(submission_id=submission.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc
    return _after_action(request, tracking_number, error, _("Your case was sent back to be handled again."))


@citizen_post
@capability_page
def track_material(request: HttpRequest, tracking_number: str) -> HttpResponse:
    submission = _citizen_case(request, tracking_number)
    form = MaterialAnswerForm(request.POST, request.FILES)
    error = None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            services.material_answer(
                submission_id=submission.pk,
                answer=form.cleaned_data["answer"],
                uploads=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            error = exc
    return _after_action(request, tracking_number, error, _("Thank you. Your answer was sent to the department."))


@citizen_post
@capability_page
def track_urge(request: HttpRequest, tracking_number: str) -> HttpResponse:
    submission = _citizen_case(request, tracking_number)
    form = UrgeForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            citizen_actions.case_urge(submission_id=submission.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc
    done = _("Your urge was sent to the department and its supervisors.")
    return _after_action(request, tracking_number, error, done)


@citizen_post
@capability_page
def track_withdraw(request: HttpRequest, tracking_number: str) -> HttpResponse:
    submission = _citizen_case(request, tracking_number)
    form = WithdrawForm(request.POST)
    error = None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            citizen_actions.case_withdraw(submission_id=submission.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc
    return _after_action(request, tracking_number, error, _("Your case was withdrawn and closed."))


# An inline attachment is shown in our own pages only (an <iframe> or <img> on the case
# and tracking pages): it may be framed by the site itself, and runs nothing.
INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
INLINE_TYPES = ("image/", "application/pdf")
THUMBNAIL_SIZE = (320, 320)


@capability_page
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the citizen holding the case's grant, or staff who may see the case.

    ``?inline=1`` shows an image or PDF in the browser (framed by our pages
    only); ``?thumb=1`` gives a small PNG of an image; otherwise a download.
    """
    attachment = get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)
    if not (
        grant_has(request, attachment.submission.tracking_number)
        or selectors.staff_may_see(request.user, attachment.submission_id)
    ):
        raise Http404
    content_type = attachment.content_type or "application/octet-stream"
    if request.GET.get("thumb") and attachment.is_image:
        response = HttpResponse(_thumbnail(attachment), content_type="image/png")
        response["Content-Security-Policy"] = INLINE_CSP
        return response
    inline = bool(request.GET.get("inline")) and content_type.startswith(INLINE_TYPES)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    if inline:
        response["Content-Security-Policy"] = INLINE_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _thumbnail(attachment: Attachment) -> bytes:
    """A small PNG of an image attachment (made on request: attachments are few and small)."""
    import io

    from PIL import Image, ImageOps

    with attachment.file.open("rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def board(request: HttpRequest) -> HttpResponse:
    filters = {
        "query": request.GET.get("q", "")[:100],
        "category": request.GET.get("category", "")[:40],
        "district": request.GET.get("district", "")[:40],
        "department": request.GET.get("department", "")[:40],
    }
    paginator = Paginator(selectors.board_list(**filters), BOARD_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    entries = [selectors.board_entry(s) for s in page.object_list]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "page": page,
        "entries": entries,
        "filters": filters,
        "query_string": query_string.urlencode(),
        "categories": Category.objects.filter(is_active=True, parent__isnull=True),
        "districts": District.objects.all(),
        "departments": Department.objects.filter(is_active=True),
    }
    return render(request, "feedback/board_list.html", context)


def board_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    try:
        submission = selectors.board_get(tracking_number=tracking_number)
    except NotFound:
        raise Http404 from None
    return render(request, "feedback/board_detail.html", {"entry": selectors.board_entry(submission)})
