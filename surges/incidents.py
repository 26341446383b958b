"""Same-incident proposals (issue 4): open cases that look like the same event as one case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from feedback.models import Status, Submission
from surges.detector import SurgeDetector
from surges.services import report_text, reports_between
from surges.similarity import pair_scores

WINDOW = timedelta(hours=72)
BACKGROUND = timedelta(days=14)


@dataclass(frozen=True)
class Candidate:
    submission: Submission
    score: float  # 0..1: how much of the case's telling words the candidate shares
    raw: float  # on the detector's scale
    shared: tuple[str, ...]  # the words the two have in common


def propose_same_incident(submission: Submission, *, limit: int = 10) -> list[Candidate]:
    """Open cases that the surge detector groups with ``submission``, best first.

    The submissions of three days either side are replayed through the same
    detector as the surge alerts (two weeks before that are the background),
    so a case is proposed when it reads like the same event *as a group*:
    paraphrases join through whatever place or name another report used.
    Closed cases, cases of another district and cases already in the same
    incident are left out.
    """
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
        return []
    mate_ids = [int(r.id) for r in detector.groups[key].members if r.id != str(submission.pk)]
    mates = Submission.objects.filter(pk__in=mate_ids).exclude(status=Status.CLOSED).select_related("lead_department")
    if submission.district_id:
        mates = mates.filter(Q(district__isnull=True) | Q(district_id=submission.district_id))
    link = getattr(submission, "incident_link", None)  # an absent reverse one-to-one raises AttributeError
    if link is not None:
        mates = mates.exclude(incident_link__incident_id=link.incident_id)
    mates = list(mates)
    if not mates:
        return []
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
