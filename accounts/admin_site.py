"""The admin site: the same second factor as the staff sign-in.

django-otp's ``OTPAdminSite`` admits only users verified by a device, which
would shut out every administrator who has no authenticator; here the code
is required exactly of users who have one (``accounts.services``), both at
the admin's login form and on every admin page.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts import services
from accounts.services import Verdict


class SecondFactorAdminAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=10,
        help_text=_("Only if your account uses an authenticator."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not services.second_factor_required(user):
            return cleaned
        code = cleaned.get("otp_token") or ""
        if not code:
            raise forms.ValidationError(_("This account uses an authenticator: enter its current code."))
        verdict, device = services.second_factor_verify(user=user, code=code)
        if verdict is Verdict.LOCKED:
            raise forms.ValidationError(
                _("Too many wrong codes: sign-in with this account is locked for a while. Please try again later.")
            )
        if verdict is not Verdict.VERIFIED:
            raise forms.ValidationError(_("The code is wrong or has expired."))
        user.otp_device = device  # django-otp keeps it on the session at login
        return cleaned


class SecondFactorAdminSite(OTPAdminSite):
    login_form = SecondFactorAdminAuthenticationForm
    login_template = "accounts/admin_login.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request) -> bool:
        if not AdminSite.has_permission(self, request):
            return False
        user = request.user
        return user.is_verified() or not services.second_factor_required(user)
