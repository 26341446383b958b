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

import functools
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

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
    # -- grouping: which reports are about one place and one trouble (a "cell") --
    # These are on the detector's scale of rare shared mass; the evaluation
    # re-chooses ``join_threshold`` inside training folds only (docs/surges.md).
    join_threshold: float = 22.0
    merge_threshold: float = 22.0
    join_window: timedelta = timedelta(hours=8)
    # Near-identical wording (share of character pairs in common) in one place within
    # ``near_window`` is the same report retold, whatever the history says is rare:
    # the cold-start rule of a new city or a new district.
    near_identical: float = 0.6
    near_window: timedelta = timedelta(hours=1)
    # -- alerting: more than expected here, now (a Poisson test) --
    # False alarms tolerated per district and week. Each report's group is tested
    # when it grows, so the false-alarm probability per test is this budget divided
    # by the reports a district receives in a week.
    alarms_per_district_week: float = 1.0
    # Before the history says otherwise, a district is assumed to receive this many
    # reports a week (a quiet new district is not tested with a lax level).
    prior_reports_per_district_week: float = 100.0
    # The usual rate of one place × topic before any history: once a day, weighted
    # like one day of observation (a Gamma prior on the Poisson rate).
    prior_rate_per_day: float = 1.0
    prior_days: float = 1.0
    # Windows in which "more than expected" is tested (a fast and a slow incident);
    # the level is shared among them (Bonferroni).
    alert_windows: tuple[timedelta, ...] = (timedelta(hours=1), timedelta(hours=6))
    # Fewer reports than this are never a surge, however rare their place: the
    # product counts an incident from five separate reports (data README, scorer).
    min_cluster: int = 4
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
class DayCounts:
    """One day of background counts (features, place × topic cells, scripts, districts)."""

    df: Counter = field(default_factory=Counter)
    cells: Counter = field(default_factory=Counter)
    scripts: Counter = field(default_factory=Counter)
    districts: Counter = field(default_factory=Counter)


