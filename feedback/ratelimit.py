"""The citizens' limits, on the portal's limiter (``portal.ratelimit``).

- Submissions: only accepted ones count, per client address; a form with
  errors costs nothing.
- Tracking-secret guesses: only failures count, per tracking number *and*
  address, so one caller's wrong guesses on one case do not lock out
  another citizen behind the same address (a school, an office, a carrier's
  NAT). A looser limit per address alone (``TRACK_ADDRESS_RATE_PER_HOUR``,
  by default ten times the per-number one) stops a sweep over many numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from portal.ratelimit import (
    LimitCheck,
    RateLimitResult,
    client_key,
    hashed_key,
    rate_limit_check,
    rate_limits_check,
)


def submission_limit(request: HttpRequest) -> LimitCheck:
    """The limit of accepted submissions per client address (``SUBMIT_RATE_PER_HOUR``), to count with others."""
    return LimitCheck(scope="submit", key=client_key(request), limit=settings.MINSHENG["SUBMIT_RATE_PER_HOUR"])


def submission_count(request: HttpRequest) -> RateLimitResult:
    """Count one accepted submission from this client; not allowed past ``SUBMIT_RATE_PER_HOUR``."""
    return rate_limits_check([submission_limit(request)])[0]


def _track_limits(request: HttpRequest, tracking_number: str) -> list[tuple[str, str, int]]:
    per_number = settings.MINSHENG["TRACK_RATE_PER_HOUR"]
    per_address = settings.MINSHENG.get("TRACK_ADDRESS_RATE_PER_HOUR") or 10 * per_number
    number = (tracking_number or "").strip().upper()[:32]
    return [
        ("track", hashed_key(client_key(request), number), per_number),
        ("track-address", client_key(request), per_address),
    ]


def tracking_guess_allowed(request: HttpRequest, tracking_number: str) -> RateLimitResult:
    """May this client try a secret for ``tracking_number`` now? Counts nothing."""
    for scope, key, limit in _track_limits(request, tracking_number):
        result = rate_limit_check(scope=scope, key=key, limit=limit, count=False)
        if not result.allowed:
            return result
    return RateLimitResult(allowed=True)


def tracking_guess_failed(request: HttpRequest, tracking_number: str) -> None:
    """Count a wrong secret (or unknown number) against this client and number."""
    for scope, key, limit in _track_limits(request, tracking_number):
        rate_limit_check(scope=scope, key=key, limit=limit)
