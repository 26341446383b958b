"""A trained suggester as plain arrays: ranking departments for one case costs a row gather, no scikit-learn."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from routing.suggester.features import features


@dataclass
class Suggester:
    """A trained model as plain arrays; ``suggest`` ranks departments for one case."""

    classes: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (n_features, n_classes), so one case costs a row gather
    intercept: np.ndarray
    threshold: float
    version: str = ""
    meta: dict = field(default_factory=dict)
    # The catalogue-only model, blended in: history refines the catalogue, it does not replace it.
    prior: Suggester | None = None
    prior_weight: float = 0.0
    # Dispatch also needs the first choice this far ahead of the second (0 = no such condition): when
    # measured out of fold to rank right from wrong better than the top score, the threshold is 0 and
    # this decides. Models saved before it existed read the class default.
    min_margin: float = 0.0
    # -- models trained since issue 16 (older files read these class defaults and keep the two cuts above) --
    # How far the citizen's own choice of category is trusted: its office's score is multiplied by
    # exp(category_weight) before normalising (0 = ignored). Learned out of fold from rows that carry it.
    category_weight: float = 0.0
    # The measure of sureness ("top" score or "margin" over the second), mapped to the probability of
    # being right by an isotonic fit on out-of-fold predictions (x ascending, y the calibrated value).
    measure: str = "top"
    calibration: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    # Dispatch when the calibrated sureness reaches ``cut``; against the citizen's own choice, ``against_cut``.
    cut: float | None = None
    against_cut: float | None = None

    def sureness(self, ranked: list[tuple[str, float]] | tuple[tuple[str, float], ...]) -> float:
        """The calibrated probability that the first of ``ranked`` is right (the raw measure if uncalibrated)."""
        if not ranked:
            return 0.0
        top = ranked[0][1]
        value = top - (ranked[1][1] if len(ranked) > 1 else 0.0) if self.measure == "margin" else top
        if self.calibration is None:
            return value
        xs, ys = self.calibration
        return float(np.interp(value, xs, ys))

    def confident(
        self, ranked: list[tuple[str, float]] | tuple[tuple[str, float], ...], citizen_office: str | None = None
    ) -> bool:
        """Whether the first of ``ranked`` (best first) is sure enough to dispatch without triage.

        Going against the office of the category the citizen chose needs the higher ``against_cut``.
        """
        if not ranked:
            return False
        if self.cut is not None:
            against = bool(citizen_office) and ranked[0][0] != citizen_office
            needed = max(self.cut, self.against_cut or 0.0) if against else self.cut
            return self.sureness(ranked) >= needed
        top = ranked[0][1]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        return top >= self.threshold and top - second >= self.min_margin

    def scores(self, tokens: list[str]) -> np.ndarray:
        all_counts = Counter(tokens)
        own = self._own_scores(all_counts)
        if self.prior is None or not self.prior_weight:
            return own
        return (1 - self.prior_weight) * own + self.prior_weight * self.prior._own_scores(all_counts)

    def _own_scores(self, tokens: list[str] | Counter) -> np.ndarray:
        if not isinstance(tokens, Counter):
            tokens = Counter(tokens)
        vocabulary = self.vocabulary
        counts = {t: n for t, n in tokens.items() if t in vocabulary}
        if not counts:
            logits = self.intercept
        else:
            idx = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
            weights = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
            weights *= self.idf[idx]
            weights /= np.sqrt(weights @ weights)
            logits = weights @ self.coef[idx] + self.intercept
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def suggest(
        self, title: str, text: str, kind: str = "", top: int = 3, citizen_office: str | None = None
    ) -> list[tuple[str, float]]:
        probabilities = with_citizen_choice(
            self.scores(features(title, text, kind)), self.classes, citizen_office, self.category_weight
        )
        order = np.argsort(-probabilities)[:top]
        return [(self.classes[i], float(probabilities[i])) for i in order]


def with_citizen_choice(probabilities: np.ndarray, classes: list[str], office: str | None, weight: float) -> np.ndarray:
    """The scores with the citizen's chosen office multiplied by exp(weight), normalised again."""
    if not office or not weight or office not in classes:
        return probabilities
    adjusted = probabilities.copy()
    adjusted[classes.index(office)] *= math.exp(weight)
    return adjusted / adjusted.sum()
