"""Which group a report joins: background rarity of features, the shared rare mass, near-identical texts, merges."""

from __future__ import annotations

import math
from collections import deque
from datetime import UTC, datetime

from surges.detector.records import (
    TOPIC_FEATURES,
    DayCounts,
    Group,
    Report,
    _cells,
    _char_pairs,
    _doc_script,
    _feature_script,
    _subtract,
)


class GroupMatching:
    """Methods of ``SurgeDetector`` that count features and place a report in a group."""

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
