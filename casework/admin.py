"""Admin for casework: return reasons kept by the administrator; returns, extensions and deliveries read-only."""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

from casework.models import Assignment, EmailDelivery, ExtensionRequest, ReplyTemplate, ReturnReason, ReturnRecord


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "is_active", "sort_order"]
    list_filter = ["is_active", "category"]
    search_fields = ["title", "text"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A plain select: the related-object icons carry inline styles the site's CSP (style-src 'self') blocks.

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


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "department", "role", "status", "assigned_at", "signed_for_at"]
    list_filter = ["role", "status", "department"]
    raw_id_fields = ["submission"]
