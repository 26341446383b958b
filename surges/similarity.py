"""Pairwise similarity between one report and others, on the detector's features.

Pure Python, used to propose same-incident links for a single case.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from surges.detector import DetectorConfig
from surges.text import display_word, features


@dataclass(frozen=True)
class PairScore:
    raw: float
    similarity: float
    shared: tuple[str, ...]


def pair_scores(target: str, others: list[str], background: list[str], *, top: int | None = None) -> list[PairScore]:
    """Score ``target`` against each of ``others``; rarity is measured over ``background``.

    ``raw`` is on the detector's scale (it joins a group at
    ``DetectorConfig.join_threshold``); ``similarity`` is raw divided by what
    the target would score against itself, in 0..1.
    """
    top = top or DetectorConfig().top_features
    # Like the detector, rarity leaves out the reports being compared: what an
    # incident repeats must not make itself common.
    df: Counter = Counter()
    for text in background:
        df.update(features(text).keys())
    total = len(background) + 1
    mine = features(target)
    chinese = any(f.startswith("b:") for f in mine)

    def contribution(f: str, weight: float) -> float:
        return weight * math.log((total + 1) / (df.get(f, 0) + 1))

    usable = {f: w for f, w in mine.items() if not (chinese and f.startswith("y:"))}
    self_score = sum(sorted((contribution(f, w) for f, w in usable.items()), reverse=True)[:top]) or 1.0
    results = []
    for text in others:
        theirs = features(text)
        parts = sorted(((contribution(f, w), f) for f, w in usable.items() if f in theirs), reverse=True)[:top]
        raw = sum(p for p, _ in parts)
        shared = tuple(dict.fromkeys(display_word(f) for _, f in parts if f[0] in "pw"))[:5]
        results.append(PairScore(raw=raw, similarity=min(1.0, raw / self_score), shared=shared))
    return results
