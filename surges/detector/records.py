"""What the detector reads and keeps: reports, its settings, groups, alerts, and the small helpers on them."""

from __future__ import annotations

import functools
import math
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from surges.text import TOPICS, features

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
