"""Routing rules and the record of every routing decision.

Imported at the end of ``routing.models`` so Django registers them with the
app; kept apart so the models of departments and cases stay short.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from city.models import Priority

KEYWORD_HELP = _("Substrings, separated by commas, “、” or new lines. English is matched without case.")


class RoutingRule(models.Model):
    """One ordered rule: if every condition holds, the case goes to ``lead_department``.

    Empty conditions hold for every case. Rules are tried by ``order`` (then id);
    the first that matches decides.
    """

    name = models.CharField(_("name"), max_length=120)
    order = models.IntegerField(_("order"), default=100, help_text=_("Lower numbers are tried first."))
    is_active = models.BooleanField(_("active"), default=True)
    # Conditions
    category = models.ForeignKey(
        "city.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category (with its subtree)"),
    )
    keywords_any = models.TextField(_("any of these keywords"), blank=True, help_text=KEYWORD_HELP)
    keywords_all = models.TextField(_("all of these keywords"), blank=True, help_text=KEYWORD_HELP)
    keywords_none = models.TextField(_("none of these keywords"), blank=True, help_text=KEYWORD_HELP)
    district = models.ForeignKey(
        "city.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    kind = models.CharField(_("kind of submission"), max_length=20, blank=True)
    # Routing by place: the case's pin must lie in this area (a drawn park, a copied district outline).
    area = models.JSONField(
        _("area (GeoJSON Polygon, WGS-84)"),
        null=True,
        blank=True,
        help_text=_("Only cases with a map point inside this area match. GeoJSON, [longitude, latitude] order."),
    )
    # Actions
    lead_department = models.ForeignKey(
        "city.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead department")
    )
    co_departments = models.ManyToManyField(
        "city.Department", blank=True, related_name="+", verbose_name=_("co-handling departments")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    deadline_policy = models.CharField(_("deadline policy"), max_length=60, blank=True)
    # Where the rule came from: "catalogue:<key>" for the demo duty catalogue.
    source = models.CharField(_("source"), max_length=80, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        indexes = [
            models.Index(fields=["order", "id"], name="routingrule_active_order", condition=models.Q(is_active=True))
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from portal.geo import ShapeError, area_from_geojson

        super().clean()
        if self.area is not None:
            try:
                area_from_geojson(self.area)
            except ShapeError as exc:
                raise ValidationError({"area": str(exc)}) from None

    def __str__(self) -> str:
        return self.name


class DecisionSource(models.TextChoices):
    RULE = "rule", _("Rule")
    MODEL = "model", _("Learned suggester")
    CATEGORY = "category", _("Category default")
    NONE = "none", _("No confident answer")


class RoutingDecision(models.Model):
    """Why a case went where it went (or to triage). One row per routing run."""

    submission = models.ForeignKey(
        "feedback.Submission",
        on_delete=models.CASCADE,
        related_name="routing_decisions",
        verbose_name=_("submission"),
        db_index=False,  # ``routingdecision_sub_created`` starts with it
    )
    source = models.CharField(_("source"), max_length=10, choices=DecisionSource.choices)
    rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions", verbose_name=_("rule")
    )
    rule_name = models.CharField(_("rule"), max_length=120, blank=True)
    department = models.ForeignKey(
        "city.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    suggestions = models.JSONField(_("suggestions"), default=list, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        indexes = [models.Index(fields=["submission", "created_at"], name="routingdecision_sub_created")]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.source} → {self.department_id or '-'}"
