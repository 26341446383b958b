from __future__ import annotations

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

from accounts import services, totp

PENDING = "pending_2fa"
MAX_CODE_ATTEMPTS = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class StaffLoginView(LoginView):
    """Password first; users with an authenticator then give a one-time code."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not services.totp_required(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user_id": user.pk,
            "backend": user.backend,
            "next": self.get_redirect_url(),
            "attempts": 0,
        }
        return redirect("accounts:login_verify")


@never_cache
@sensitive_post_parameters("code")
def login_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
        if user is not None and services.totp_verify(user=user, code=form.cleaned_data["code"]):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            target = pending.get("next") or ""
            if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        pending["attempts"] += 1
        if pending["attempts"] >= MAX_CODE_ATTEMPTS:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes. Please sign in again."))
            return redirect("accounts:login")
        request.session[PENDING] = pending
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "accounts/login_verify.html", {"form": form})


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator on or off for the signed-in user."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "disable":
        if (
            services.totp_required(user)
            and form.is_valid()
            and services.totp_verify(user=user, code=form.cleaned_data["code"])
        ):
            services.totp_disable(user=user)
            messages.success(request, _("The authenticator is turned off."))
            return redirect("accounts:security")
        form.add_error("code", _("The code is wrong or has expired."))
    elif request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"], confirming=True):
            messages.success(request, _("The authenticator is on. Sign-in now asks for a code."))
            return redirect("accounts:security")
        form.add_error("code", _("The code is wrong or has expired."))
    enabled = services.totp_required(user)
    device = None if enabled else services.totp_enrol_start(user=user)
    context = {
        "form": form,
        "enabled": enabled,
        "secret": device.secret if device else "",
        "uri": totp.provisioning_uri(device.secret, account=user.username) if device else "",
    }
    return render(request, "accounts/security.html", context)
