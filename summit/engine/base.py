"""What every engine does, built on one primitive: the similarity of every pair of texts."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

# Below this similarity, an idea is not offered as "similar" to another (an engine whose
# similarities run on another scale says its own, as ``similar_floor``).
SIMILAR_FLOOR = 0.35
# At or above this, two ideas are offered to a facilitator as a possible duplicate
# (``duplicate_floor``).
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


_measuring = threading.Lock()


class Engine:
    """An engine: subclasses give ``name`` and ``embed``, and may refine ``similarity``."""

    name = "engine"
    similar_floor = SIMILAR_FLOOR
    duplicate_floor = DUPLICATE_FLOOR
    # How this engine did on the labelled set, once measured: (Quality or None,).
    measured: tuple[Quality | None] | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """The similarity of every pair of texts, an n-by-n matrix with 1 on the diagonal."""
        vectors = self.embed(texts)
        return vectors @ vectors.T

    def scores(self, text: str, texts: Sequence[str]) -> np.ndarray:
        """The similarity of one text to each of the others: a row of ``similarity``."""
        vectors = self.embed([text, *texts])
        return vectors[1:] @ vectors[0]

    def similar(
        self, text: str, wall: Sequence[tuple[Hashable, str]], k: int = 3
    ) -> list[tuple[Hashable, float]]:
        """Up to ``k`` ideas of the wall most like ``text``, best first, above the floor."""
        if not wall or not text.strip():
            return []
        scores = self.scores(text, [t for _, t in wall])
        order = np.argsort(-scores, kind="stable")[:k]
        return [(wall[i][0], float(scores[i])) for i in order if scores[i] >= self.similar_floor]

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
            if scores[i] >= self.duplicate_floor
        ]

    def grouping_similarity(self, texts: Sequence[str]) -> np.ndarray:
        """The similarities the groups are made from: ``similarity``, unless an engine knows
        better for a whole wall."""
        return self.similarity(texts)

    def suggest_groups(self, ideas: Sequence[tuple[Hashable, str]]) -> list[Group]:
        """Every idea in one proposed group, largest group first, each with a short label.

        The engine finds how many groups there are (``summit.engine.grouping``); an idea like
        no other is a group of its own. People decide what the groups are: these are offered.
        """
        if not ideas:
            return []
        from summit.engine.grouping import groups_of, linkage

        similarity = self.grouping_similarity([t for _, t in ideas])
        return groups_of(ideas, linkage(similarity), similarity)

    def quality(self) -> Quality | None:
        """How this engine did on the labelled set, measured once a process on first use, or
        None where there is no set to measure it on (``summit.engine.quality``)."""
        if self.measured is None:
            with _measuring:
                if self.measured is None:
                    from summit.engine.quality import measure_engine

                    self.measured = (measure_engine(self),)
        return self.measured[0]

    def offers_suggested_groups(self) -> bool:
        """Whether this engine's groups are good enough to be offered to a facilitator."""
        measured = self.quality()
        return measured is not None and measured.adjusted_rand >= SUGGESTION_FLOOR
