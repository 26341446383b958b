"""Throttles of the REST API, rates from settings (``API_ANON_RATE``, ``API_USER_RATE``).

Kept apart from ``portal.api``: DRF imports these while defining ``APIView``,
so this module must not import DRF's views.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

log = logging.getLogger(__name__)


def _checked_rate(scope: str, rate: str | None) -> str | None:
    if rate is not None and not re.fullmatch(r"\d+/(s|m|h|d|sec|second|min|minute|hour|day)", rate):
        raise ImproperlyConfigured(f"Throttle rate {scope}={rate!r} is not valid: expected e.g. '120/minute'.")
    return rate


class _SettingsRate:
    """Read the rate when asked, so settings overrides apply without a restart."""

    scope: str

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return _checked_rate(self.scope, rates.get(self.scope))

    def allow_request(self, request, view) -> bool:
        # The history lives in the cache (Redis). When it is down, let the request through, like
        # feedback.ratelimit: a citizen's submission must not fail because a counter is unreachable.
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            log.warning("cache unavailable; %s throttle not applied", self.scope)
            return True


class ApiAnonRateThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous callers, per client address."""


class ApiUserRateThrottle(_SettingsRate, UserRateThrottle):
    """Authenticated users and systems (token auth), per user."""


class LoginRateThrottle(_SettingsRate, AnonRateThrottle):
    """Password guesses for API tokens, per client address."""

    scope = "login"
