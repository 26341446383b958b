"""Rates from facts, the per-department KPI rows and the ranking with its minimum sample."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from oversight.kpis.facts import FACT_FIELDS, INVERSE_RATES, LIVE_FIELDS, RATES, min_sample, period_facts
from oversight.kpis.handling import histogram_summary, period_histograms


@dataclass
class Rate:
    key: str
    label: str
    formula: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass
class KpiRow:
    department_id: int | None
    facts: dict
    rates: dict[str, Rate] = field(default_factory=dict)
    median_hours: float | None = None
    p90_hours: float | None = None
    handled: int = 0
    histogram: dict = field(default_factory=dict)

    @property
    def sample(self) -> int:
        """Cases the department was judged on: the larger of decided sign-fors and assignments."""
        return max(self.facts.get("assigned", 0), self.facts.get("signfor_done", 0))

    @property
    def is_ranked(self) -> bool:
        return self.sample >= min_sample()


def rates_from(facts: dict) -> dict[str, Rate]:
    return {
        key: Rate(key, str(label), str(formula), facts.get(num, 0), sum(facts.get(d, 0) for d in dens))
        for key, label, num, dens, formula in RATES
    }


def department_kpis(first_day: date, last_day: date, *, now: datetime | None = None, departments=None) -> dict:
    """``{dept_id: KpiRow}`` plus ``None`` for the whole city. A bounded number of queries."""
    facts = period_facts(first_day, last_day, now=now, departments=departments)
    histograms = period_histograms(first_day, last_day, now=now, departments=departments)
    percentiles = {dept: histogram_summary(hist) for dept, hist in histograms.items()}
    rows: dict = {}
    city = dict.fromkeys(FACT_FIELDS + LIVE_FIELDS, 0)
    for dept in set(facts) | set(percentiles):
        row = KpiRow(dept, dict(facts.get(dept, dict.fromkeys(FACT_FIELDS + LIVE_FIELDS, 0))))
        row.rates = rates_from(row.facts)
        row.handled, row.median_hours, row.p90_hours = percentiles.get(dept, (0, None, None))
        rows[dept] = row
        for name in city:
            city[name] += row.facts.get(name, 0)
    city_row = KpiRow(None, city, rates_from(city))
    city_hist: dict = defaultdict(int)
    for hist in histograms.values():
        for bucket, n in hist.items():
            city_hist[bucket] += n
    city_row.handled, city_row.median_hours, city_row.p90_hours = histogram_summary(city_hist)
    city_row.histogram = dict(city_hist)
    rows[None] = city_row
    return rows


# --- handling-time histograms -----------------------------------------------------------------------------------------
def ranking(rows: dict, *, by: str = "on_time_reply") -> tuple[list[KpiRow], list[KpiRow]]:
    """Departments with enough cases ranked best first, and the rest listed apart (not ranked)."""
    departments = [r for key, r in rows.items() if key is not None]
    ranked = [r for r in departments if r.is_ranked]
    apart = sorted((r for r in departments if not r.is_ranked), key=lambda r: -r.sample)
    reverse = by not in INVERSE_RATES

    def score(r: KpiRow):
        v = r.rates[by].value
        return (v is not None, v if v is not None else 0)

    ranked.sort(key=score, reverse=reverse)
    if not reverse:  # lower is better, but rows without a figure still go last
        ranked.sort(key=lambda r: r.rates[by].value is None)
    return ranked, apart
