"""A bounded, per-process cache of each text's vector, so a wall is not embedded on every lookup."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

# What the cache may hold, in bytes of vectors: 16 MiB is 16,384 texts of 256 numbers, far more
# than the ideas of a summit, and the first texts out are those least recently used.
BUDGET_BYTES = 16 * 1024 * 1024


class VectorCache:
    """Vectors by text, least recently used first out, safe to share between threads."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self.capacity: int | None = None  # known once the first vector says its size
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, texts: list[str]) -> list[np.ndarray | None]:
        """Each text's vector, or None where it is not held."""
        found: list[np.ndarray | None] = []
        with self.lock:
            for text in texts:
                vector = self.vectors.get(text)
                if vector is not None:
                    self.vectors.move_to_end(text)
                found.append(vector)
        return found

    def put_many(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep each text's vector, dropping the least recently used beyond the budget."""
        if not texts:
            return
        with self.lock:
            if self.capacity is None:
                self.capacity = max(1, self.budget_bytes // max(1, vectors[0].nbytes))
            for text, vector in zip(texts, vectors, strict=True):
                # A copy, so one row held does not keep its whole batch alive; read-only, so
                # no caller can change what the next one reads.
                kept = np.array(vector, copy=True)
                kept.flags.writeable = False
                self.vectors[text] = kept
                self.vectors.move_to_end(text)
            while len(self.vectors) > self.capacity:
                self.vectors.popitem(last=False)

    def __len__(self) -> int:
        return len(self.vectors)
