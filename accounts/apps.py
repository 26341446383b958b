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


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with a site that asks for the second factor (``accounts.admin_site``)."""

    default = False
    default_site = "accounts.admin_site.SecondFactorAdminSite"
