"""Admin for casework: return reasons kept by the administrator; returns, extensions and deliveries read-only."""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from routing.models import EmailDelivery, ExtensionRequest, ReplyTemplate, ReturnReason, ReturnRecord

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


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active", "sort_order"]
    list_filter = ["is_active", "category"]
    search_fields = ["title", "text"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A plain select: the related-object icons carry inline styles the site's CSP (style-src 'self') blocks.
        from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget
        return field


@admin.register(ReturnReason)
class ReturnReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(ReturnRecord)
class ReturnRecordAdmin(admin.ModelAdmin):
    """Read-only: returns are made and decided through the casework services."""

    list_display = ["submission", "department", "reason", "decision", "requested_at", "redispatched_to"]
    list_filter = ["decision", "department", "reason"]
    raw_id_fields = ["submission", "assignment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["submission", "department", "requested_due_at", "decision", "requested_at"]
    list_filter = ["decision", "department"]
    raw_id_fields = ["submission"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["assignment", "department", "to_email", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "department"]
    raw_id_fields = ["assignment"]
