from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import mark_unverified_sign_in

        user_logged_in.connect(mark_unverified_sign_in, dispatch_uid="accounts.mark_unverified_sign_in")
        # django-otp ships no Chinese names; the admin shows its devices in the portal's words.
        from django.apps import apps
        from django_otp.plugins.otp_totp.models import TOTPDevice

        apps.get_app_config("otp_totp").verbose_name = _("Second factor")
        TOTPDevice._meta.verbose_name = _("authenticator")
        TOTPDevice._meta.verbose_name_plural = _("authenticators")


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with a site that asks for the second factor (``accounts.admin_site``)."""

    default = False
    default_site = "accounts.admin_site.SecondFactorAdminSite"
