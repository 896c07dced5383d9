"""What engines built on a model share: one vector a text, cached, and groups from the vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summit.engine.base import Engine
from summit.engine.cache import VectorCache

# From this many ideas, what the wall's ideas all share is taken out before they are grouped.
CENTRED_FROM = 8


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (a row of zeros stays zeros)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32, copy=False)


class VectorEngine(Engine):
    """An engine whose model gives each text one vector, whatever the other texts are.

    Subclasses give ``encode``; each text's vector is then kept in a bounded cache of this
    process, so looking a new idea up against a wall of a thousand embeds the new idea alone.
    """

    def __init__(self) -> None:
        self.cache = VectorCache()

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row of unit length per text, from the model (no cache)."""
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        found = self.cache.get_many(texts)
        missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
        if missing:
            fresh = self.encode(missing)
            self.cache.put_many(missing, fresh)
            made = dict(zip(missing, fresh, strict=True))
            found = [made[t] if v is None else v for t, v in zip(texts, found, strict=True)]
        if not found:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(found)

    def grouping_similarity(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity once what every idea of the wall shares is taken out.

        Ideas written at one summit share a great deal (the place, the services, the register);
        subtracting the wall's mean vector leaves what sets each apart, which is what themes
        are made of (as SIF embeddings remove the common component, Arora et al. 2017).
        """
        vectors = self.embed(texts)
        if len(vectors) >= CENTRED_FROM:
            vectors = unit_rows(vectors - vectors.mean(axis=0))
        return vectors @ vectors.T
