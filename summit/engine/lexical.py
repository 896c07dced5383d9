"""Lexical similarity: the words two ideas share, weighted by how rare they are on the wall."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext

from summit.engine.base import Engine

WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "all",
        "also",
        "any",
        "do",
        "does",
        "not",
        "no",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case words, without the commonest, each cut to a crude stem."""
    return [w[:6] for w in WORD.findall(text.lower()) if w not in STOP]


def tfidf(texts: Sequence[str]) -> np.ndarray:
    """One row of unit length per text, over the words of all the texts."""
    counted = [Counter(words(t)) for t in texts]
    vocabulary = {w: i for i, w in enumerate(sorted({w for c in counted for w in c}))}
    matrix = np.zeros((len(texts), max(1, len(vocabulary))), dtype=np.float32)
    for row, counts in enumerate(counted):
        for word, n in counts.items():
            matrix[row, vocabulary[word]] = 1.0 + np.log(n)
    documents = np.count_nonzero(matrix, axis=0)
    matrix *= np.log((1 + len(texts)) / (1 + documents)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class LexicalEngine(Engine):
    """Words alone: fast and plain, with no model."""

    @property
    def name(self) -> str:
        return gettext("words in common (TF-IDF)")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return tfidf(texts)
