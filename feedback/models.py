"""What citizens send and everything that happens to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    APPEAL = "appeal", _("Request for help")
    SUGGESTION = "suggestion", _("Suggestion")
    CONSULTATION = "consultation", _("Question")
    REPORT = "report", _("Report")
    PRAISE = "praise", _("Praise")


class Channel(models.TextChoices):
    """How a case reached the portal."""

    WEB = "web", _("Web form")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    PHONE = "phone", _("Telephone hotline")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    TRIAGE = "triage", _("Awaiting dispatch")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting for citizen")
    RETURNED = "returned", _("Returned")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


class CloseReason(models.TextChoices):
    RATED = "rated", _("Rated by the citizen")
    NOT_RATED = "not_rated", _("Not rated in time")
    INVALID = "invalid", _("Invalid")
    DUPLICATE = "duplicate", _("Duplicate")
    SPAM = "spam", _("Spam")
    WITHDRAWN = "withdrawn", _("Withdrawn by the citizen")


class Submission(models.Model):
    """A citizen's submission and the case it causes (诉求 / 工单)."""

    tracking_number = models.CharField(_("tracking number"), max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        "city.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    district = models.ForeignKey(
        "city.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    may_publish = models.BooleanField(_("may be published"), default=False)
    language = models.CharField(max_length=10, default="zh-hans")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    close_reason = models.CharField(_("close reason"), max_length=20, choices=CloseReason.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, default="normal")
    lead_department = models.ForeignKey(
        "city.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("lead department"),
        db_index=False,  # ``submission_lead_status`` starts with it
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    return_count = models.PositiveIntegerField(_("times returned"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # Working time (seconds) the case spent waiting for the citizen's material, and
    # from submission to the latest reply less that wait: the handling time the KPIs
    # report. Written by ``deadlines.services`` on "provide_material" and "reply".
    waiting_seconds = models.PositiveIntegerField(_("working time waiting for the citizen"), default=0, db_default=0)
    handling_seconds = models.PositiveIntegerField(_("handling time (working seconds)"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="submission_status_created"),
            models.Index(fields=["lead_department", "status"], name="submission_lead_status"),
            # The sweep for submissions a lost message left unrouted.
            models.Index(fields=["created_at"], name="submission_unrouted", condition=Q(status="submitted")),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    NOTE = "note", _("Internal note")
    CONTACT_VIEWED = "contact_viewed", _("Contact details viewed")
    ESCALATION = "escalation", _("Escalation")
    ROUTING = "routing", _("Routing decision")
    OPINION = "opinion", _("Co-handling opinion")
    EXTENSION = "extension", _("Extension")
    DELIVERY = "delivery", _("Email delivery")
    URGE = "urge", _("Urged by the citizen")


class CaseEvent(models.Model):
    """Append-only history of a case: who, when, from which state to which, why."""

    # No index of its own: ``event_submission_created`` starts with it.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.TRANSITION)
    action = models.CharField(_("action"), max_length=40)
    # Indexed only where set (``event_actor``): the system's and citizens' events have no actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    actor_label = models.CharField(max_length=60, blank=True, help_text="'citizen', 'system' or a user name")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False, help_text="Shown to the citizen on the tracking page.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["submission", "created_at"], name="event_submission_created"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Case events are append-only.")
        super().save(*args, **kwargs)


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by_citizen = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set for files a department attached to its reply; the citizen sees them with the reply.
    reply = models.ForeignKey(
        "feedback.Reply", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class MaterialRequest(models.Model):
    """Staff ask the citizen for more; the reply clock pauses until they answer."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="material_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]


class Disposition(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    EXPLAINED = "explained", _("Explained / clarified")
    ADOPTED = "adopted", _("Suggestion adopted")
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved")
    REFERRED = "referred", _("Referred to another legal channel")


class Reply(models.Model):
    """The department's answer to the citizen (答复)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="replies")
    department = models.ForeignKey("city.Department", on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Rating(models.Model):
    """The citizen's follow-up (回访) on a reply."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="ratings")
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="rating")
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    is_resolved = models.BooleanField(_("problem resolved"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by_dispatcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Notification(models.Model):
    """One message to one recipient about one event; the unique key makes sending once."""

    # No database constraint: case events are partitioned by month, and PostgreSQL cannot point a foreign key
    # at a partitioned table (docs/scaling.md). Rows are only ever appended with their event, so it stays true.
    # No index of its own either: ``notification_once`` starts with it.
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="notifications", db_constraint=False, db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient_email = models.EmailField(blank=True)
    # E.164, for ``channel="sms"`` (the citizen's number at intake).
    recipient_phone = models.CharField(max_length=20, blank=True, default="", db_default="")
    channel = models.CharField(max_length=10, default="email")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The event's time (set by whoever builds the row): the month partition, and part of ``notification_once``.
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # NULLS NOT DISTINCT: a citizen's e-mail has no recipient user, and must still be recorded once.
            models.UniqueConstraint(
                # created_at is the event's, so this is still once per event, channel and recipient; the
                # partitioned table needs its partition key in every unique constraint.
                fields=["event", "channel", "recipient", "recipient_email", "recipient_phone", "created_at"],
                name="notification_once",
                nulls_distinct=False,
            )
        ]


class AccessCode(models.Model):
    """A one-time code for "my cases": sent to a phone or e-mail address, typed back once.

    Neither the contact nor the code is kept in clear: ``contact_hash`` and
    ``code_hash`` are keyed hashes (``feedback.access_codes``). A row is made
    for every request, known contact or not, so the answer never tells which.
    """

    contact_hash = models.CharField(max_length=64)  # looked up by ``access_code_contact_created``
    # The code is derived from the nonce and the server's key when it is sent, so no task message carries it.
    nonce = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True, help_text="Sent, or found to have no cases to send for.")
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contact_hash", "created_at"], name="access_code_contact_created")]
