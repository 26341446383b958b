"""The routing engine as a pure function: rules first, then the suggester.

No database access here, so the portal (``routing.services``), the
evaluation command and the benchmark all run exactly the same decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from routing.rules import CaseInput, RuleMatcher, RuleSpec
from routing.suggester import Suggester


@dataclass(frozen=True)
class Decision:
    """Where a case goes (``department`` None = triage) and why."""

    source: str  # "rule" | "model" | "category" | "none"
    department: str | None
    rule: RuleSpec | None = None
    suggestions: tuple[tuple[str, float], ...] = ()
    confidence: float | None = None
    model_version: str = ""
    # The office of the category the citizen chose (None: no category, or one without an office).
    citizen_office: str | None = None

    def payload(self) -> dict:
        """The shape recorded on the routing CaseEvent (the triage page reads it)."""
        return {
            "source": self.source,
            "rule_id": self.rule.id if self.rule else None,
            "rule_name": self.rule.name if self.rule else None,
            "suggestions": [{"department": code, "score": round(score, 4)} for code, score in self.suggestions],
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "citizen_office": self.citizen_office,
        }


def decide(
    *,
    case: CaseInput,
    title: str,
    text: str,
    matcher: RuleMatcher | None,
    suggester: Suggester | None,
    category_department: str | None = None,
    active_departments: frozenset[str] | None = None,
) -> Decision:
    """Rules, then the model above its cut, then the category's default office, else triage.

    ``category_department`` is the office of the category the citizen chose:
    the model weighs it as it learned to, and a dispatch against it needs the
    model's higher cut. The category's office is taken as such only when a
    model without that learning is unsure and agrees with it (its first
    suggestion), or when there is no model. The
    confidence recorded is the model's calibrated sureness.
    """
    suggestions: tuple[tuple[str, float], ...] = ()
    version = ""
    sureness = None
    citizen = category_department
    if suggester is not None:
        ranked = suggester.suggest(
            title, text, case.kind, top=3 if active_departments is None else 6, citizen_office=citizen
        )
        if active_departments is not None:
            ranked = [(code, score) for code, score in ranked if code in active_departments]
        suggestions = tuple(ranked[:3])
        version = suggester.version
        sureness = suggester.sureness(suggestions) if suggestions else None
    rule = matcher.match(case) if matcher is not None else None
    if rule is not None:
        return Decision("rule", rule.lead, rule, suggestions, None, version, citizen)
    if suggestions and suggester.confident(suggestions, citizen_office=citizen):
        return Decision("model", suggestions[0][0], None, suggestions, sureness, version, citizen)
    # A model that learned how far to trust the citizen's choice has weighed it already: no second vote.
    learned = suggester is not None and suggester.cut is not None
    if category_department and not learned and (not suggestions or suggestions[0][0] == category_department):
        return Decision("category", category_department, None, suggestions, sureness, version, citizen)
    return Decision("none", None, None, suggestions, sureness, version, citizen)