def _subtract(total: Counter, part: Counter) -> None:
    for key, n in part.items():
        left = total[key] - n
        if left > 0:
            total[key] = left
        else:
            del total[key]


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

    def _count(self, at: datetime, feats: dict[str, float], district: str = "") -> None:
        cells = _cells(feats)
        script = _doc_script(feats)
        self.df.update(feats.keys())
        self.cell_df.update(cells)
        self.docs_by_script[script] += 1
        self.docs_by_district[district] += 1
        self.total_docs += 1
        day = at.astimezone(UTC).date()
        bucket = self.days.get(day)
        if bucket is None:
            bucket = self.days[day] = DayCounts()
        bucket.df.update(feats.keys())
        bucket.cells.update(cells)
        bucket.scripts[script] += 1
        bucket.districts[district] += 1
        if self.first_seen_at is None or at < self.first_seen_at:
            self.first_seen_at = at

    def _expire_history(self, now: datetime) -> None:
        # Whole days leave together: a day goes once all of it is older than the history horizon.
        horizon = (now - self.config.history).astimezone(UTC).date()
        for day in sorted(d for d in self.days if d < horizon):
            bucket = self.days.pop(day)
            _subtract(self.df, bucket.df)
            _subtract(self.cell_df, bucket.cells)
            _subtract(self.docs_by_script, bucket.scripts)
            _subtract(self.docs_by_district, bucket.districts)
            self.total_docs -= sum(bucket.scripts.values())

    def _idf(self, feature: str, group: Group | None) -> float:
        inside = group.counts.get(feature, 0) if group else 0
        script = _feature_script(feature)
        seen = self.docs_by_script[script] if script else self.total_docs
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
        scored, candidates = self._candidates(report, feats)
        self._count(report.at, feats, report.district)
        scored = self._with_near_identical(report, candidates, scored)
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

    def match(self, report: Report) -> str | None:
        """The group ``report`` would join now, by the same rule as ``add``, without adding it (None: a new one).

        Same-incident proposals ask this of the scan's own detector, so they agree with the alerts.
        """
        feats = report.features()
        scored, candidates = self._candidates(report, feats)
        scored = self._with_near_identical(report, candidates, scored)
        return scored[0][1] if scored and scored[0][0] >= self.config.join_threshold else None

    def _candidates(self, report: Report, feats: dict[str, float]) -> tuple[list[tuple[float, str]], set[str]]:
        """(score, key) of the joinable groups sharing a feature with the report, best first; and all those keys."""
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
        return scored, candidates

    def _with_near_identical(self, report: Report, candidates: set[str], scored: list) -> list:
        near = self._near_identical_group(report, candidates)
        if near is None:
            return scored
        return [(math.inf, near)] + [item for item in scored if item[1] != near]  # joins whatever its rarity says

    def _near_identical_group(self, report: Report, candidates: set[str]) -> str | None:
        """The group with a report worded almost like this one, in the same place within the hour (cold start)."""
        pairs = _char_pairs(report.text)
        if not pairs:
            return None
        best = None
        for key in candidates:
            group = self.groups[key]
            if not group.size or not self._compatible(report, group, report.at):
                continue
            for member in reversed(group.members):
                if report.at - member.at > self.config.near_window:
                    break
                if (report.district or "") != (member.district or ""):
                    continue
                other = _char_pairs(member.text)
                similarity = len(pairs & other) / len(pairs | other)
                if similarity >= self.config.near_identical and (best is None or similarity > best[0]):
                    best = (similarity, key)
        return best[1] if best else None

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
        """More reports of this place × topic than its usual rate explains, at the set false-alarm rate."""
        return self.surprise(group, now) is not None

    def surprise(self, group: Group, now: datetime) -> tuple[int, float, float] | None:
        """(reports, expected, p-value) of the window where the group is least expected, if it is a surge.

        The reports counted are the group's members in its place × topic cell
        (all its members if it has no shared place); the expected count is the
        cell's usual rate over the window.
        """
        config = self.config
        horizon = max(config.alert_windows)
        if _recent_count(group.members, now - horizon) < config.min_cluster:
            return None
        cell = self.cell(group)
        outside = self._cell_outside(group, cell)
        if outside is None and not self._near_identical_core(group, now):
            return None
        in_cell = group.members if cell is None else self._members_in_cell(group, cell, now - horizon)
        # The usual rate of the cell, per day, with a prior of ``prior_rate_per_day`` weighted as
        # ``prior_days`` of observation (the mean of a Gamma-Poisson posterior).
        outside = outside or 0
        span_days = self._span_days(now)
        rate = (outside + config.prior_rate_per_day * config.prior_days) / (span_days + config.prior_days)
        level = config.alarms_per_district_week / self._reports_per_week(group.district, span_days)
        level /= len(config.alert_windows)
        best = None
        for window in config.alert_windows:
            count = sum(1 for r in in_cell if now - r.at <= window)
            if count < config.min_cluster:
                continue
            expected = rate * window.total_seconds() / 86400
            p_value = poisson_tail(count, expected)
            if p_value <= level and (best is None or p_value < best[2]):
                best = (count, expected, p_value)
        return best

    def _members_in_cell(self, group: Group, cell: tuple[str, str], since: datetime) -> list[Report]:
        """Members that name the cell's place (with its topic, if it has one), or name no place at all."""
        members = []
        for r in group.members:
            if r.at < since:
                continue
            feats = r.features()
            if cell in _cells(feats) or not any(f[0] == "y" for f in feats):
                members.append(r)
        return members

    def cell(self, group: Group) -> tuple[str, str] | None:
        """The group's place × topic: the place most of its recent members name, and their topic if shared."""
        size = group.size
        places = [(n, f) for f, n in group.counts.items() if f[0] == "y" and 2 * n >= size]
        if not places:
            return None
        place = max(places)[1]
        topics = [(n, f) for f, n in group.counts.items() if f[0] == "t" and 2 * n >= size]
        return place, max(topics)[1] if topics else ""

    def _cell_outside(self, group: Group, cell: tuple[str, str] | None) -> int | None:
        """How many reports outside the group, in the history, fall in the group's cell.

        A group without a shared place is measured by the rarest of its key words instead.
        """
        if cell is not None:
            inside = sum(1 for _, feats in group.profile if cell in _cells(feats))
            return max(0, self.cell_df.get(cell, 0) - inside)
        keys = [f for _, f in self._key_features(group, limit=5, current=True)]
        if not keys:
            return None
        return min(max(0, self.df.get(f, 0) - group.counts[f]) for f in keys)

    def _span_days(self, now: datetime) -> float:
        """Days of history the counts cover (at most the history horizon)."""
        span = max(0.0, (now - (self.first_seen_at or now)).total_seconds() / 86400)
        return min(span, self.config.history.total_seconds() / 86400)

    def _reports_per_week(self, district: str, span_days: float) -> float:
        """How many reports a district receives in a week: the history's count, never below the prior."""
        days = max(1.0, span_days)
        if district:
            seen = self.docs_by_district.get(district, 0)
        else:  # a group of unknown place: the average district
            known = [n for d, n in self.docs_by_district.items() if d]
            seen = sum(known) / len(known) if known else 0
        return max(self.config.prior_reports_per_district_week, seen / days * 7)

    def _near_identical_core(self, group: Group, now: datetime) -> bool:
        recent = [r for r in group.members if now - r.at <= self.config.near_window]
        return len(recent) >= self.config.min_cluster

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


def _recent_count(members: list[Report], since: datetime) -> int:
    """Members at or after ``since`` (members are in time order: count from the newest)."""
    count = 0
    for report in reversed(members):
        if report.at < since:
            break
        count += 1
    return count


def _grid_after(at: datetime, step: float) -> datetime:
    """The first tick of the fixed grid (multiples of ``step`` seconds since the epoch) after ``at``."""
    return datetime.fromtimestamp((at.timestamp() // step + 1) * step, tz=at.tzinfo)


def _cells(feats: dict[str, float]) -> list[tuple[str, str]]:
    """The place × topic cells of one report: every place with every topic, and every place alone."""
    places = [f for f in feats if f[0] == "y"]
    topics = [f for f in feats if f[0] == "t"] + [""]
    return [(p, t) for p in places for t in topics]


def poisson_tail(count: int, expected: float) -> float:
    """P(X >= count) for X ~ Poisson(expected)."""
    if count <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = 0.0
    for k in range(count):
        below += term
        term *= expected / (k + 1)
    return max(0.0, 1.0 - below)


@functools.lru_cache(maxsize=8192)
def _char_pairs(text: str) -> frozenset[str]:
    """Character pairs of a text's letters (Chinese characters, lowercase Latin letters and digits)."""
    letters = "".join(ch for ch in text.lower() if ch.isalnum())
    return frozenset(letters[i : i + 2] for i in range(len(letters) - 1))


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
