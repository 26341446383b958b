"""Proposing groups of similar suggestions with the surge detector's text features.

Pure Python over texts: the office confirms (or changes) what this proposes.
"""

from __future__ import annotations

from surges.similarity import pair_scores

# Two suggestions whose mutual similarity (0..1, on the detector's features) reaches this are proposed together.
SIMILARITY_THRESHOLD = 0.45


def propose_clusters(texts: list[str], *, threshold: float = SIMILARITY_THRESHOLD) -> list[list[int]]:
    """Indices of ``texts`` in clusters (single link on mutual similarity), biggest first, then by first index."""
    n = len(texts)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = [[0.0] * n for _ in range(n)]
    for i, text in enumerate(texts):
        others = [t for j, t in enumerate(texts) if j != i]
        background = others
        for (j, _other), score in zip(
            ((j, t) for j, t in enumerate(texts) if j != i), pair_scores(text, others, background), strict=True
        ):
            scores[i][j] = score.similarity
    for i in range(n):
        for j in range(i + 1, n):
            if min(scores[i][j], scores[j][i]) >= threshold:
                parent[root(j)] = root(i)
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(root(i), []).append(i)
    return sorted(clusters.values(), key=lambda c: (-len(c), c[0]))
