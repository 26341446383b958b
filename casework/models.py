"""Casework records: assignments (lead and co-handling), returns, extension requests, email deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from city.models import BilingualName, Category, Department
from deadlines.models import Step


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead (主办)")
    CO = "co", _("Co-handling (协办)")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SIGNED_FOR = "signed_for", _("Signed for")
    OPINION_GIVEN = "opinion_given", _("Opinion given")
    RETURNED = "returned", _("Returned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Assignment(models.Model):
    """A case given to one department (派单), as lead or co-handler."""

    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="assignments")
    # No index of its own: ``assignment_dept_status`` starts with it.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assignments", db_index=False)
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_for_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_for_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The named person in the department who works the case (承办人); set by the head, changed by events.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_assignments",
        verbose_name=_("handler"),
    )
    opinion = models.TextField(_("co-handling opinion"), blank=True)
    opinion_at = models.DateTimeField(_("opinion given at"), null=True, blank=True)
    # Co-handlers have their own deadline for their opinion.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        db_table = "routing_assignment"  # the table it had before the app split
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["department", "status"], name="assignment_dept_status")]
        constraints = [
            # At most one live lead assignment per case.
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(role="lead") & Q(status__in=["assigned", "signed_for"]),
                name="assignment_one_live_lead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.department_id} ({self.role})"

    @property
    def is_live(self) -> bool:
        return self.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED_FOR)


class ReturnReason(BilingualName):
    """Why a department may send a case back (退单理由), kept by the administrator."""

    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualName.Meta):
        db_table = "routing_returnreason"  # the table it had before the app split
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # The case left the step the request was for (e.g. it was replied) before anyone decided.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReturnRecord(models.Model):
    """One return (退单) by one department, counted against it, and how it was decided."""

    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="return_records")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="return_records")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="return_records")
    reason = models.ForeignKey(ReturnReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason"))
    text = models.TextField(_("explanation"))
    from_status = models.CharField(max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    redispatched_to = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "routing_returnrecord"  # the table it had before the app split
        ordering = ["requested_at", "id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        # The KPIs and the dashboard count returns by the day they were made.
        indexes = [models.Index(fields=["requested_at"], name="returnrecord_requested")]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"], condition=Q(decision="pending"), name="returnrecord_one_pending_per_case"
            )
        ]


class ExtensionRequest(models.Model):
    """A department asks for more time (延期); the deadline moves only once approved."""

    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="extension_requests")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="extension_requests")
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.REPLY)
    reason = models.TextField(_("reason"))
    current_due_at = models.DateTimeField(_("current due date"))
    requested_due_at = models.DateTimeField(_("requested due date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        db_table = "routing_extensionrequest"  # the table it had before the app split
        ordering = ["requested_at", "id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "step"], condition=Q(decision="pending"), name="extension_one_pending"
            )
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class EmailDelivery(models.Model):
    """An assignment mailed to a department that works by email, with retries."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="email_delivery")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="email_deliveries")
    to_email = models.EmailField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "routing_emaildelivery"  # the table it had before the app split
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        indexes = [models.Index(fields=["next_attempt_at"], name="delivery_pending_due", condition=Q(status="pending"))]


class ReplyTemplate(models.Model):
    """A reply text (答复模板) staff can insert into their reply and edit; kept by the administrator per category."""

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        verbose_name=_("category"),
        help_text=_("Empty: offered for every category. A parent category's templates serve its children too."),
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        db_table = "routing_replytemplate"  # the table it had before the app split
        ordering = ["sort_order", "id"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title
