"""Summary rows kept current by the workers, so KPI pages never scan a year of cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentDay(models.Model):
    """What happened in one department on one local calendar day.

    Each column counts facts dated on ``day`` (the day the deadline was met or
    missed, the rating was given, the case was assigned...). Rows for past days
    are recomputed by ``oversight.tasks.refresh_rollup``; today is always read
    live. Columns are the numerators and denominators of ``oversight.kpis``.
    """

    # No index of its own: a unique or composite index starts with it.
    department = models.ForeignKey("city.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField(_("day"))
    received = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    extensions = models.PositiveIntegerField(default=0)
    signfor_done = models.PositiveIntegerField(default=0)
    signfor_in_time = models.PositiveIntegerField(default=0)
    reply_done = models.PositiveIntegerField(default=0)
    reply_in_time = models.PositiveIntegerField(default=0)
    reply_closed_late = models.PositiveIntegerField(default=0)
    reply_last_tenth = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    answered_directly = models.PositiveIntegerField(default=0, db_default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department day")
        verbose_name_plural = _("department days")
        constraints = [models.UniqueConstraint(fields=["department", "day"], name="department_day_unique")]
        indexes = [models.Index(fields=["day", "department"], name="department_day_day")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day}"


class DigestRun(models.Model):
    """One emailed digest per period: the unique key makes a twice-fired beat send once."""

    first_day = models.DateField()
    last_day = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first_day", "last_day"], name="digest_run_once")]


class HandlingDay(models.Model):
    """How many cases a department replied to on ``day``, by handling-time bucket.

    ``bucket`` is the lower bound in hours (see ``oversight.kpis.bucket_width``):
    hourly below 48 h, 6-hourly below 240 h, daily below 1440 h, then one open
    bucket. Percentiles over any period come from summing these, never from
    rescanning the cases.
    """

    # No index of its own: a unique or composite index starts with it.
    department = models.ForeignKey("city.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    bucket = models.PositiveIntegerField()
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "day", "bucket"], name="handling_day_unique")]
        indexes = [models.Index(fields=["day"], name="handling_day_day")]


class VolumeDay(models.Model):
    """Submissions received on ``day`` per lead department and category (for charts and topics)."""

    department = models.ForeignKey("city.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("city.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="volume_day_day")]


class RollupState(models.Model):
    """One row: today's rollup rows are complete up to ``today_until``; pages read live only after it."""

    today_until = models.DateTimeField(null=True, blank=True)
