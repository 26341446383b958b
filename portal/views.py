from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from portal.celery import app
from portal.front_door import front_door


def home(request: HttpRequest) -> HttpResponse:
    """The front door: the two actions, a search over the board, and the city at work this week."""

    return render(request, "home.html", {"door": front_door()})


def broker_status() -> tuple[bool, str]:
    """Can we reach the Celery broker right now? Bounded by the broker timeouts."""

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel  # noqa: B018 - opens a channel: proves the broker answers
        return True, conn.transport_cls if isinstance(conn.transport_cls, str) else "ok"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


def database_status() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = database_status()
    broker_ok, broker_detail = broker_status()
    body = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the caller's format: the API's one error shape under /api/, a page elsewhere."""

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found", "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)
