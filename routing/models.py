"""Departments, categories, districts, assignments and deadlines."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A row with a Chinese and an English name; ``name`` follows the request language."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def __str__(self) -> str:
        return self.name


class District(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Department(BilingualName):
    """An office that acts offline. Departments form a tree."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    is_active = models.BooleanField(_("active"), default=True)
    duties = models.TextField(
        _("duty catalogue"), blank=True, help_text=_("What this office is responsible for (派单目录), one per line.")
    )
    works_by_email = models.BooleanField(
        _("works by email"), default=False, help_text=_("The office has no accounts and receives cases by email.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Category(BilingualName):
    """A node of the category tree (事项分类)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    default_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default department"),
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=400, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Complex")


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
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assignments")
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


class Step(models.TextChoices):
    SIGN_FOR = "sign_for", _("Sign for")
    REPLY = "reply", _("Reply")
    RATING = "rating", _("Rating")


class DurationUnit(models.TextChoices):
    HOURS = "hours", _("hours (clock time)")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days (calendar)")


class DeadlinePolicy(models.Model):
    """How long each step may take (办理时限), by category and priority.

    A policy without a category applies to every category that has none of its
    own (the nearest ancestor's policy wins).
    """

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_policies",
        verbose_name=_("category"),
        help_text=_("Empty: the default for every category."),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    sign_for_amount = models.PositiveIntegerField(_("time to sign for"))
    sign_for_unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit.choices)
    reply_amount = models.PositiveIntegerField(_("time to reply"))
    reply_unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit.choices)
    rating_days = models.PositiveIntegerField(_("rating window (days)"), default=7)
    warn_percent = models.PositiveSmallIntegerField(
        _("warning at this percentage of the time"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    warn_hours_before = models.PositiveIntegerField(
        _("warning hours before the deadline"),
        null=True,
        blank=True,
        help_text=_("When set, replaces the percentage."),
    )
    escalation_period_hours = models.PositiveIntegerField(
        _("hours between escalation levels"), default=24, validators=[MinValueValidator(1)]
    )
    escalation_levels = models.PositiveSmallIntegerField(
        _("escalation levels after the deadline"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("1 reminder, 2 department head, 3 supervision order, 4 public criticism."),
    )
    supervision_instructions = models.TextField(
        _("supervision order instructions"),
        blank=True,
        default="",
        help_text=_("Recorded on the case when a formal supervision order is issued."),
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["category__code", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="policy_category_priority"),
            models.UniqueConstraint(
                fields=["priority"], condition=Q(category__isnull=True), name="policy_default_priority"
            ),
        ]

    def __str__(self) -> str:
        where = self.category.code if self.category_id else "*"
        return f"{where} / {self.priority}"


class CalendarSource(models.TextChoices):
    OFFICIAL = "official", _("Official calendar (chinese-calendar)")
    ADMINISTRATOR = "administrator", _("Entered by an administrator")


class CalendarDay(models.Model):
    """One exceptional date: a holiday, or a weekend day that is a working day (调休).

    A year with at least one row counts as published; any other year is
    computed from weekends and fixed-date holidays and marked provisional.
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"), help_text=_("Ticked: a working weekend day. Else a holiday."))
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.ADMINISTRATOR
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working else 'holiday'} {self.name}"


class Deadline(models.Model):
    """When one step of a case is due. The database, not a Celery ETA, holds it.

    ``due_at`` is an instant (UTC). While the clock is paused ``paused_at`` is
    set, and on resume ``due_at`` moves by the time that passed. The escalation
    sweep reads ``next_check_at`` (when the next ladder level ``next_level``
    falls due) under a partial index on open, running deadlines.
    """

    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(DeadlinePolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    in_working_time = models.BooleanField(_("counted in working time"), default=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    is_open = models.BooleanField(default=True)
    is_provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Computed without an official holiday calendar.")
    )
    trace = models.TextField(_("how it was computed"), blank=True)
    # The escalation ladder: level 0 is the warning, 1.. the levels after the deadline.
    next_level = models.PositiveSmallIntegerField(_("next escalation level"), default=0)
    next_check_at = models.DateTimeField(_("next escalation at"), null=True, blank=True)
    escalation_period = models.DurationField(_("time between escalation levels"), null=True, blank=True)
    max_level = models.PositiveSmallIntegerField(_("highest escalation level"), default=4)
    extended_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("extends")
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=Q(is_open=True)),
            models.Index(fields=["submission", "step"], name="deadline_submission_step"),
            # The escalation sweep: only open, running deadlines with a ladder step ahead.
            models.Index(
                fields=["next_check_at", "id"],
                name="deadline_open_next_check",
                condition=Q(is_open=True, paused_at__isnull=True, next_check_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "step"], condition=Q(is_open=True), name="deadline_one_open_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.step} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.paused_at is None and self.due_at < timezone.now()


# Routing rules and decisions live in their own module.
from routing.rule_models import DecisionSource, RoutingDecision, RoutingRule  # noqa: E402,F401


class EscalationLevel(models.IntegerChoices):
    WARNING = 0, _("Warning (临期预警)")
    REMINDER = 1, _("Reminder to the department (催办)")
    HEAD = 2, _("Department head told")
    SUPERVISION = 3, _("Formal supervision order (督办)")
    CRITICISM = 4, _("Public criticism (通报)")


class Escalation(models.Model):
    """One level of the ladder reached by one deadline: recorded once, whoever runs the sweep."""

    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="escalations")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("due at"))
    instructions = models.TextField(_("instructions"), blank=True)
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["level", "created_at"], name="escalation_level_created")]
        constraints = [
            models.UniqueConstraint(fields=["submission", "step", "deadline", "level"], name="escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.step} L{self.level}"


class TaskFailure(models.Model):
    """A background task that failed for good: visible to supervisors, never retried in a loop."""

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(max_length=64, blank=True)
    arguments = models.TextField(_("arguments"), blank=True)
    error = models.TextField(_("error"))
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.failed_at:%Y-%m-%d %H:%M}"


class ReturnReason(BilingualName):
    """Why a department may send a case back (退单理由), kept by the administrator."""

    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualName.Meta):
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
        ordering = ["sort_order", "id"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title
