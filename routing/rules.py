"""Routing rules compiled into one matcher, and static checks on rule sets.

A rule set is compiled once (``RuleMatcher``) and then matches a case with one
pass over its text, however many rules there are: every keyword of every rule
is in one set, looked up by first character and length, so the set of
keywords present is exact (as if each were tested with ``in``). Only the
rules indexed under a present keyword (plus rules without positive keywords)
are then checked, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal.geo import contains

KEYWORD_SPLIT = re.compile(r"[,，、;；\n\r]+")


def keywords_parse(raw: str | Iterable[str]) -> tuple[str, ...]:
    """Keywords from an admin field (or a list): trimmed, lowercased, unique, in order."""
    items = KEYWORD_SPLIT.split(raw) if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for item in items:
        word = item.strip().lower()
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


@dataclass(frozen=True)
class RuleSpec:
    """A rule as the matcher sees it; built from a ``RoutingRule`` row or the catalogue."""

    id: int | None
    name: str
    order: int
    lead: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    category_id: int | None = None
    district: str | None = None
    kind: str | None = None
    co: tuple[str, ...] = ()
    priority: str = ""
    deadline_policy: str = ""
    # A prepared shapely geometry (``portal.geo``): the case's point must lie inside.
    area: Any = None


@dataclass(frozen=True)
class CaseInput:
    """What routing looks at: the text, and the case's category path, district and kind."""

    text: str
    kind: str = ""
    district: str = ""
    category_path: frozenset[int] = field(default_factory=frozenset)
    point: tuple[float, float] | None = None  # (latitude, longitude), WGS-84

    @classmethod
    def build(
        cls, *, title: str, text: str, kind: str = "", district: str = "", category_path=(), point=None
    ) -> CaseInput:
        return cls(f"{title}\n{text}".lower(), kind or "", district or "", frozenset(category_path), point)


def _conditions_hold(rule: RuleSpec, case: CaseInput, present: set[str]) -> bool:
    if rule.category_id is not None and rule.category_id not in case.category_path:
        return False
    if rule.district and rule.district != case.district:
        return False
    if rule.kind and rule.kind != case.kind:
        return False
    if rule.area is not None and (case.point is None or not contains(rule.area, *case.point)):
        return False
    if rule.any and not any(k in present for k in rule.any):
        return False
    if rule.all and not all(k in present for k in rule.all):
        return False
    return not any(k in present for k in rule.none)


class KeywordScanner:
    """Finds every keyword of a fixed set that occurs in a text, in one pass.

    For each position it looks up only the lengths that keywords starting with
    that character have, so the cost grows with the text, hardly with the
    number of keywords.
    """

    def __init__(self, keywords: Iterable[str]) -> None:
        self.words = frozenset(keywords)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[0], set()).add(len(word))
        self.lengths = {char: tuple(sorted(ls)) for char, ls in lengths.items()}

    def present(self, text: str) -> set[str]:
        found: set[str] = set()
        words, lengths = self.words, self.lengths
        for i, char in enumerate(text):
            for length in lengths.get(char, ()):
                candidate = text[i : i + length]
                if candidate in words:
                    found.add(candidate)
        return found


class RuleMatcher:
    """An ordered rule set, compiled. ``match`` returns the first rule that holds, or None."""

    def __init__(self, rules: Iterable[RuleSpec]) -> None:
        self.rules = sorted(rules, key=lambda r: (r.order, r.id or 0))
        self.always: list[int] = []
        self.index: dict[str, list[int]] = {}
        for position, rule in enumerate(self.rules):
            anchors = rule.all[:1] if rule.all else rule.any
            if not anchors:
                self.always.append(position)
            for word in anchors:
                self.index.setdefault(word, []).append(position)
        words = {w for r in self.rules for w in (*r.any, *r.all, *r.none)}
        self.scanner = KeywordScanner(words)

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, case: CaseInput) -> RuleSpec | None:
        present = self.scanner.present(case.text)
        candidates = set(self.always)
        for word in present:
            candidates.update(self.index.get(word, ()))
        for position in sorted(candidates):
            rule = self.rules[position]
            if _conditions_hold(rule, case, present):
                return rule
        return None


# Static checks ---------------------------------------------------------------


def rule_never_matches(rule: RuleSpec) -> bool:
    """True when no text can satisfy the rule's keywords.

    A "none of" keyword contained in a required keyword excludes every text
    that has the required one; "any of" fails when every choice is excluded.
    """

    def excluded(word: str) -> bool:
        return any(n in word for n in rule.none)

    if any(excluded(w) for w in rule.all):
        return True
    return bool(rule.any) and all(excluded(w) for w in rule.any)


def _always_present(word: str, rule: RuleSpec) -> bool:
    """Is ``word`` in every text that ``rule`` matches?"""
    if any(word in w for w in rule.all):
        return True
    return bool(rule.any) and all(word in w for w in rule.any)


def rule_covers(earlier: RuleSpec, later: RuleSpec, category_ancestors: dict[int, frozenset[int]]) -> bool:
    """True when every case ``later`` matches is matched by ``earlier`` (a sound, conservative test)."""
    if earlier.category_id is not None:
        if later.category_id is None or earlier.category_id not in category_ancestors.get(later.category_id, ()):
            return False
    if earlier.district and earlier.district != later.district:
        return False
    if earlier.kind and earlier.kind != later.kind:
        return False
    if earlier.area is not None and earlier.area is not later.area:
        return False  # comparing two areas is not worth it: an area rule never shadows another
    if not all(_always_present(w, later) for w in earlier.all):
        return False
    if earlier.any:
        some_always = any(_always_present(w, later) for w in earlier.any)
        each_choice = bool(later.any) and all(any(e in w for e in earlier.any) for w in later.any)
        if not (some_always or each_choice):
            return False
    # A text without m also lacks every keyword that contains m.
    return all(any(m in n for m in later.none) for n in earlier.none)


def rule_problems(rules: list[RuleSpec], category_ancestors: dict[int, frozenset[int]]) -> dict[int, str]:
    """Flags per rule position: "never" (can never match) or "shadowed:<name>" (an earlier rule takes all)."""
    ordered = sorted(range(len(rules)), key=lambda i: (rules[i].order, rules[i].id or 0))
    problems: dict[int, str] = {}
    seen: list[int] = []
    for i in ordered:
        rule = rules[i]
        if rule_never_matches(rule):
            problems[i] = "never"
        else:
            for j in seen:
                if j not in problems and rule_covers(rules[j], rule, category_ancestors):
                    problems[i] = f"shadowed:{rules[j].name}"
                    break
        seen.append(i)
    return problems
