"""Admin for deadlines: policies kept by the administrator; deadlines, escalations and task failures read."""

from django.contrib import admin

from deadlines.models import Deadline, DeadlinePolicy, Escalation, TaskFailure


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["submission", "step", "department", "due_at", "is_open", "is_provisional"]
    list_filter = ["step", "is_open", "is_provisional"]
    raw_id_fields = ["submission"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "sign_for_amount",
        "sign_for_unit",
        "reply_amount",
        "reply_unit",
        "rating_days",
        "warn_percent",
        "escalation_period_hours",
        "escalation_levels",
    ]
    list_filter = ["priority"]
    autocomplete_fields = ["category"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["submission", "step", "level", "department", "due_at", "created_at"]
    list_filter = ["level", "step", "department"]
    raw_id_fields = ["submission", "deadline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    list_display = ["task_name", "failed_at", "resolved_at"]
    list_filter = ["task_name"]
    readonly_fields = ["task_name", "task_id", "arguments", "error", "failed_at"]
