"""The second factor as a property of the session, whatever door the password came through.

Every sign-in sends ``user_logged_in``. If the user has an authenticator and
the sign-in did not verify it (``user.otp_device`` unset), the session is
marked; the middleware below then signs such a session out on its next
request. So a door added later that checks the password alone cannot give a
usable session to a user who has a second factor, and the doors we know
verify the code before they sign in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.services import second_factor_required

UNVERIFIED = "second_factor_missing"


def mark_unverified_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: remember a sign-in that skipped the user's second factor."""

    session = getattr(request, "session", None)
    if session is None:
        return
    if getattr(user, "otp_device", None) is None and second_factor_required(user):
        session[UNVERIFIED] = True
    else:
        session.pop(UNVERIFIED, None)


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: a marked session that is not verified is signed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(UNVERIFIED):
            if request.user.is_authenticated and not request.user.is_verified():
                logout(request)
            else:
                del request.session[UNVERIFIED]
        return self.get_response(request)
