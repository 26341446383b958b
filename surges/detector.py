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

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from surges.text import TOPICS, display_word, features

# Every topic feature ("t:<topic>") the texts can have: a group's dominant topics are read from these only.
TOPIC_FEATURES = tuple("t:" + topic for topic in TOPICS)


@dataclass(frozen=True)
class Report:
    id: str
    at: datetime
    text: str
    district: str = ""
    # Features computed earlier (stored per submission); None: compute them from ``text``.
    feats: dict[str, float] | None = field(default=None, compare=False, hash=False)

    def features(self) -> dict[str, float]:
        return self.feats if self.feats is not None else features(self.text)


@dataclass(frozen=True)
class DetectorConfig:
    join_threshold: float = 22.0
    merge_threshold: float = 22.0
    join_window: timedelta = timedelta(hours=8)
    alert_window: timedelta = timedelta(hours=6)
    min_reports: int = 5
    # ...or fewer, arriving very fast.
    fast_reports: int = 4
    fast_window: timedelta = timedelta(minutes=60)
    burst_ratio: float = 4.0
    history: timedelta = timedelta(days=30)
    share: float = 2.0
    top_features: int = 8
    off_topic_factor: float = 0.6
    reference_reports: int = 600
    signature_weight: float = 2.0
    signature_min_group: int = 3


@dataclass
class Alert:
    alert_id: str
    raised_at: datetime
    ids: list[str]
    first_at: datetime
    latest_at: datetime
    district: str
    topic_words: list[str]
    places: list[str]


@dataclass
class Group:
    key: str
    members: list[Report] = field(default_factory=list)
    # The profile: feature counts over the members of the last join window
    # only, so a slow trickle of loosely related reports cannot snowball.
    profile: deque = field(default_factory=deque)
    counts: Counter = field(default_factory=Counter)
    all_counts: Counter = field(default_factory=Counter)
    districts: Counter = field(default_factory=Counter)
    raised_at: datetime | None = None
    # The most frequent known district, recomputed only after ``districts`` changes (read for every candidate).
    district_memo: str | None = None

    @property
    def latest_at(self) -> datetime:
        return self.members[-1].at

    @property
    def district(self) -> str:
        if self.district_memo is None:
            known = [(n, d) for d, n in self.districts.items() if d]
            self.district_memo = max(known)[1] if known else ""
        return self.district_memo

    def add(self, report: Report, feats: dict[str, float]) -> None:
        self.members.append(report)
        self.profile.append((report.at, feats))
        self.counts.update(feats.keys())
        self.all_counts.update(feats.keys())
        self.districts[report.district] += 1
        self.district_memo = None

    def expire(self, horizon: datetime) -> list[str]:
        """Drop profile entries older than ``horizon``; returns features that left it."""
        gone: list[str] = []
        while self.profile and self.profile[0][0] < horizon:
            _, feats = self.profile.popleft()
            self.counts.subtract(feats.keys())
            for f in feats:
                if self.counts[f] <= 0:
                    del self.counts[f]
                    gone.append(f)
        return gone

    @property
    def size(self) -> int:
        return len(self.profile)


