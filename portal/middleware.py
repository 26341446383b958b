"""Security headers that Django 5.2 does not set by itself, and refusals of odd URLs."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from portal.api import error_body

# URL prefix -> a function (request, message) -> 400 response in that interface's own error
# format. Higher apps register theirs in ``AppConfig.ready`` (Open311: its JSON or XML), so
# this module imports none of them.
BadRequestResponder = Callable[[HttpRequest, str], HttpResponse]
_bad_request_formats: dict[str, BadRequestResponder] = {}


def register_bad_request_format(prefix: str, responder: BadRequestResponder) -> None:
    _bad_request_formats[prefix] = responder


DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy without 'unsafe-inline' scripts on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response


class PagesSpeakChineseFirstMiddleware:
    """Pages are in Chinese unless the visitor picked English with the switch.

    Browsers send their own language preference, which would show English
    pages to a Chinese citizen on an English-language phone; so pages ignore
    Accept-Language and follow the switch's cookie only. API clients keep
    content negotiation: an API request may ask for English error messages.
    """

    API_PREFIXES = ("/api/", "/open311/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.API_PREFIXES):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """Answer 400 to a URL whose path or query string holds a NUL character.

    No address of ours needs one, and PostgreSQL refuses NUL in any text
    parameter, so a lookup by such a value would fail as a server error. One
    check here instead of one in every view; the error takes the shape its
    client reads (the API's JSON, Open311's JSON or XML, or a page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key + value for key, value in request.GET.items()):
            return self.bad_request(request)
        return self.get_response(request)

    @staticmethod
    def bad_request(request: HttpRequest) -> HttpResponse:
        message = _("The address contains a null character.")
        for prefix, responder in _bad_request_formats.items():
            if request.path.startswith(prefix):
                return responder(request, message)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message, "invalid"), status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
