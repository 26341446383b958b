"""Consultations (问计于民): an office asks a question, citizens suggest and support, the office answers.

A consultation is open for suggestions between ``opens_at`` and
``closes_at``; once closed, the answering office must answer every group of
suggestions before ``answer_due_at`` (computed by the working calendar from a
deadline policy), or the escalation ladder climbs, one recorded level at a
time. Adopted answers get public progress updates until done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open for suggestions")
    CLOSED = "closed", _("Closed, being answered")
    ANSWERED = "answered", pgettext_lazy("consultation", "Answered")


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=120)
    question = models.TextField(_("question"), max_length=2000)
    background = models.TextField(_("background"), blank=True, max_length=10000)
    department = models.ForeignKey(
        "city.Department", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("answering office")
    )
    districts = models.ManyToManyField("city.District", blank=True, related_name="+", verbose_name=_("districts"))
    categories = models.ManyToManyField("city.Category", blank=True, related_name="+", verbose_name=_("topics"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    deadline_policy = models.ForeignKey(
        "deadlines.DeadlinePolicy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deadline policy"),
        help_text=_("Empty: the default policy for complex matters."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(pgettext_lazy("consultation", "closed at"), null=True, blank=True)
    # The answer deadline and its escalation ladder (level 0 warning, 1.. after the deadline).
    answer_due_at = models.DateTimeField(_("answers due at"), null=True, blank=True)
    answer_warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    answer_trace = models.TextField(_("how the deadline was computed"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    next_level = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)
    escalation_period = models.DurationField(null=True, blank=True)
    max_level = models.PositiveSmallIntegerField(default=4)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        indexes = [
            models.Index(fields=["status", "closes_at"], name="consultation_status_closes"),
            models.Index(
                fields=["next_check_at"], name="consultation_next_check", condition=Q(next_check_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == ConsultationStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.answer_due_at is None:
            return None
        return self.answered_at <= self.answer_due_at


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="consultations/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class SuggestionStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by moderation")


class ModerationReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or insulting")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Personal data of others")


class SuggestionGroup(models.Model):
    """Similar suggestions answered together. Proposed by text similarity; the office confirms."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    label = models.CharField(_("theme"), max_length=120)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group of suggestions")
        verbose_name_plural = _("groups of suggestions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class Suggestion(models.Model):
    # No index of its own: a unique or composite index starts with it.
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="suggestions", db_index=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("suggestion"), max_length=5000)
    # What the public sees: masked once, when the suggestion is sent (never the raw text).
    public_title = models.CharField(max_length=120)
    public_text = models.TextField()
    author_name = models.CharField(_("name"), max_length=60, blank=True)
    author_email = models.EmailField(_("email"), blank=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(max_length=10, default="zh-hans")
    client_hash = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.PUBLISHED)
    moderation_reason = models.CharField(
        _("moderation reason"), max_length=20, choices=ModerationReason.choices, blank=True
    )
    moderation_note = models.TextField(_("note to the author"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    group = models.ForeignKey(
        SuggestionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = pgettext_lazy("consultation", "suggestions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["consultation", "status"], name="suggestion_consultation_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.public_title}"


class Support(models.Model):
    """One verified person backing one suggestion.

    ``identity_hash`` is an HMAC of the verified address keyed by the
    consultation, so the same person cannot support twice, and supports in
    two consultations cannot be linked to each other.
    """

    # No index of its own: a unique or composite index starts with it.
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="supports", db_index=False)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports")
    identity_hash = models.CharField(max_length=64)
    email = models.EmailField(help_text=_("Private: for progress notices only."))
    client_hash = models.CharField(max_length=32, blank=True)
    flags = models.CharField(_("anomaly flags"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "suggestion", "identity_hash"], name="support_one_per_person"
            )
        ]
        indexes = [models.Index(fields=["consultation", "client_hash", "created_at"], name="support_client_time")]


class SupportVerification(models.Model):
    """A support waiting for its e-mail code. The code is stored hashed and expires."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly_adopted", _("Partly adopted")
    NOTED = "noted", _("Noted for reference")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


ADOPTING_OUTCOMES = (Outcome.ADOPTED, Outcome.PARTLY)


class Progress(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Answer(models.Model):
    """The office's answer to one confirmed group of suggestions."""

    group = models.OneToOneField(SuggestionGroup, on_delete=models.CASCADE, related_name="answer")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey("city.Department", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reasons"), max_length=5000)
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["answered_at", "id"]


class ProgressUpdate(models.Model):
    """A public step of an adopted idea on its way to done (append-only)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="updates")
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices)
    text = models.TextField(_("update"), max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")


class ConsultationEvent(models.Model):
    """Append-only record: who did what to a consultation, a suggestion or an answer, and why."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    suggestion = models.ForeignKey(Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=60, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["action", "created_at"], name="cevent_action_created")]

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class ConsultationEscalation(models.Model):
    """One level of the ladder reached by an unanswered consultation: recorded once."""

    # No index of its own: a unique or composite index starts with it.
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="escalations", db_index=False)
    level = models.PositiveSmallIntegerField(_("level"))
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation escalation")
        verbose_name_plural = _("consultation escalations")
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "due_at", "level"], name="consultation_escalation_once")
        ]


class Notice(models.Model):
    """One e-mail about one event to one address; the unique key sends it once."""

    # No index of its own: a unique or composite index starts with it.
    event = models.ForeignKey(ConsultationEvent, on_delete=models.CASCADE, related_name="notices", db_index=False)
    recipient_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("consultation notice")
        verbose_name_plural = _("consultation notices")
        constraints = [models.UniqueConstraint(fields=["event", "recipient_email"], name="consultation_notice_once")]
        indexes = [models.Index(fields=["created_at"], name="notice_unsent", condition=Q(sent_at__isnull=True))]


ACTION_LABELS = {
    "open": _("Opened"),
    "close": _("Closed for suggestions"),
    "complete": _("All suggestions answered"),
    "suggest": _("Suggestion received"),
    "hide": _("Suggestion hidden"),
    "restore": _("Suggestion published again"),
    "support": _("Support counted"),
    "void_support": _("Support voided"),
    "confirm_groups": _("Grouping confirmed"),
    "answer": _("Answered"),
    "progress": _("Progress update"),
    "escalate_warning": _("Deadline warning (临期预警)"),
    "escalate_reminder": _("Overdue: reminder to the office"),
    "escalate_head": _("Overdue: department head told"),
    "escalate_supervision": _("Formal supervision order (督办)"),
    "escalate_criticism": _("Public criticism (通报)"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
