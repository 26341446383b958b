from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, TOTPDevice, User


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


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators can remove a lost authenticator; the secret is never shown."""

    list_display = ["user", "confirmed_at"]
    fields = ["user", "confirmed_at"]
    readonly_fields = ["user", "confirmed_at"]

    def has_add_permission(self, request):
        return False
