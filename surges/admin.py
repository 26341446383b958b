from django.contrib import admin

from surges.models import Incident, SubmissionIncident, SurgeAlert


@admin.register(SurgeAlert)
class SurgeAlertAdmin(admin.ModelAdmin):
    list_display = ["id", "headline", "status", "district", "report_count", "raised_at", "latest_at"]
    list_filter = ["status", "district"]
    readonly_fields = ["key", "report_count", "first_at", "latest_at", "raised_at", "topic_words", "places", "incident"]


class SubmissionIncidentInline(admin.TabularInline):
    model = SubmissionIncident
    extra = 0
    raw_id_fields = ["submission"]
    readonly_fields = ["linked_by", "linked_at", "score"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "lead_department", "created_at"]
    inlines = [SubmissionIncidentInline]
