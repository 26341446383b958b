"""Deadlines: policies, deadline rows, the escalation ladder, and background tasks that failed for good."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from city.models import Category, Department, Priority


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
        db_index=False,  # ``policy_category_priority`` starts with it
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
        db_table = "routing_deadlinepolicy"  # the table it had before the app split
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


class Deadline(models.Model):
    """When one step of a case is due. The database, not a Celery ETA, holds it.

    ``due_at`` is an instant (UTC). While the clock is paused ``paused_at`` is
    set, and on resume ``due_at`` moves by the time that passed. The escalation
    sweep reads ``next_check_at`` (when the next ladder level ``next_level``
    falls due) under a partial index on open, running deadlines.
    """

    # No index of its own: ``deadline_submission_step`` starts with it (one index less for the sweep to update).
    submission = models.ForeignKey(
        "feedback.Submission", on_delete=models.CASCADE, related_name="deadlines", db_index=False
    )
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
    # Indexed only where set (``deadline_extended_from``): most deadlines extend nothing.
    extended_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("extends"),
        db_index=False,
    )

    class Meta:
        db_table = "routing_deadline"  # the table it had before the app split
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            # Lists and counts by due time read ``oversight_deadline_open_cover`` (open and running): every one of
            # them leaves paused deadlines out.
            models.Index(fields=["submission", "step"], name="deadline_submission_step"),
            # The escalation sweep: only open, running deadlines with a ladder step ahead.
            models.Index(
                fields=["next_check_at", "id"],
                name="deadline_open_next_check",
                condition=Q(is_open=True, paused_at__isnull=True, next_check_at__isnull=False),
            ),
            models.Index(
                fields=["extended_from"], name="deadline_extended_from", condition=Q(extended_from__isnull=False)
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


class EscalationLevel(models.IntegerChoices):
    WARNING = 0, _("Warning (临期预警)")
    REMINDER = 1, _("Reminder to the department (催办)")
    HEAD = 2, _("Department head told")
    SUPERVISION = 3, _("Formal supervision order (督办)")
    CRITICISM = 4, _("Public criticism (通报)")


class Escalation(models.Model):
    """One level of the ladder reached by one deadline: recorded once, whoever runs the sweep."""

    # The case and the department are the deadline's, copied from its row (locked while the sweep copies them), so
    # the deadline's own keys hold them: no second foreign-key check per escalation, and the case's lookups use
    # ``escalation_once``, which starts with it. Deleting through the ORM still cascades and protects.
    submission = models.ForeignKey(
        "feedback.Submission", on_delete=models.CASCADE, related_name="escalations", db_index=False, db_constraint=False
    )
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    due_at = models.DateTimeField(_("due at"))
    instructions = models.TextField(_("instructions"), blank=True)
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    class Meta:
        db_table = "routing_escalation"  # the table it had before the app split
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
        db_table = "routing_taskfailure"  # the table it had before the app split
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.failed_at:%Y-%m-%d %H:%M}"
