""" "My cases": pages where a citizen opens every case of a phone number or e-mail address with a one-time code.

1. ``/my-cases/``: the contact; a code is made and sent (if the contact has
   cases). The answer is the same whether it is known or not.
2. ``/my-cases/code/``: the code; right, the session holds the contact for
   ``MY_CASES_SESSION_MINUTES``.
3. ``/my-cases/list/``: the cases; opening one stores the usual tracking grant
   (``citizen_access``), so the tracking page works as with the secret.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from feedback.access_codes import (
    CodeRefused,
    Contact,
    access_code_request,
    access_code_request_allowed,
    access_code_verify,
    cases_for_contact,
    verify_failures_allowed,
)
from feedback.citizen_access import capability_page, grant_store, no_store
from feedback.forms import AccessCodeForm, ContactForm
from portal.ratelimit import client_key

PENDING_KEY = "my_cases_pending"  # the contact a code was asked for, until it is typed back
SESSION_KEY = "my_cases"  # the contact whose cases this session may list, and until when
LIST_LIMIT = 100


def _too_many(request: HttpRequest, retry_after: int, template: str, form) -> HttpResponse:
    minutes = max(1, retry_after // 60)
    form.add_error(None, _("Too many tries. Please wait %(minutes)s minutes and try again.") % {"minutes": minutes})
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def session_contact(request: HttpRequest) -> Contact | None:
    held = request.session.get(SESSION_KEY)
    if not held or held.get("until", 0) < time.time():
        return None
    return Contact(held["kind"], held["value"])


@no_store
def my_cases_start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "feedback/my_cases_start.html", {"form": ContactForm()})
    form = ContactForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/my_cases_start.html", {"form": form}, status=400)
    contact: Contact = form.cleaned_data["contact"]
    limit = access_code_request_allowed(contact=contact, client=client_key(request))
    if not limit.allowed:
        return _too_many(request, limit.retry_after, "feedback/my_cases_start.html", form)
    access_code_request(contact=contact, language=get_language() or settings.LANGUAGE_CODE)
    request.session[PENDING_KEY] = {"kind": contact.kind, "value": contact.value}
    return redirect("feedback:my_cases_code")


@no_store
def my_cases_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("feedback:my_cases")
    contact = Contact(pending["kind"], pending["value"])
    context = {"contact": contact, "minutes": settings.MINSHENG["ACCESS_CODE_MINUTES"]}
    if request.method != "POST":
        return render(request, "feedback/my_cases_code.html", {**context, "form": AccessCodeForm()})
    form = AccessCodeForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "feedback/my_cases_code.html", context, status=400)
    client = client_key(request)
    limit = verify_failures_allowed(client=client, count=False)
    if not limit.allowed:
        return _too_many(request, limit.retry_after, "feedback/my_cases_code.html", form)
    try:
        access_code_verify(contact=contact, code=form.cleaned_data["code"])
    except CodeRefused as exc:
        verify_failures_allowed(client=client, count=True)
        form.add_error("code", exc.message)
        return render(request, "feedback/my_cases_code.html", context, status=400)
    request.session.pop(PENDING_KEY, None)
    minutes = settings.MINSHENG["MY_CASES_SESSION_MINUTES"]
    request.session[SESSION_KEY] = {"kind": contact.kind, "value": contact.value, "until": time.time() + minutes * 60}
    request.session.cycle_key()
    return redirect("feedback:my_cases_list")


@no_store
def my_cases_list(request: HttpRequest) -> HttpResponse:
    contact = session_contact(request)
    if contact is None:
        messages.info(request, _("Your session for “my cases” has ended. Ask for a new code."))
        return redirect("feedback:my_cases")
    cases = list(cases_for_contact(contact)[:LIST_LIMIT])
    return render(request, "feedback/my_cases_list.html", {"cases": cases, "contact": contact})


@capability_page
def my_cases_open(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Open one listed case: the tracking grant, as if the secret had been typed."""
    contact = session_contact(request)
    if contact is None:
        return redirect("feedback:my_cases")
    if not cases_for_contact(contact).filter(tracking_number=tracking_number).exists():
        raise Http404
    grant_store(request, tracking_number)
    return redirect("feedback:track_detail", tracking_number=tracking_number)


def my_cases_leave(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        request.session.pop(PENDING_KEY, None)
        messages.success(request, _("You left “my cases”."))
    return redirect("feedback:my_cases")
