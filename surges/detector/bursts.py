"""When a group is a burst: its key features, its surprise against the background rate, its place cell."""

from __future__ import annotations

from datetime import datetime

from surges.detector.records import Group, Report, _cells, _recent_count, poisson_tail


class BurstTests:
    """Methods of ``SurgeDetector`` that decide whether a group is a surge."""

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
