"""Project-wide REST conventions: one error shape, throttles, pagination, schema.

Every error an ``/api/`` endpoint returns has the same JSON body::

    {"detail": "What went wrong, in the user's language.",
     "code": "machine_readable_code",
     "errors": {"field": ["message", ...]}}   # only validation fills it

Status codes: 400 bad input, 401 not authenticated, 403 not allowed, 404 not
found (also for "not yours"), 409 a state change that conflicts with the
case's current state, 429 throttled (with ``Retry-After``).

For an API view in any app: raise DRF's ``ValidationError`` or a
``portal.errors.DomainError`` subclass (its ``status_code`` is used); the
handler below shapes the answer and ``ApiAutoSchema`` documents the error
responses, so views need no error code of their own. Views that take text
path parameters add ``RejectNullCharactersMixin``. Pagination
(``?page=&page_size=``, at most 200), django-filter and ``?ordering=`` are
the defaults; public endpoints say ``permission_classes = [AllowAny]``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import DomainError

log = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


class ApiErrorSerializer(serializers.Serializer):
    """The one error body of the REST API (documentation only)."""

    detail = serializers.CharField(help_text="What went wrong, in the user's language.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. 'invalid', 'not_found', 'throttled'.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages. Filled for validation errors (400), empty otherwise.",
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as ``{"a.0.b": [messages]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            flat[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for field, messages in flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    flat.setdefault(field, []).extend(messages)
    else:
        flat[prefix or NON_FIELD] = [str(detail)]
    return flat


def error_body(detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "errors": errors or {}}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def from_django_request_error(exc: Exception) -> Exception:
    """Django's refusals of a request body (too big, too many fields or files) as DRF errors.

    Django answers them 400 in its own views; DRF would let them through as a 500.
    """
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge(_("The request body is too large."))
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(_("The request has too many fields or files, or is malformed."))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every error in the one shape, with the right status."""
    exc = from_django_request_error(exc)
    if isinstance(exc, DomainError):
        code = "domain_error" if type(exc) is DomainError else _snake(type(exc).__name__)
        return Response(error_body(exc.message, code), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # An unexpected error: logged with its traceback, answered in the same shape.
        log.exception("unhandled API error", exc_info=exc)
        return Response(
            error_body(_("A server error occurred."), "server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(_("Invalid input."), "invalid", flatten_errors(exc.detail))
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(detail, (dict, list)):
        response.data = error_body(_("Invalid input."), "invalid", flatten_errors(detail))
        return response
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = error_body(str(detail), str(code))
    return response


class RejectNullCharactersMixin:
    """400 for a NUL character in the path or query string, which PostgreSQL text cannot hold.

    Form fields already refuse it; path parameters and raw query parameters
    would otherwise reach the database and fail there as a server error.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        values = [str(v) for v in kwargs.values()]
        values += [v for key in request.query_params for v in [key, *request.query_params.getlist(key)]]
        if any("\x00" in value for value in values):
            raise exceptions.ValidationError({NON_FIELD: [_("Null characters are not allowed.")]})


def _retry_after_header() -> dict[str, Any]:
    return {
        "Retry-After": {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before trying again.",
        }
    }


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error responses every endpoint can give."""

    error_serializer: Any = ApiErrorSerializer

    def error_codes(self) -> list[str]:
        codes = ["400", "429"]
        try:
            permissions = self.view.get_permissions()
        except Exception:  # noqa: BLE001 - a view whose permissions need a real request: assume protected
            permissions = []
        if not permissions or not all(isinstance(p, AllowAny) for p in permissions):
            codes += ["401", "403"]
        # A path parameter names something that may not exist; a page number may be past the end.
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and not self._is_create_operation():
            codes.append("409")
        return codes

    def error_response(self, code: str) -> dict[str, Any]:
        return self._get_response_for_code(self.error_serializer, code, direction="response")

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self.error_response(code)
            if code == "429":
                responses[code].setdefault("headers", {}).update(_retry_after_header())
        return responses
