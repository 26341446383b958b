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

from city import catalogue
from city.catalogue import DISTRICTS
from routing import suggester as suggester_mod
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
    # The office of the category the citizen chose ("" = not sure); the file has none, see ``citizens_simulate``.
    citizen_office: str = ""

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
    offices = [r.citizen_office for r in rows] if any(r.citizen_office for r in rows) else None
    return suggester_mod.train(
        [(r.title, r.text, r.kind) for r in rows], [r.department for r in rows], offices=offices, **options
    )


def decide_rows(rows: list[Row], matcher: RuleMatcher | None, model) -> list[Decision]:
    return [
        decide(
            case=r.case(),
            title=r.title,
            text=r.text,
            matcher=matcher,
            suggester=model,
            category_department=r.citizen_office or None,
        )
        for r in rows
    ]


# Texts sharing at least this share of their character pairs are near-duplicates: one fold holds them all.
NEAR_DUPLICATE = 0.4


def near_duplicate_groups(rows: list[Row]) -> list[int]:
    """A group number per row; rows whose texts are near-duplicates (transitively) share one."""
    pairs = [_char_pairs(f"{r.title}{r.text}") for r in rows]
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            a, b = pairs[i], pairs[j]
            if a and b and len(a & b) >= NEAR_DUPLICATE * len(a | b):
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(rows))]


def _char_pairs(text: str) -> frozenset[str]:
    letters = "".join(ch for ch in text.lower() if ch.isalnum())
    return frozenset(letters[i : i + 2] for i in range(len(letters) - 1))


def cross_validated(
    rows: list[Row],
    matcher: RuleMatcher | None,
    *,
    folds: int = 5,
    seed: int = 0,
    grouped: bool = False,
    fold_of: list[int] | None = None,
    **options,
):
    """Each row decided by a suggester trained on the other folds (stratified; near-duplicates kept together
    when ``grouped``). ``fold_of``, if given, is filled with each row's fold number."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    decisions: list[Decision | None] = [None] * len(rows)
    labels = np.asarray([r.department for r in rows])
    if grouped:
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(np.zeros(len(rows)), labels, groups=near_duplicate_groups(rows))
    else:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(rows)), labels)
    if fold_of is not None:
        fold_of[:] = [0] * len(rows)
    for number, (train_idx, test_idx) in enumerate(splits):
        model = train_rows([rows[i] for i in train_idx], **options)
        for i, decision in zip(test_idx, decide_rows([rows[i] for i in test_idx], matcher, model), strict=True):
            decisions[i] = decision
            if fold_of is not None:
                fold_of[i] = number
    return decisions


# -- the citizen's own choice, simulated (the labelled file does not record one) ---------------------------
# Assumed shares: the citizen picks a category of the right office, or of a plausible wrong one (the office the
# duty catalogue alone ranks first among the wrong ones), or says "not sure". Stated, not measured.
CITIZEN_RIGHT = 0.6
CITIZEN_WRONG = 0.15


def citizens_simulate(rows: list[Row], *, seed: int = 0, right: float = CITIZEN_RIGHT, wrong: float = CITIZEN_WRONG):
    """Give each row a citizen's chosen office (in place), reproducibly from ``seed`` and the row id."""
    import random

    catalogue_model = suggester_mod.catalogue_only()
    for r in rows:
        draw = random.Random(f"{seed}:{r.id}").random()
        if draw < right:
            r.citizen_office = r.department
        elif draw < right + wrong:
            ranked = catalogue_model.suggest(r.title, r.text, r.kind, top=2)
            r.citizen_office = next(code for code, _score in ranked if code != r.department)
        else:
            r.citizen_office = ""


def fold_figures(rows: list[Row], decisions: list[Decision], fold_of: list[int]) -> list[tuple[float, float, int]]:
    """(accuracy of the dispatched, share sent to triage, rows) of each fold."""
    figures = []
    for number in sorted(set(fold_of)):
        index = [i for i, f in enumerate(fold_of) if f == number]
        report = report_build([rows[i] for i in index], [decisions[i] for i in index])
        figures.append((report.accuracy, report.triage, len(index)))
    return figures


# Bins of the reliability table: calibrated sureness of the model's first choice against the share right.
RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)


def reliability(rows: list[Row], decisions: list[Decision]) -> list[tuple[float, float, int, float, float]]:
    """(low, high, cases, mean sureness, share whose first choice is right) per bin, over every case the
    model scored (dispatched or not; rule decisions left out)."""
    scored = [
        (d.confidence, d.suggestions[0][0] == r.department)
        for r, d in zip(rows, decisions, strict=True)
        if d.source != "rule" and d.confidence is not None and d.suggestions
    ]
    table = []
    for low, high in zip(RELIABILITY_BINS, RELIABILITY_BINS[1:], strict=False):
        inside = [(c, ok) for c, ok in scored if low <= c < high]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            table.append((low, min(high, 1.0), len(inside), mean, sum(ok for _, ok in inside) / len(inside)))
    return table


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
