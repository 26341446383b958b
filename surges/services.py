"""Writes for surge alerts and incidents.

``surge_scan`` is what the beat job runs: it keeps the detector's state
between beats (``SurgeScanState``) and feeds it the submissions that arrived
since, through the same core as ``manage.py evaluate_surges``, then
reconciles the result with the stored alerts. Running it twice, or from two
workers, changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from feedback.models import CloseReason, Submission
from surges.detector import Alert, Report, SurgeDetector, replay
from surges.models import (
    AlertStatus,
    SubmissionIncident,
    SurgeAlert,
    SurgeAlertMember,
    SurgeAlertNotification,
    SurgeScanState,
    TextFeatures,
)
from surges.state import fingerprint, scan_config, state_decode, state_encode, surge_settings
from surges.text import FEATURES_VERSION, features

log = logging.getLogger(__name__)


def report_text(title: str, text: str) -> str:
    return f"{title}。{text}" if title and not text.startswith(title) else text


@dataclass
class ScanResult:
    created: list[int]
    updated: list[int]
    notified: int


def reports_between(since: datetime, until: datetime) -> list[Report]:
    """Submissions created in [since, until] as detector reports with their features, oldest first (spam left out).

    Features come from ``TextFeatures``; those missing (new submissions) or of an
    older version are computed here and stored, so each text is segmented once.
    """
    rows = (
        Submission.objects.filter(created_at__gte=since, created_at__lte=until)
        .exclude(close_reason=CloseReason.SPAM)
        .order_by("created_at", "id")
        .values_list("id", "created_at", "title", "text", "district_id")
    )
    stored = dict(
        TextFeatures.objects.filter(
            version=FEATURES_VERSION, submission__created_at__gte=since, submission__created_at__lte=until
        ).values_list("submission_id", "features")
    )
    reports, computed = [], []
    for pk, at, title, text, district_id in rows.iterator(chunk_size=500):
        body = report_text(title, text)
        feats = stored.get(pk)
        if feats is None:
            feats = features(body)
            computed.append(TextFeatures(submission_id=pk, version=FEATURES_VERSION, features=feats))
        reports.append(Report(id=str(pk), at=at, text=body, district=str(district_id or ""), feats=feats))
    if computed:
        features_store(computed)
    return reports


def features_store(rows: list[TextFeatures]) -> None:
    """Insert or refresh stored features; a concurrent scan storing the same rows is harmless.

    They are a cache: if storing fails (a case removed meanwhile), the scan goes on and a later one retries.
    """
    try:
        with transaction.atomic():
            TextFeatures.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["submission"],
                update_fields=["version", "features"],
            )
    except IntegrityError:
        log.warning("surge features not stored for %d submissions; they will be computed again", len(rows))


def surge_detect(*, now: datetime) -> list[Alert]:
    """Run the detector over the database as it stands at ``now`` (no writes)."""
    conf = surge_settings()
    lookback = timedelta(hours=conf["LOOKBACK_HOURS"])
    return replay(
        [r for r in reports_between(now - lookback, now) if r.at > now - lookback],
        history=[
            r
            for r in reports_between(now - timedelta(days=conf["HISTORY_DAYS"]), now - lookback)
            if r.at <= now - lookback
        ],
        beat=timedelta(seconds=conf["BEAT_SECONDS"]),
        until=now,
    )


# A submission's row may commit a little after a later one: each beat looks this far behind the last
# report it fed, and skips the ids it already has.
SETTLE = timedelta(minutes=10)


def surge_scan(*, now: datetime | None = None) -> ScanResult:
    """Detect surges and persist them: new alerts, new members, one notice per supervisor.

    The detector's state is kept between beats (``SurgeScanState``): each beat
    feeds it the submissions that arrived since the last one. It is rebuilt
    from the database (two weeks of background, the last 12 hours replayed)
    the first time, when the features or the detector's settings change, when
    asked about a moment before its last scan, or after a pause longer than
    the lookback. Scans are serialised on
    the state's row lock, so a second worker finds the work done.
    """
    now = now or timezone.now()
    conf = surge_settings()
    beat = timedelta(seconds=conf["BEAT_SECONDS"])
    result = ScanResult(created=[], updated=[], notified=0)
    with transaction.atomic():
        row = _state_row()
        detector, scanned_at, fed = state_decode(row, conf)
        lookback = timedelta(hours=conf["LOOKBACK_HOURS"])
        if detector is None or now < scanned_at or now - scanned_at > lookback:  # none, or from another time
            detector, fed = _state_rebuild(now, conf)
        else:
            since = max(row.fed_until - SETTLE, now - lookback)
            fresh = [r for r in reports_between(since, now) if r.id not in fed]
            detector.feed(fresh, until=now, beat=beat)
            fed.update((r.id, r.at) for r in fresh)
        for found in detector.alerts():
            alert, created = _alert_upsert(found, now)
            (result.created if created else result.updated).append(alert.pk)
            if created:
                result.notified += surge_alert_notify(alert=alert)
        detector.forget_before(now - detector.config.join_window - beat)
        _state_write(row, detector, now, conf, fed)
    return result


def _state_row() -> SurgeScanState:
    row = SurgeScanState.objects.select_for_update().filter(pk=1).first()
    if row is None:
        try:
            with transaction.atomic():
                SurgeScanState.objects.create(pk=1, fingerprint="", fed_until=timezone.now(), state=b"")
        except IntegrityError:  # another worker created it a moment ago
            pass
        row = SurgeScanState.objects.select_for_update().get(pk=1)
    return row


def _state_write(
    row: SurgeScanState, detector: SurgeDetector, now: datetime, conf: dict, fed: dict[str, datetime]
) -> None:
    if fed:
        row.fed_until = max(fed.values())
        fed = {pk: at for pk, at in fed.items() if at >= row.fed_until - SETTLE}
    row.fingerprint = fingerprint(conf)
    row.state = state_encode(detector, now, fed)
    row.save()


def _state_rebuild(now: datetime, conf: dict) -> tuple[SurgeDetector, dict[str, datetime]]:
    """The detector as if it had run all along: the background observed, the lookback window replayed."""
    lookback = now - timedelta(hours=conf["LOOKBACK_HOURS"])
    detector = SurgeDetector(scan_config(conf))
    for report in reports_between(now - timedelta(days=conf["HISTORY_DAYS"]), lookback):
        if report.at <= lookback:
            detector.observe_history(report)
    window = [r for r in reports_between(lookback, now) if r.at > lookback]
    detector.feed(window, until=now, beat=timedelta(seconds=conf["BEAT_SECONDS"]))
    return detector, {r.id: r.at for r in window}


def _alert_upsert(found: Alert, now: datetime) -> tuple[SurgeAlert, bool]:
    ids = [int(i) for i in found.ids]
    with transaction.atomic():
        alert = _existing_alert(found.alert_id, ids)
        created = alert is None
        if created:
            try:
                with transaction.atomic():
                    alert = SurgeAlert.objects.create(
                        key=found.alert_id, first_at=found.first_at, latest_at=found.latest_at, raised_at=now
                    )
            except IntegrityError:  # another run created it a moment ago
                alert = SurgeAlert.objects.get(key=found.alert_id)
                created = False
        alert = SurgeAlert.objects.select_for_update().get(pk=alert.pk)
        known = set(alert.members.values_list("submission_id", flat=True))
        new_ids = [pk for pk in ids if pk not in known]
        SurgeAlertMember.objects.bulk_create(
            [SurgeAlertMember(alert=alert, submission_id=pk, added_at=now) for pk in new_ids], ignore_conflicts=True
        )
        if alert.status == AlertStatus.MERGED and alert.incident_id and new_ids:
            # Late reports of a merged alert join its incident; a person dispatches them.
            # Cases the supervisor left out at the merge are not new, so they stay out.
            SubmissionIncident.objects.bulk_create(
                [SubmissionIncident(submission_id=pk, incident_id=alert.incident_id, linked_at=now) for pk in new_ids],
                ignore_conflicts=True,
            )
        alert.report_count = alert.members.count()
        alert.first_at = min(alert.first_at, found.first_at)
        alert.latest_at = max(alert.latest_at, found.latest_at)
        alert.topic_words = found.topic_words
        alert.places = found.places
        alert.district_id = int(found.district) if found.district else None
        alert.save()
    return alert, created


def _existing_alert(key: str, ids: list[int]) -> SurgeAlert | None:
    """The alert raised before for this group: same key, else the one sharing the most cases."""
    alert = SurgeAlert.objects.filter(key=key).first()
    if alert is not None:
        return alert
    overlap = Counter(
        SurgeAlertMember.objects.filter(submission_id__in=ids)
        .exclude(alert__status=AlertStatus.DISMISSED)
        .values_list("alert_id", flat=True)
    )
    if not overlap:
        return None
    alert_id, shared = overlap.most_common(1)[0]
    return SurgeAlert.objects.get(pk=alert_id) if shared * 2 >= min(len(ids), 10) else None


def surge_alert_notify(*, alert: SurgeAlert) -> int:
    """Tell every active supervisor once; the email leaves after commit. Returns rows created."""
    supervisors = User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.ADMINISTRATOR])
    before = set(SurgeAlertNotification.objects.filter(alert=alert).values_list("user_id", flat=True))
    SurgeAlertNotification.objects.bulk_create(
        [SurgeAlertNotification(alert=alert, user=user) for user in supervisors if user.pk not in before],
        ignore_conflicts=True,
    )
    pending = list(
        SurgeAlertNotification.objects.filter(alert=alert, sent_at__isnull=True).values_list("pk", flat=True)
    )
    if pending:
        transaction.on_commit(lambda: _safe_enqueue(pending))
    return len(pending)


# Who sends notices after commit. ``surges.tasks`` (the layer above) registers it when it is
# imported (``SurgesConfig.ready``), so this module never imports the tasks: no cycle.
_notices_enqueue: Callable[[list[int]], object] | None = None


def notices_enqueue_register(enqueue: Callable[[list[int]], object]) -> None:
    global _notices_enqueue
    _notices_enqueue = enqueue


def _safe_enqueue(ids: list[int]) -> None:
    if _notices_enqueue is None:
        log.warning("no notice sender registered; %d surge notifications left for the sweep", len(ids))
        return
    try:
        _notices_enqueue(ids)
    except Exception:  # noqa: BLE001 - any broker error; the sweep sends them later
        log.warning("broker unavailable; %d surge notifications left for the sweep", len(ids))


def surge_notification_send(*, notification_id: int) -> bool:
    """Send one alert email if still unsent. Safe to call twice."""

    with transaction.atomic():
        note = (
            SurgeAlertNotification.objects.select_for_update(skip_locked=True)
            .select_related("alert", "user")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if note is None:
            return False
        note.attempts += 1
        if note.user.email:
            alert = note.alert
            subject = _("Surge alert: %(what)s (%(count)d reports)") % {
                "what": alert.headline,
                "count": alert.report_count,
            }
            body = _("%(count)d similar submissions since %(first)s. Open the alert: %(url)s") % {
                "count": alert.report_count,
                "first": timezone.localtime(alert.first_at).strftime("%Y-%m-%d %H:%M"),
                "url": f"{settings.SITE_URL}/surges/{alert.pk}/",
            }
            send_mail(subject, body, None, [note.user.email], fail_silently=False)
        note.sent_at = timezone.now()
        note.save(update_fields=["sent_at", "attempts"])
        return True
