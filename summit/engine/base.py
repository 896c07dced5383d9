"""What every engine does, built on one primitive: the similarity of every pair of texts."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

# Below this similarity, an idea is not offered as "similar" to another.
SIMILAR_FLOOR = 0.35
# At or above this, two ideas are offered to a facilitator as a possible duplicate.
DUPLICATE_FLOOR = 0.55
# Suggested clusters are offered only by an engine whose groups reach this adjusted Rand index
# on the labelled set in bench/.
SUGGESTION_FLOOR = 0.5


@dataclass(frozen=True)
class Group:
    """A proposed group of ideas: a short label and the callers' keys of its ideas."""

    label: str
    keys: tuple[Hashable, ...]


@dataclass(frozen=True)
class Quality:
    """How the engine did on the labelled set: the figures that gate suggested clusters."""

    adjusted_rand: float
    near_duplicates_top3: float
    ideas: int
    themes: int


class Engine:
    """An engine: subclasses give ``name`` and ``embed``, and may refine ``similarity``."""

    name = "engine"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """The similarity of every pair of texts, an n-by-n matrix with 1 on the diagonal."""
        vectors = self.embed(texts)
        return vectors @ vectors.T

    def similar(
        self, text: str, wall: Sequence[tuple[Hashable, str]], k: int = 3
    ) -> list[tuple[Hashable, float]]:
        """Up to ``k`` ideas of the wall most like ``text``, best first, above the floor."""
        if not wall or not text.strip():
            return []
        scores = self.similarity([text, *(t for _, t in wall)])[0, 1:]
        order = np.argsort(-scores, kind="stable")[:k]
        return [(wall[i][0], float(scores[i])) for i in order if scores[i] >= SIMILAR_FLOOR]

    def duplicates(
        self, wall: Sequence[tuple[Hashable, str]], limit: int = 10
    ) -> list[tuple[Hashable, Hashable, float]]:
        """The pairs of the wall most likely to say the same thing, best first."""
        if len(wall) < 2:
            return []
        matrix = self.similarity([t for _, t in wall])
        rows, cols = np.triu_indices(len(wall), k=1)
        scores = matrix[rows, cols]
        order = np.argsort(-scores, kind="stable")[:limit]
        return [
            (wall[rows[i]][0], wall[cols[i]][0], float(scores[i]))
            for i in order
            if scores[i] >= DUPLICATE_FLOOR
        ]

    def suggest_groups(self, ideas: Sequence[tuple[Hashable, str]]) -> list[Group]:
        raise NotImplementedError

    def quality(self) -> Quality | None:
        """How this engine did on the labelled set, or None where it has not been measured."""
        return None

    def offers_suggested_groups(self) -> bool:
        """Whether this engine's groups are good enough to be offered to a facilitator."""
        measured = self.quality()
        return measured is not None and measured.adjusted_rand >= SUGGESTION_FLOOR
