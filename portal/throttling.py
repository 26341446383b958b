"""Throttles of the REST API, rates from settings (``API_ANON_RATE``, ``API_USER_RATE``).

Kept apart from ``portal.api``: DRF imports these while defining ``APIView``,
so this module must not import DRF's views.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from portal.proxies import client_address
from portal.ratelimit import LimitCheck, RateLimitResult, rate_limit_check, rate_limits_check


def _checked_rate(scope: str, rate: str | None) -> str | None:
    if rate is not None and not re.fullmatch(r"\d+/(s|m|h|d|sec|second|min|minute|hour|day)", rate):
        raise ImproperlyConfigured(f"Throttle rate {scope}={rate!r} is not valid: expected e.g. '120/minute'.")
    return rate


class _SettingsRate:
    """Read the rate when asked, so settings overrides apply without a restart; count in a fixed window.

    DRF's own throttle keeps a list of every request's time per client and
    rewrites it on each request (two round trips and a list that grows with
    the rate, lost updates under concurrency). Here one INCR per request in a
    window of the rate's length does (``portal.ratelimit``); a view with a
    limit of its own checks both in one round trip (``limit_check`` and
    ``record``, see ``feedback.apis.SubmissionCreateApi``), and, like it,
    lets the request through when the cache (Redis) is unreachable: a
    citizen's submission must not fail because a counter is.
    """

    scope: str
    _retry_after: int = 0
    # Whether each request counts; a throttle of failures only looks, and its view counts failures.
    counts_every_request = True

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return _checked_rate(self.scope, rates.get(self.scope))

    def get_ident(self, request) -> str:
        """The client's address; ``X-Forwarded-For`` only from ``TRUSTED_PROXIES`` (DRF's own trusts anyone)."""
        return client_address(request) or ""

    def limit_check(self, request, view) -> LimitCheck | None:
        """This throttle's limit for ``request`` (None: it does not apply), to check alone or with others."""
        self.rate = self.get_rate()
        if self.rate is None:
            return None
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        return LimitCheck(
            scope=f"drf-{self.scope}",
            key=key,
            limit=self.num_requests,
            window=self.duration,
            count=self.counts_every_request,
        )

    def record(self, result: RateLimitResult) -> bool:
        """Take the answer of this throttle's check (made alone or together with others)."""
        self._retry_after = result.retry_after
        return result.allowed

    def allow_request(self, request, view) -> bool:
        check = self.limit_check(request, view)
        if check is None:
            return True
        return self.record(rate_limits_check([check])[0])

    def wait(self) -> float | None:
        return self._retry_after or None


class ApiAnonRateThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous callers, per client address."""


class ApiUserRateThrottle(_SettingsRate, UserRateThrottle):
    """Authenticated users and systems (token auth), per user; anonymous callers are the anon scope's."""

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class LoginRateThrottle(_SettingsRate, AnonRateThrottle):
    """Failed sign-ins for API tokens, per client address: successful ones cost nothing."""

    scope = "login"
    counts_every_request = False

    @classmethod
    def count_failure(cls, request, view) -> None:
        throttle = cls()
        throttle.rate = throttle.get_rate()
        if throttle.rate is None:
            return
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
        key = throttle.get_cache_key(request, view)
        if key is not None:
            rate_limit_check(scope=f"drf-{cls.scope}", key=key, limit=throttle.num_requests, window=throttle.duration)
