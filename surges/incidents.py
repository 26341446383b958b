"""Same-incident proposals (issue 4): open cases that look like the same event as one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from feedback.models import Status, Submission
from surges.detector import Report, SurgeDetector
from surges.models import AlertStatus, SurgeAlertMember, SurgeScanState
from surges.services import report_text, reports_between
from surges.similarity import pair_scores
from surges.state import state_decode, surge_settings

WINDOW = timedelta(hours=72)
BACKGROUND = timedelta(days=14)


@dataclass(frozen=True)
class Candidate:
    submission: Submission
    score: float  # 0..1: how much of the case's telling words the candidate shares
    raw: float  # on the detector's scale
    shared: tuple[str, ...]  # the words the two have in common


def _scan_detector() -> SurgeDetector | None:
    """The detector as the last surge scan left it (read only; None before the first scan)."""
    detector, _scanned_at, _fed = state_decode(SurgeScanState.objects.filter(pk=1).first(), surge_settings())
    return detector


def incident_mates(submission: Submission) -> list[int] | None:
    """The cases the surge detector holds in one place × topic group with ``submission`` (itself left out).

    The one answer the alerts and the proposals share: the members of the
    alert the case is in (not a dismissed one), else its group in the scan's
    kept detector. None when the scan has not seen the case (or forgot it).
    """
    alert_id = (
        SurgeAlertMember.objects.filter(submission=submission)
        .exclude(alert__status=AlertStatus.DISMISSED)
        .order_by("-alert__latest_at")
        .values_list("alert_id", flat=True)
        .first()
    )
    if alert_id is not None:
        members = SurgeAlertMember.objects.filter(alert_id=alert_id).values_list("submission_id", flat=True)
        return sorted(pk for pk in members if pk != submission.pk)
    detector = _scan_detector()
    key = detector.group_of.get(str(submission.pk)) if detector else None
    if key is None or key not in detector.groups:
        return None
    return sorted(int(r.id) for r in detector.groups[key].members if r.id != str(submission.pk))


def same_incident_for_text(*, title: str = "", text: str, district_id: int | None = None, now=None) -> list[int]:
    """The cases a report with this text and district would join now ("是这个问题吗?" before submitting).

    Asks the scan's own detector which group the report would join, by the
    rule that adds reports to groups, so the answer agrees with the alerts.
    """
    detector = _scan_detector()
    if detector is None:
        return []
    draft = Report(id="draft", at=now or timezone.now(), text=report_text(title, text), district=str(district_id or ""))
    key = detector.match(draft)
    return sorted(int(r.id) for r in detector.groups[key].members) if key else []


def propose_same_incident(submission: Submission, *, limit: int = 10) -> list[Candidate]:
    """Open cases that the surge detector groups with ``submission``, best first.

    First the detector's own answer (``incident_mates``: the alert, or the
    scan's group). For a case the scan never saw or has forgotten, the
    submissions of three days either side are replayed through the same
    detector (two weeks before that are the background). Closed cases, cases
    of another district and cases already in the same incident are left out.
    """
    mate_ids = incident_mates(submission)
    background: list[Report] = []
    if mate_ids is None:
        mate_ids, background = _replayed_mates(submission)
    mates = Submission.objects.filter(pk__in=mate_ids).exclude(status=Status.CLOSED).select_related("lead_department")
    if submission.district_id:
        mates = mates.filter(Q(district__isnull=True) | Q(district_id=submission.district_id))
    link = getattr(submission, "incident_link", None)  # an absent reverse one-to-one raises AttributeError
    if link is not None:
        mates = mates.exclude(incident_link__incident_id=link.incident_id)
    mates = list(mates)
    if not mates:
        return []
    if not background:
        start = submission.created_at - WINDOW
        background = [r for r in reports_between(start - BACKGROUND, start) if r.at < start]
    scores = pair_scores(
        report_text(submission.title, submission.text),
        [report_text(m.title, m.text) for m in mates],
        [r.text for r in background],
    )
    found = [
        Candidate(submission=case, score=round(s.similarity, 2), raw=round(s.raw, 1), shared=s.shared)
        for case, s in zip(mates, scores, strict=True)
    ]
    found.sort(key=lambda c: (-c.raw, c.submission.pk))
    return found[:limit]


def _replayed_mates(submission: Submission) -> tuple[list[int], list[Report]]:
    start = submission.created_at - WINDOW
    end = min(timezone.now(), submission.created_at + WINDOW)
    detector = SurgeDetector()
    background = [r for r in reports_between(start - BACKGROUND, start) if r.at < start]
    for report in background:
        detector.observe_history(report)
    for report in reports_between(start, max(end, submission.created_at)):
        detector.add(report)
    detector.tick(end)
    key = detector.group_of.get(str(submission.pk))
    if key is None:
        return [], background
    return [int(r.id) for r in detector.groups[key].members if r.id != str(submission.pk)], background
