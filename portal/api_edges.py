"""The edges of the REST API: its root, its errors outside DRF, and its docs page under the CSP.

- ``ApiRoot``: ``GET /api/v1/`` lists the API's lists and documents (absolute URLs), read from the URLconf.
- ``ApiErrorsAsJsonMiddleware``: an error that no API view answered (an unknown path, a method
  Django refuses, ``DEBUG`` pages) comes back under ``/api/`` in the one ``ApiError`` shape, never
  as an HTML page.
- ``RedocView``: the ReDoc page without inline scripts (its start-up lives in a static file) and
  with the two directives ReDoc needs beyond the site's policy: a search worker made from a
  ``blob:`` URL and the inline styles its components write. Only this page gets them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularRedocView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from open311.renderers import to_xml
from portal.api import error_body
from portal.middleware import DEFAULT_CSP

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 400: "invalid", 403: "permission_denied"}


def api_list_names(prefix: str = "api/v1/") -> dict[str, str]:
    """Route name → path of every named API route under ``prefix`` that takes no parameter."""
    found: dict[str, str] = {}

    def walk(patterns, path_prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, path_prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                full = path_prefix + str(pattern.pattern)
                if not full.lstrip("^").startswith(prefix) or "<" in full or "(?P" in full:
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                try:
                    found[pattern.name] = reverse(name)
                except Exception:  # noqa: BLE001 - a route that needs arguments after all
                    continue

    walk(get_resolver().url_patterns, "", None)
    found.pop("api-root", None)
    return dict(sorted(found.items()))


class ApiRoot(APIView):
    """The API's entry point: where each list and document is."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        responses=inline_serializer(
            "ApiRoot",
            {
                "description": serializers.CharField(),
                "schema": serializers.CharField(),
                "docs": serializers.CharField(),
                "endpoints": serializers.DictField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request):
        absolute = request.build_absolute_uri
        return Response(
            {
                "description": _("The Minsheng REST API: each entry is a list you may read (if your role allows it)."),
                "schema": absolute(reverse("api-schema")),
                "docs": absolute(reverse("api-docs")),
                "endpoints": {name: absolute(path) for name, path in api_list_names().items()},
            }
        )


def open311_error(request: HttpRequest, status: int, description: str) -> HttpResponse:
    """Open311's error list, in XML when the path asks for it, else JSON."""
    errors = [{"code": status, "description": description}]
    if request.path.rstrip("/").endswith(".xml"):
        return HttpResponse(to_xml(errors, "errors"), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(errors, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


class ApiErrorsAsJsonMiddleware:
    """Under ``/api/``, an error response that is not JSON is replaced by the ``ApiError`` body.

    Under ``/open311/``, by Open311's error list (JSON, or XML for ``.xml`` paths).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        is_error_page = response.status_code >= 400 and not getattr(response, "streaming", False)
        if (
            is_error_page
            and request.path.startswith(OPEN311_PREFIX)
            and not ("json" in content_type or "xml" in content_type)
        ):
            return open311_error(
                request,
                response.status_code,
                _("Not found.") if response.status_code == 404 else response.reason_phrase,
            )
        if is_error_page and request.path.startswith(API_PREFIX) and "json" not in content_type:
            code = STATUS_CODES.get(response.status_code, "error")
            detail = _("No API endpoint at this address.") if response.status_code == 404 else response.reason_phrase
            replaced = JsonResponse(
                error_body(detail, code), status=response.status_code, json_dumps_params={"ensure_ascii": False}
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response


REDOC_CSP = DEFAULT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + "; worker-src 'self' blob:"


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["settings_json"] = response.data.get("settings") or "{}"  # already JSON text
        response["Content-Security-Policy"] = REDOC_CSP
        return response