class SurgeDetector:
    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        self.groups: dict[str, Group] = {}
        self.group_of: dict[str, str] = {}
        self.df: Counter = Counter()
        self.seen: deque[tuple[datetime, dict[str, float]]] = deque()
        # Reports per script: English words are rare among mostly Chinese
        # reports, so their rarity is measured among English reports only.
        self.docs_by_script: Counter = Counter()
        self.first_seen_at: datetime | None = None
        self.by_feature: dict[str, set[str]] = defaultdict(set)

    # -- background statistics -------------------------------------------------
    def observe_history(self, report: Report) -> None:
        """Count a report towards the background only (older than the replay)."""
        self._count(report.at, report.features())

    def _count(self, at: datetime, feats: dict[str, float]) -> None:
        self.df.update(feats.keys())
        self.seen.append((at, feats))
        self.docs_by_script[_doc_script(feats)] += 1
        if self.first_seen_at is None or at < self.first_seen_at:
            self.first_seen_at = at

    def _expire_history(self, now: datetime) -> None:
        horizon = now - self.config.history
        while self.seen and self.seen[0][0] < horizon:
            _, feats = self.seen.popleft()
            self.df.subtract(feats.keys())
            self.docs_by_script[_doc_script(feats)] -= 1

    def _idf(self, feature: str, group: Group | None) -> float:
        inside = group.counts.get(feature, 0) if group else 0
        script = _feature_script(feature)
        seen = self.docs_by_script[script] if script else len(self.seen)
        total = max(1, seen - (group.size if group else 0))
        df = max(0, self.df.get(feature, 0) - inside)
        idf = math.log((total + 2) / (df + 1))
        # Thresholds were set on a history of a few hundred reports; a longer
        # history makes every rare word rarer, so scale back to that size
        # rather than let one shared name pass on its own.
        return idf * min(1.0, math.log(self.config.reference_reports) / math.log(total + 2))

    # -- grouping --------------------------------------------------------------
    def _score(self, feats: dict[str, float], group: Group) -> float:
        # A feature counts in proportion to how many members share it, so a big
        # group does not attract everything through its long tail of words; and
        # only the strongest few count, so a long text is not favoured.
        size = max(1, group.size)
        # Pinyin forms ("y:") only bridge English reports to Chinese ones; for
        # a Chinese report they would count its place names twice.
        chinese = any(f.startswith("b:") for f in feats)
        parts = sorted(
            (
                self._weight(f, weight, group, size)
                * self._idf(f, group)
                * min(1.0, group.counts[f] * self.config.share / size)
                for f, weight in feats.items()
                if f in group.counts and not (chinese and f.startswith("y:"))
            ),
            reverse=True,
        )
        score = sum(parts[: self.config.top_features])
        # Same place, other trouble: a report that names none of the group's
        # dominant topics (smell, noise, ...) needs more evidence to join.
        dominant = [f for f in TOPIC_FEATURES if group.counts.get(f, 0) * 5 >= size * 3]
        if dominant and not any(f in feats for f in dominant):
            score *= self.config.off_topic_factor
        return score

    def _weight(self, feature: str, weight: float, group: Group, size: int) -> float:
        """A word most members of a grown group repeat is its name (a shop, a brand): weigh it as a place."""
        if (
            self.config.signature_weight
            and feature[0] == "w"
            and size >= self.config.signature_min_group
            and 2 * group.counts[feature] >= size
        ):
            return max(weight, self.config.signature_weight)
        return weight

    def _compatible(self, report: Report, group: Group, now: datetime) -> bool:
        if now - group.latest_at > self.config.join_window:
            return False
        district = group.district
        return not (report.district and district and report.district != district)

    def add(self, report: Report) -> str:
        """Feed one report (in time order); returns the key of the group it joined."""
        self._expire_history(report.at)
        feats = report.features()
        candidates: set[str] = set()
        for f in feats:
            candidates |= self.by_feature.get(f, set())
        scored = []
        for key in candidates:
            group = self.groups[key]
            for f in group.expire(report.at - self.config.join_window):
                self.by_feature[f].discard(key)
            if group.size and self._compatible(report, group, report.at):
                scored.append((self._score(feats, group), key))
        scored.sort(reverse=True)
        self._count(report.at, feats)
        if scored and scored[0][0] >= self.config.join_threshold:
            key = scored[0][1]
            for score, other in scored[1:]:
                if score >= self.config.merge_threshold:
                    key = self._merge(key, other)
        else:
            key = report.id
            self.groups[key] = Group(key=key)
        group = self.groups[key]
        group.add(report, feats)
        for f in feats:
            self.by_feature[f].add(key)
        self.group_of[report.id] = key
        return key

    def _merge(self, key_a: str, key_b: str) -> str:
        a, b = self.groups[key_a], self.groups[key_b]
        # The older group (by first member) survives, so ids stay stable.
        keep, gone = (a, b) if (a.members[0].at, a.key) <= (b.members[0].at, b.key) else (b, a)
        keep.members = sorted(keep.members + gone.members, key=lambda r: (r.at, r.id))
        keep.profile = deque(sorted([*keep.profile, *gone.profile], key=lambda item: item[0]))
        keep.counts.update(gone.counts)
        keep.all_counts.update(gone.all_counts)
        keep.districts.update(gone.districts)
        keep.district_memo = None
        if gone.raised_at and (keep.raised_at is None or gone.raised_at < keep.raised_at):
            keep.raised_at = gone.raised_at
        for f in gone.all_counts:
            self.by_feature[f].discard(gone.key)
        for f in keep.counts:
            self.by_feature[f].add(keep.key)
        for report in gone.members:
            self.group_of[report.id] = keep.key
        del self.groups[gone.key]
        return keep.key

    # -- alerting --------------------------------------------------------------
    def _key_features(self, group: Group, limit: int = 5, current: bool = False) -> list[tuple[float, str]]:
        """The words that describe the group (its recent profile if ``current``), most telling first."""
        ranked = []
        counts = group.counts if current else group.all_counts
        floor = max(2, group.size // 3) if current else 2
        for f, n in counts.items():
            if n >= floor and f[0] in "pw":
                ranked.append((n * self._idf(f, group), f))
        ranked.sort(reverse=True)
        return ranked[:limit]

    def _is_burst(self, group: Group, now: datetime) -> bool:
        recent = [r for r in group.members if now - r.at <= self.config.alert_window]
        fast = [r for r in recent if now - r.at <= self.config.fast_window]
        if len(recent) < self.config.min_reports and len(fast) < self.config.fast_reports:
            return False
        # The usual rate of the group's key words outside the group: an
        # incident arrives far faster than its rarest key word usually does.
        span_hours = max(1.0, (now - (self.first_seen_at or now)).total_seconds() / 3600)
        window_hours = self.config.alert_window.total_seconds() / 3600
        keys = [f for _, f in self._key_features(group, limit=5, current=True)]
        if not keys:
            return False
        outside = min(max(0, self.df.get(f, 0) - group.counts[f]) for f in keys)
        expected = outside / span_hours * window_hours
        return len(recent) >= self.config.burst_ratio * max(expected, 1.0)

    def _core(self, group: Group) -> dict[str, float]:
        """A group's shared features, as a pseudo-report for comparing groups."""
        floor = max(2, group.size * 2 // 5)
        merged: dict[str, float] = {}
        for _, feats in group.profile:
            for f, weight in feats.items():
                if group.counts[f] >= floor:
                    merged[f] = weight
        return merged

    def _merge_groups(self, now: datetime) -> None:
        """Two parts of one incident that grew apart join once their cores agree."""
        active = sorted(
            (g for g in self.groups.values() if g.size >= 2 and now - g.latest_at <= self.config.join_window),
            key=lambda g: (g.members[0].at, g.key),
        )
        gone: set[str] = set()
        for i, a in enumerate(active):
            if a.key in gone:
                continue
            for b in active[i + 1 :]:
                if b.key in gone or (a.district and b.district and a.district != b.district):
                    continue
                a = self.groups[a.key]
                if min(self._score(self._core(b), a), self._score(self._core(a), b)) >= self.config.merge_threshold:
                    kept = self._merge(a.key, b.key)
                    gone.add(b.key if kept == a.key else a.key)

    def tick(self, now: datetime) -> list[Alert]:
        """Check the groups at ``now``; returns every alert raised so far, as it stands."""
        self._merge_groups(now)
        for group in self.groups.values():
            if group.raised_at is None and now - group.latest_at <= self.config.join_window:
                if self._is_burst(group, now):
                    group.raised_at = now
        return self.alerts()

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


def _doc_script(feats: dict[str, float]) -> str:
    return "zh" if any(f.startswith("b:") for f in feats) else "en"


def _feature_script(feature: str) -> str:
    """'en' or 'zh' for words and names, '' for topics (shared by both)."""
    kind, body = feature[0], feature[2:]
    if kind == "t":
        return ""
    if kind in "pw" and body.isascii():
        return "en"
    return "zh"


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
