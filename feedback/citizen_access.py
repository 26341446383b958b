"""The citizen's capability: the tracking secret, turned into a short-lived session grant.

The secret is checked once (from the link or the form) and the session then
holds a grant for that tracking number, so later pages and attachment links
carry no secret in their URL, and the secret is never written to any log.
"""

from __future__ import annotations

import functools
import hmac
import logging
import re
import secrets
import time

from django.http import HttpRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

GRANTS_KEY = "citizen_grants"
FORM_TOKEN_KEY = "citizen_form_token"
FORM_TOKEN_FIELD = "citizen_token"
GRANT_SECONDS = 2 * 3600


def grant_store(request: HttpRequest, tracking_number: str) -> None:
    grants = {k: v for k, v in request.session.get(GRANTS_KEY, {}).items() if v > time.time()}
    grants[tracking_number] = time.time() + GRANT_SECONDS
    request.session[GRANTS_KEY] = grants
    request.session.cycle_key()


def grant_has(request: HttpRequest, tracking_number: str) -> bool:
    expires = request.session.get(GRANTS_KEY, {}).get(tracking_number)
    return bool(expires and expires > time.time())


def form_token(request: HttpRequest) -> str:
    """A per-session token for the citizen's forms (synchronizer-token CSRF defence)."""
    token = request.session.get(FORM_TOKEN_KEY)
    if not token:
        token = request.session[FORM_TOKEN_KEY] = secrets.token_urlsafe(32)
    return token


def citizen_post(view):
    """POSTs from the tracking page.

    That page is sent with ``Referrer-Policy: no-referrer``, so browsers send
    ``Origin: null`` with its forms and Django's origin check would refuse
    them. These views therefore check a session-bound form token instead;
    the session cookie is SameSite=Lax, so a cross-site post carries no grant
    either.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseForbidden()
        expected = request.session.get(FORM_TOKEN_KEY, "")
        sent = request.POST.get(FORM_TOKEN_FIELD, "")
        if not expected or not hmac.compare_digest(expected, sent):
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return wrapper


def no_store(view):
    """Pages about one citizen's case: never cached by browsers or proxies."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def capability_page(view):
    """Pages that prove access to a case: no caching, no referrer leaves them."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return wrapper


# /t/<tracking number>/<secret>/ in any log line becomes /t/<tracking number>/[secret]/.
SECRET_IN_PATH = re.compile(r"(/t/[A-Za-z0-9\-]+/)[^/\s\"'?]+")


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\1[secret]", text)


class RedactTrackingSecrets(logging.Filter):
    """Remove tracking secrets from request log lines (runserver, django.request, gunicorn access)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "/t/" in record.msg:
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                # In place: gunicorn passes a dict subclass that answers missing keys.
                for key, value in list(record.args.items()):
                    if isinstance(value, str) and "/t/" in value:
                        record.args[key] = redact(value)
            else:
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


REDACTED_LOGGERS = ("django.server", "django.request", "gunicorn.access", "gunicorn.error")


def install_log_redaction() -> None:
    redactor = RedactTrackingSecrets()
    for name in REDACTED_LOGGERS:
        logging.getLogger(name).addFilter(redactor)
