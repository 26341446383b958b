"""Held-out figures for the surge detector on a labelled stream (evaluation only; no Django).

The detector never reads the labels (``burst``); this module reads them to
build folds and to score, the way ``shared/tools/score_surges.py`` does:
an alert matches an incident (at least five reports) when at least half of
its reports belong to it and it holds at least half of the incident;
delay = raised_at minus the incident's fifth report.

Folds:

- **leave incidents out**: the incidents are dealt into K folds; each test
  stream holds the background, the near misses and one fold's incidents; the
  one threshold chosen by looking at results (``join_threshold``) is chosen
  on the training stream (the other incidents), never on the test stream.
- **time split** (forward chaining): for each day after the first, the
  threshold is chosen on the days before it, which are also the history the
  detector has when the test day is replayed.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from surges.detector import DetectorConfig, Report, replay

MIN_INCIDENT = 5
# The one grouping threshold re-chosen inside training folds (the alert rule has no tuned constant).
JOIN_GRID = (18.0, 22.0, 26.0)


@dataclass(frozen=True)
class Row:
    at: datetime
    id: str
    district: str
    text: str
    burst: str

    def report(self) -> Report:
        return Report(id=self.id, at=self.at, text=self.text, district=self.district)


@dataclass(frozen=True)
class Score:
    incidents: int
    alerts: int
    matched: int
    found: int
    delays: tuple[float, ...]

    @property
    def precision(self) -> float:
        return self.matched / self.alerts if self.alerts else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.incidents if self.incidents else 1.0

    @property
    def delay(self) -> float:
        return statistics.median(self.delays) if self.delays else float("nan")

    def line(self) -> str:
        return (
            f"incidents={self.incidents:2d} alerts={self.alerts:2d} precision={self.precision:.3f} "
            f"recall={self.recall:.3f} delay_min={self.delay:.1f}"
        )


def rows_read(path: str) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [
            Row(
                at=datetime.fromisoformat(r["at"].replace("Z", "+00:00")),
                id=r["id"],
                district=r.get("district") or "",
                text=r.get("text") or "",
                burst=r.get("burst") or "",
            )
            for r in csv.DictReader(handle)
        ]
    return sorted(rows, key=lambda r: (r.at, r.id))


def score(rows: list[Row], config: DetectorConfig, history: list[Row] = ()) -> Score:
    """Replay ``rows`` (after ``history``, which only feeds the background) and score the alerts."""
    members = defaultdict(list)
    for r in rows:
        if r.burst:
            members[r.burst].append(r.at)
    incidents = {b: sorted(ts) for b, ts in members.items() if not b.startswith("N") and len(ts) >= MIN_INCIDENT}
    label = {r.id: r.burst for r in rows}
    alerts = replay([r.report() for r in rows], config=config, history=[r.report() for r in history])
    matched, best = 0, {}
    for alert in alerts:
        top, count = Counter(label.get(i, "") for i in alert.ids).most_common(1)[0]
        if top in incidents and 2 * count >= len(alert.ids) and 2 * count >= len(incidents[top]):
            matched += 1
            best[top] = min(best.get(top, alert.raised_at), alert.raised_at)
    delays = tuple(max(0.0, (best[b] - incidents[b][MIN_INCIDENT - 1]).total_seconds() / 60) for b in best)
    return Score(len(incidents), len(alerts), matched, len(best), delays)


def _goodness(s: Score) -> tuple:
    """How a threshold is chosen on training rows: precision and recall first, then the faster (in whole beats)."""
    both = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
    return (round(both, 3), -(s.delay // 5 if s.delays else 1e9))


def choose_join(rows: list[Row], config: DetectorConfig, history: list[Row] = ()) -> float:
    """The join threshold of ``JOIN_GRID`` that does best on ``rows``; ties go to the configured one."""
    scored = []
    for join in JOIN_GRID:
        found = score(rows, replace(config, join_threshold=join, merge_threshold=join), history)
        scored.append((_goodness(found), -abs(join - config.join_threshold), join))
    return max(scored)[2]


@dataclass(frozen=True)
class Fold:
    name: str
    join: float
    score: Score


def leave_incidents_out(rows: list[Row], *, folds: int = 4, config: DetectorConfig | None = None) -> list[Fold]:
    config = config or DetectorConfig()
    names = sorted({r.burst for r in rows if r.burst and not r.burst.startswith("N")})
    result = []
    for k in range(folds):
        held = set(names[k::folds])
        train = [r for r in rows if r.burst not in held]
        test = [r for r in rows if not r.burst or r.burst.startswith("N") or r.burst in held]
        join = choose_join(train, config)
        chosen = replace(config, join_threshold=join, merge_threshold=join)
        result.append(Fold(f"incidents {','.join(sorted(held))}", join, score(test, chosen)))
    return result


def time_split(rows: list[Row], *, config: DetectorConfig | None = None) -> list[Fold]:
    config = config or DetectorConfig()
    days = sorted({r.at.date() for r in rows})
    result = []
    for day in days[1:]:
        before = [r for r in rows if r.at.date() < day]
        test = [r for r in rows if r.at.date() == day]
        join = choose_join(before, config)
        chosen = replace(config, join_threshold=join, merge_threshold=join)
        result.append(Fold(f"day {day}", join, score(test, chosen, history=before)))
    return result


def summary(folds: list[Fold]) -> str:
    """Mean and worst fold (worst: lowest precision, lowest recall, longest delay, each on its own)."""
    precision = [f.score.precision for f in folds]
    recall = [f.score.recall for f in folds]
    delays = [f.score.delay for f in folds if f.score.delays]
    return (
        f"mean precision={statistics.mean(precision):.3f} recall={statistics.mean(recall):.3f} "
        f"delay_min={statistics.mean(delays) if delays else float('nan'):.1f}; "
        f"worst precision={min(precision):.3f} recall={min(recall):.3f} "
        f"delay_min={max(delays) if delays else float('nan'):.1f}"
    )
