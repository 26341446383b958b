"""Surge detection core: plain reports in, alerts out. No Django here.

The beat job adapts ``Submission`` rows to ``Report`` and persists what comes
out; ``manage.py evaluate_surges`` feeds CSV rows on a simulated clock. Both
call the same ``SurgeDetector``.

How it works, in one pass over reports in time order:

- Each report becomes weighted features (``surges.text.features``).
- A feature's weight is its background rarity: the inverse document frequency
  over every report seen in the history horizon *except the members of the
  group being compared*, so what a burst repeats does not make itself common.
- A report joins the active group it shares the most rare mass with (same
  district or unknown district, recent), if that mass passes a threshold;
  otherwise it starts a group. Groups keep feature counts, so a paraphrase
  joins through any place or name another member mentioned. A report that
  binds strongly to two groups merges them.
- A group raises an alert when enough members arrive within the window and
  its rate is well above the background rate of its key features. Alerts keep
  growing as members join; their id is their first member's id, so replaying
  the same reports gives the same alerts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from surges.detector.bursts import BurstTests
from surges.detector.matching import GroupMatching
from surges.detector.records import Alert, DayCounts, DetectorConfig, Group, Report, _grid_after
from surges.text import display_word


class SurgeDetector(GroupMatching, BurstTests):
    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self.groups: dict[str, Group] = {}
        self.group_of: dict[str, str] = {}
        self.df: Counter = Counter()
        # Background counts by day (UTC), so the history costs its distinct words, not its reports:
        # the scan keeps this state between beats.
        self.days: dict[date, DayCounts] = {}
        self.total_docs = 0
        # Reports per script: English words are rare among mostly Chinese
        # reports, so their rarity is measured among English reports only.
        self.docs_by_script: Counter = Counter()
        self.docs_by_district: Counter = Counter()
        # Reports per place × topic (place: the pinyin of a place name, so both languages meet).
        self.cell_df: Counter = Counter()
        self.first_seen_at: datetime | None = None
        self.by_feature: dict[str, set[str]] = defaultdict(set)
        self.next_tick: datetime | None = None  # the next tick of the beat's grid (``feed``)

    # -- background statistics -------------------------------------------------
    def observe_history(self, report: Report) -> None:
        """Count a report towards the background only (older than the replay)."""
        self._count(report.at, report.features(), report.district)

    def tick(self, now: datetime) -> None:
        """Check the groups at ``now``: merge those that agree, raise those that are surges (see ``alerts``)."""
        self._merge_groups(now)
        for group in self.groups.values():
            if group.raised_at is None and now - group.latest_at <= self.config.join_window:
                if self._is_burst(group, now):
                    group.raised_at = now

    def feed(self, reports: list[Report], *, until: datetime, beat: timedelta) -> None:
        """Feed new reports (time order) on the beat's fixed grid of ticks, then tick at ``until``.

        The incremental scan's step: the detector keeps its state between calls,
        so each beat costs the reports that arrived since the last one.
        """
        step = beat.total_seconds()
        for report in reports:
            if self.next_tick is None:
                self.next_tick = _grid_after(report.at, step)
            while report.at > self.next_tick:
                self.tick(self.next_tick)
                self._forget_quiet(self.next_tick)
                self.next_tick += beat
            self.add(report)
        if self.next_tick is None:
            self.next_tick = _grid_after(until, step)
        while self.next_tick <= until:
            self.tick(self.next_tick)
            self.next_tick += beat
        self.tick(until)

    def _forget_quiet(self, now: datetime) -> None:
        """Drop groups nobody can join any more that never alerted (nothing reads them again)."""
        horizon = now - self.config.join_window - timedelta(minutes=1)
        self.forget_before(horizon, keep_raised=True)

    def forget_before(self, horizon: datetime, *, keep_raised: bool = False) -> None:
        """Drop groups that nobody can join any more (last report before ``horizon``); their alerts are stored."""
        stale = [k for k, g in self.groups.items() if g.latest_at < horizon and not (keep_raised and g.raised_at)]
        for key in stale:
            group = self.groups.pop(key)
            for f in group.all_counts:
                keys = self.by_feature.get(f)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self.by_feature[f]
            for report in group.members:
                self.group_of.pop(report.id, None)

    def alerts(self) -> list[Alert]:
        result = []
        for group in self.groups.values():
            if group.raised_at is None:
                continue
            keys = self._key_features(group, limit=8)
            result.append(
                Alert(
                    alert_id=group.key,
                    raised_at=group.raised_at,
                    ids=[r.id for r in group.members],
                    first_at=group.members[0].at,
                    latest_at=group.latest_at,
                    district=group.district,
                    topic_words=[display_word(f) for _, f in keys if f.startswith("w:")][:5],
                    places=[display_word(f) for _, f in keys if f.startswith("p:")][:3],
                )
            )
        result.sort(key=lambda a: (a.raised_at, a.alert_id))
        return result


def replay(
    reports: list[Report],
    *,
    beat: timedelta = timedelta(minutes=5),
    config: DetectorConfig | None = None,
    history: Iterable[Report] = (),
    until: datetime | None = None,
) -> list[Alert]:
    """Run the detector over reports in time order, ticking like the beat job.

    Ticks fall on a fixed grid of the absolute clock (multiples of ``beat``
    since the epoch), so replaying the same reports always gives the same
    alerts with the same ``raised_at``. ``history`` only feeds the background
    statistics. The last tick is at ``until`` (default: one beat after the
    last report).
    """
    detector = SurgeDetector(config)
    for report in history:
        detector.observe_history(report)
    reports = sorted(reports, key=lambda r: (r.at, r.id))
    if not reports:
        return []
    step = beat.total_seconds()
    first = reports[0].at
    next_tick = datetime.fromtimestamp((first.timestamp() // step + 1) * step, tz=first.tzinfo)
    for report in reports:
        while report.at > next_tick:
            detector.tick(next_tick)
            next_tick += beat
        detector.add(report)
    end = until or reports[-1].at + beat
    while next_tick <= end:
        detector.tick(next_tick)
        next_tick += beat
    if until is not None:
        detector.tick(until)
    return detector.alerts()
