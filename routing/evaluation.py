"""Measuring the engine on a labelled CSV (the routing-dev.csv format).

Cross-validation keeps the measurement honest: each row is decided by a
suggester trained without it (its threshold chosen inside the training folds
too); the rules come from the duty catalogue, written without the file.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from routing import catalogue
from routing import suggester as suggester_mod
from routing.demo import DISTRICTS
from routing.engine import Decision, decide
from routing.rules import CaseInput, RuleMatcher, RuleSpec, keywords_parse

DISTRICT_CODES = {zh: code for code, zh, _en in DISTRICTS} | {code: code for code, _zh, _en in DISTRICTS}
COLUMNS = ("id", "title", "text", "department")


@dataclass
class Row:
    id: str
    title: str
    text: str
    kind: str
    district: str
    department: str

    def case(self) -> CaseInput:
        return CaseInput.build(title=self.title, text=self.text, kind=self.kind, district=self.district)


def rows_read(path: str, *, labelled: bool = True) -> list[Row]:
    """Rows of a routing CSV. Raises ValueError naming what is missing."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = COLUMNS if labelled else COLUMNS[:3]
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return [
            Row(
                id=r["id"],
                title=r.get("title") or "",
                text=r.get("text") or "",
                kind=(r.get("kind") or "").strip(),
                district=DISTRICT_CODES.get((r.get("district") or "").strip(), ""),
                department=(r.get("department") or "").strip(),
            )
            for r in reader
        ]


def catalogue_rules() -> list[RuleSpec]:
    """The demo rules exactly as ``seed_demo`` writes them."""
    return [
        RuleSpec(
            id=None,
            name=rule["name"],
            order=(position + 1) * 10,
            lead=rule["lead"],
            any=keywords_parse(rule.get("any", ())),
            all=keywords_parse(rule.get("all", ())),
            none=keywords_parse(rule.get("none", ())),
        )
        for position, rule in enumerate(catalogue.RULES)
    ]


def train_rows(rows: list[Row], **options) -> suggester_mod.Suggester:
    return suggester_mod.train([(r.title, r.text, r.kind) for r in rows], [r.department for r in rows], **options)


def decide_rows(rows: list[Row], matcher: RuleMatcher | None, model) -> list[Decision]:
    return [decide(case=r.case(), title=r.title, text=r.text, matcher=matcher, suggester=model) for r in rows]


def cross_validated(rows: list[Row], matcher: RuleMatcher | None, *, folds: int = 5, seed: int = 0, **options):
    from sklearn.model_selection import StratifiedKFold

    decisions: list[Decision | None] = [None] * len(rows)
    labels = np.asarray([r.department for r in rows])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(len(rows)), labels):
        model = train_rows([rows[i] for i in train_idx], **options)
        for i, decision in zip(test_idx, decide_rows([rows[i] for i in test_idx], matcher, model), strict=True):
            decisions[i] = decision
    return decisions


@dataclass
class Report:
    items: int
    dispatched: int
    right: int
    right_if_all: int
    per_department: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    by_source: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.right / self.dispatched if self.dispatched else 0.0

    @property
    def triage(self) -> float:
        return 1 - self.dispatched / self.items if self.items else 0.0


def report_build(rows: list[Row], decisions: list[Decision]) -> Report:
    dispatched = [(r, d) for r, d in zip(rows, decisions, strict=True) if d.department]
    right = sum(d.department == r.department for r, d in dispatched)
    # "If everything were dispatched": triage cases go to the first suggestion.
    forced = [d.department or (d.suggestions[0][0] if d.suggestions else "") for d in decisions]
    right_if_all = sum(f == r.department for f, r in zip(forced, rows, strict=True))
    per_department = {}
    for code in sorted({r.department for r in rows}):
        sent = [r for r, d in dispatched if d.department == code]
        truly = [(r, d) for r, d in zip(rows, decisions, strict=True) if r.department == code]
        precision = sum(r.department == code for r in sent) / len(sent) if sent else 0.0
        recall = sum(d.department == code for _r, d in truly) / len(truly) if truly else 0.0
        per_department[code] = (precision, recall, len(truly))
    confusions = Counter((r.department, d.department) for r, d in dispatched if d.department != r.department)
    by_source: dict[str, list[int]] = {}
    for r, d in zip(rows, decisions, strict=True):
        counts = by_source.setdefault(d.source, [0, 0])
        counts[0] += 1
        counts[1] += d.department == r.department
    return Report(
        items=len(rows),
        dispatched=len(dispatched),
        right=right,
        right_if_all=right_if_all,
        per_department=per_department,
        confusions=[(a, b, n) for (a, b), n in confusions.most_common(10)],
        by_source={k: (v[0], v[1]) for k, v in by_source.items()},
    )
