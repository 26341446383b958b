from django.contrib import admin

from feedback.models import CaseEvent, Submission


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "action", "actor", "actor_label", "from_status", "to_status", "reason"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "title", "kind", "status", "lead_department", "created_at"]
    list_filter = ["status", "kind", "district", "lead_department"]
    search_fields = ["tracking_number", "title"]
    # Status changes only through the workflow: read-only here.
    readonly_fields = ["tracking_number", "status", "close_reason", "version", "lead_department"]
    exclude = ["phone", "email", "name"]
    inlines = [CaseEventInline]
