from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from open311.models import ApiKey, ServiceDefinition, ServiceRequest
from open311.services import api_key_create


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Create a key by name: it is shown once, in the message after saving. Untick 'active' to revoke."""

    list_display = ["name", "key_prefix", "is_active", "rate_limit_per_minute", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created, raw_key = api_key_create(name=obj.name, rate_limit_per_minute=obj.rate_limit_per_minute)
        obj.pk, obj.key_prefix, obj.key_hash = created.pk, created.key_prefix, created.key_hash
        obj.is_active = created.is_active
        shown_once = _("The key for %(name)s (shown only now): %(key)s") % {"name": obj.name, "key": raw_key}
        messages.warning(request, shown_once)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        queryset.update(is_active=False)


@admin.register(ServiceDefinition)
class ServiceDefinitionAdmin(admin.ModelAdmin):
    list_display = ["category"]
    raw_id_fields = ["category"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["submission", "api_key", "created_at"]
    readonly_fields = ["submission", "api_key", "token", "attributes", "media_url", "created_at"]
