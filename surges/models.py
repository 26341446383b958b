"""Surge alerts (舆情预警) and incidents that group the cases of one event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    """One real-world event reported by several citizens, handled by one lead department."""

    title = models.CharField(_("title"), max_length=200)
    lead_department = models.ForeignKey(
        "city.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("lead department"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title


class SubmissionIncident(models.Model):
    """A case's membership of an incident: at most one incident per case."""

    submission = models.OneToOneField(
        "feedback.Submission", on_delete=models.CASCADE, related_name="incident_link", verbose_name=_("submission")
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    score = models.FloatField(_("similarity"), null=True, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Awaiting action")
    MERGED = "merged", _("Merged into an incident")
    DISMISSED = "dismissed", _("Dismissed")


class SurgeAlert(models.Model):
    """Many similar submissions about one place or topic in a short time.

    ``key`` is the detector's id for the group (its first member's id when it
    was first raised); together with member overlap it lets every beat run find
    the alert it raised before, so re-running never duplicates an alert.
    """

    key = models.CharField(max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    district = models.ForeignKey(
        "city.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("district"),
    )
    topic_words = models.JSONField(_("topic words"), default=list, blank=True)
    places = models.JSONField(_("places"), default=list, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    first_at = models.DateTimeField(_("first report"))
    latest_at = models.DateTimeField(_("latest report"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    submissions = models.ManyToManyField("feedback.Submission", through="SurgeAlertMember", related_name="surge_alerts")

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("surge alert")
        verbose_name_plural = _("surge alerts")
        indexes = [models.Index(fields=["status", "raised_at"], name="surgealert_status_raised")]

    def __str__(self) -> str:
        return self.headline

    @property
    def headline(self) -> str:
        places = self.places[:2]
        words = [w for w in self.topic_words if not any(w in place for place in places)][:3]
        return " · ".join(dict.fromkeys([*places, *words])) or self.key


class SurgeAlertMember(models.Model):
    # No index of its own: a unique or composite index starts with it.
    alert = models.ForeignKey(SurgeAlert, on_delete=models.CASCADE, related_name="members", db_index=False)
    submission = models.ForeignKey("feedback.Submission", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "submission"], name="surgealertmember_once")]


class SurgeAlertNotification(models.Model):
    """One message to one supervisor about one alert; the unique key makes it once."""

    # No index of its own: a unique or composite index starts with it.
    alert = models.ForeignKey(SurgeAlert, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="surgealertnotification_once")]


class TextFeatures(models.Model):
    """The detector's features of one submission's text, computed once and read by every later scan.

    Word segmentation costs about 3 ms a text, and each scan reads two weeks of
    submissions; ``version`` is ``surges.text.FEATURES_VERSION`` at the time of
    computing, so a change to the features recomputes them instead of mixing two kinds.
    """

    submission = models.OneToOneField(
        "feedback.Submission", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveSmallIntegerField()
    features = models.JSONField()

    class Meta:
        verbose_name = _("text features")
        verbose_name_plural = _("text features")


class SurgeScanState(models.Model):
    """The detector as the last beat left it, so the next beat feeds it only what arrived since.

    One row (``pk = 1``), locked by each scan, so two workers never scan at
    once. ``state`` is the pickled detector (compressed); it is written and
    read only by ``surges.services.surge_scan``. ``fingerprint`` names the
    features' version and the detector's settings: when they change, the
    state is rebuilt from the database instead of being read.
    """

    fingerprint = models.CharField(max_length=200)
    # The last submission fed: (created_at, id), so a later scan feeds what comes after it.
    fed_until = models.DateTimeField()
    fed_until_id = models.BigIntegerField(default=0)
    state = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("surge scan state")
