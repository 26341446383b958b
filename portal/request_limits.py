"""A cap on the size of a request body, checked before anything reads it.

Django reads a multipart body in full (to disk) before a form can check an
attachment's size, so a 5 × 50 MB upload would be read and stored before the
10 MB-per-file check refused it. This middleware answers 413 from the
``Content-Length`` header alone, before any view, form or parser touches the
body; a body sent without a length (chunked) is refused too, since no client
of ours needs it. The cap is ``MAX_REQUEST_BYTES`` (default: the attachments a
submission may carry plus 1 MB for its text); Django's own
``DATA_UPLOAD_MAX_MEMORY_SIZE`` still bounds the non-file part.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.api import error_body
from portal.api_edges import open311_error


def request_too_large(request: HttpRequest, message: str) -> HttpResponse:
    """413 in the shape the caller reads: the API's JSON, Open311's JSON or XML, or plain text."""
    if request.path.startswith("/open311/"):
        return open311_error(request, 413, message)
    if request.path.startswith("/api/"):
        body = error_body(message, "request_too_large")
        return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """413 for a body larger than ``MAX_REQUEST_BYTES``, judged from its declared length, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(settings.MAX_REQUEST_BYTES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(raw_length) if raw_length.strip() else 0
        except ValueError:
            length = -1
        if length < 0 or length > self.limit or (chunked and not raw_length.strip()):
            message = _("The request is too large: at most %(limit)s may be sent at once.") % {
                "limit": filesizeformat(self.limit)
            }
            return request_too_large(request, message)
        return self.get_response(request)
