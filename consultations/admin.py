"""Admin for consultations. Status fields are read-only here: changes go through the services."""

from django.contrib import admin

from consultations.models import (
    Answer,
    Consultation,
    ConsultationAttachment,
    ConsultationEscalation,
    ConsultationEvent,
    Notice,
    ProgressUpdate,
    Suggestion,
    SuggestionGroup,
    Support,
)


class AttachmentInline(admin.TabularInline):
    model = ConsultationAttachment
    extra = 0
    readonly_fields = ["name", "content_type", "size", "uploaded_at"]


class EscalationInline(admin.TabularInline):
    model = ConsultationEscalation
    extra = 0
    can_delete = False
    readonly_fields = ["level", "due_at", "created_at"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "status", "opens_at", "closes_at", "answer_due_at", "answered_at"]
    list_filter = ["status", "department"]
    search_fields = ["title", "question"]
    readonly_fields = [
        "status",
        "closed_at",
        "answer_due_at",
        "answer_warn_at",
        "answer_trace",
        "answered_at",
        "next_level",
        "next_check_at",
        "escalation_period",
        "max_level",
        "created_by",
        "created_at",
    ]
    filter_horizontal = ["districts", "categories"]
    inlines = [AttachmentInline, EscalationInline]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["reference", "public_title", "consultation", "status", "moderation_reason", "group", "created_at"]
    list_filter = ["status", "moderation_reason"]
    search_fields = ["reference", "public_title", "public_text"]
    # The raw text and the author's contacts stay out of the list; the detail shows them read-only.
    readonly_fields = [
        "reference",
        "consultation",
        "title",
        "text",
        "public_title",
        "public_text",
        "author_name",
        "author_email",
        "status",
        "moderation_reason",
        "moderation_note",
        "moderated_by",
        "moderated_at",
        "client_hash",
        "language",
        "created_at",
    ]
    exclude = ["secret_hash"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "flags", "created_at", "voided_at", "void_reason"]
    list_filter = ["voided_at", "flags"]
    readonly_fields = [f.name for f in Support._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SuggestionGroup)
class SuggestionGroupAdmin(admin.ModelAdmin):
    list_display = ["label", "consultation", "confirmed_at"]
    readonly_fields = ["consultation", "confirmed_at", "confirmed_by", "created_at"]


class ProgressInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    readonly_fields = ["progress", "text", "created_by", "created_at"]
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["group", "consultation", "outcome", "progress", "answered_at", "done_at"]
    list_filter = ["outcome", "progress"]
    readonly_fields = [f.name for f in Answer._meta.fields if f.name != "id"]
    inlines = [ProgressInline]


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(admin.ModelAdmin):
    list_display = ["consultation", "action", "actor_label", "from_status", "to_status", "created_at"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in ConsultationEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts"]
    readonly_fields = [f.name for f in Notice._meta.fields]
