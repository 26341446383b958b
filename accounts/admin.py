from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # noqa: F401 - registered first, replaced below
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User

# The admin speaks the site's name; the sign-in protection app gets a name in our languages.
admin.site.site_header = _("Minsheng administration")
admin.site.site_title = _("Minsheng administration")
admin.site.index_title = _("Configuration")
if apps.is_installed("axes"):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    # django-axes ships no Chinese; its records are named in the portal's words.
    apps.get_app_config("axes").verbose_name = _("Sign-in protection")
    for _model, _one, _many in (
        (AccessAttempt, _("failed sign-in record"), _("failed sign-in records")),
        (AccessFailureLog, _("sign-in failure"), _("sign-in failures")),
        (AccessLog, _("sign-in log entry"), _("sign-in log")),
    ):
        _model._meta.verbose_name, _model._meta.verbose_name_plural = _one, _many


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "is_active"]
    list_filter = ["role", "is_active", "memberships__department"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Role"), {"fields": ["role", "phone"]}))
    inlines = [MembershipInline]


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators can remove a lost authenticator or lift its lockout; the key is never shown."""

    list_display = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    fields = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    actions = ["lift_lockout"]

    @admin.action(description=_("Lift the lockout after wrong codes"))
    def lift_lockout(self, request, queryset):
        for device in queryset:
            device.throttle_reset()

    def has_add_permission(self, request):
        return False
