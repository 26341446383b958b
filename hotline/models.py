"""The hotline (12345 热线): each call an operator logs, and what it produced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    DISPATCHED = "dispatched", _("Dispatched to a department")
    TRIAGE = "triage", _("Sent to a dispatcher")
    ANSWERED = "answered", _("Answered from the knowledge base")


class Call(models.Model):
    """One call taken by an operator (话务员): who called, when, and the case it produced."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls", verbose_name=_("operator")
    )
    caller_number = models.CharField(_("caller's number"), max_length=32, db_index=True)
    started_at = models.DateTimeField(_("call started"))
    ended_at = models.DateTimeField(_("call ended"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    submission = models.OneToOneField(
        "feedback.Submission", on_delete=models.CASCADE, related_name="call", verbose_name=_("case")
    )
    department = models.ForeignKey("city.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    article = models.ForeignKey(
        "knowledge.Article",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("article answered from"),
    )
    # The caller's earlier open case this call is about again (重复来电), when the console found one.
    repeat_of = models.ForeignKey(
        "feedback.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeat_calls"
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gte=models.F("started_at")), name="call_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caller_number} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds())
