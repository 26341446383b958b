from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from accounts import services
from accounts.services import Verdict

PENDING = "pending_2fa"
# A password checked but no code given yet stays valid this long.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def locked_message() -> str:
    return _("Too many wrong codes: sign-in with this account is locked for a while. Please try again later.")


class StaffLoginView(LoginView):
    """Password first; users with an authenticator then give a one-time code."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not services.second_factor_required(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user_id": user.pk,
            "backend": user.backend,
            "next": self.get_redirect_url(),
            "since": time.time(),
        }
        return redirect("accounts:login_verify")


def _pending(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING)
    if pending and time.time() - pending.get("since", 0) > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return pending


@never_cache
@sensitive_post_parameters("code")
def login_verify(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if not pending:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
        verdict, device = (
            services.second_factor_verify(user=user, code=form.cleaned_data["code"]) if user else (Verdict.WRONG, None)
        )
        if verdict is Verdict.VERIFIED:
            del request.session[PENDING]
            user.otp_device = device  # django-otp keeps it on the session at login
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or ""
            if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        if verdict is Verdict.LOCKED:
            del request.session[PENDING]
            messages.error(request, locked_message())
            return redirect("accounts:login")
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "accounts/login_verify.html", {"form": form})


@login_required
@never_cache
@sensitive_post_parameters("code")
def security(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator on or off for the signed-in user."""
    user = request.user
    form = CodeForm(request.POST or None)
    enabled = services.second_factor_required(user)
    if request.method == "POST" and request.POST.get("action") == "disable":
        if enabled and form.is_valid():
            verdict, _device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
            if verdict is Verdict.VERIFIED:
                services.totp_disable(user=user)
                messages.success(request, _("The authenticator is turned off."))
                return redirect("accounts:security")
            if verdict is Verdict.LOCKED:
                form.add_error("code", locked_message())
        if not form.errors:
            form.add_error("code", _("The code is wrong or has expired."))
    elif request.method == "POST" and not enabled and form.is_valid():
        device = services.totp_confirm(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)  # this session gave the code: it stays signed in
            messages.success(request, _("The authenticator is on. Sign-in now asks for a code."))
            return redirect("accounts:security")
        form.add_error("code", _("The code is wrong or has expired."))
    device = None if enabled else services.totp_enrol_start(user=user)
    context = {
        "form": form,
        "enabled": enabled,
        "secret": services.totp_secret_base32(device) if device else "",
        "uri": device.config_url if device else "",
    }
    return render(request, "accounts/security.html", context)
