"""Oversight reads on a read replica; everything else on the primary.

Installed only when ``DATABASE_REPLICA_URL`` is set (portal/settings/base.py):
the ``replica`` alias is then a streaming standby of ``default``.

What goes to the replica: the ORM reads made while a GET or HEAD request is
answered by a view of an oversight module (``REPLICA_READ_MODULES``: the
supervisors' dashboard, case list and CSV, KPIs, digest, the public scoreboard
and the oversight API) or inside :func:`replica_reads` (a task or command that
only reads, e.g. building the digest). Those are the heavy aggregate reads;
they tolerate the standby's lag (milliseconds to seconds), unlike a citizen
reading back the case they just submitted.

What never goes there, even then: writes and ``select_for_update`` (Django
asks ``db_for_write``), reads inside a transaction on the primary (they must
see its own writes), and the models of sign-in and sessions
(``PRIMARY_ONLY_APPS``) — a session created a moment ago on the primary may
not have reached the standby yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"
PRIMARY = "default"
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "otp_totp", "authtoken", "contenttypes"})
DEFAULT_READ_MODULES = ("oversight.",)

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads the router may send to the replica go there (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if not _reading_from_replica.get() or not replica_configured():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows on both: a standby is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Marks the oversight pages' GET requests as replica reads (installed with the router)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.modules = tuple(getattr(settings, "REPLICA_READ_MODULES", DEFAULT_READ_MODULES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not self._reads_oversight(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)

    def _reads_oversight(self, request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        module = getattr(match.func, "__module__", "") or ""
        view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
        if view_class is not None:
            module = view_class.__module__
        return module.startswith(self.modules)
