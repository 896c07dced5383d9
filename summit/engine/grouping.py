"""Proposed groups: average linkage that stops by itself, and a short label for each group.

Two groups join, most alike first (average linkage: the mean similarity of their ideas), only
while they are clearly more alike than two ideas of the wall taken at random: their average
similarity must stand above the wall's average pair by a medium effect, ``EFFECT`` (Cohen's d of
0.5) of the spread of the wall's pairs. So the number of groups is the wall's own answer, on
any engine's scale of similarity, and an idea like no other stays alone. All of it is
arithmetic on one matrix in a fixed order, so the same wall always gives the same groups.

A test of significance as well (the standard error shrinking as groups grow) was tried and
left out: on a small wall of two or three clear topics, the topics themselves widen the spread
so far that no two ideas passed it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

import numpy as np

from summit.engine.base import Group
from summit.engine.lexical import STOP

# Half a standard deviation: Cohen's customary "medium" effect.
EFFECT = 0.5
LETTERS = re.compile(r"[^\W\d_][\w'-]*[^\W\d_]")
LABEL_WORDS = 3
LABEL_CHARACTERS = 60


def linkage(similarity: np.ndarray) -> np.ndarray:
    """A group number for each row of a square similarity matrix (numbers, not yet in order)."""
    n = len(similarity)
    labels = np.arange(n)
    if n < 2:
        return labels
    pairs = similarity[np.triu_indices(n, k=1)]
    mean, spread = float(pairs.mean()), float(pairs.std())
    if spread < 1e-9:  # every pair alike: all one idea, or nothing to tell apart
        return np.zeros(n, dtype=int) if mean >= 1 - 1e-6 else labels
    joined = _Linkage(similarity, mean + EFFECT * spread)
    while (pair := joined.best_pair()) is not None:
        keep, gone = pair
        joined.merge(keep, gone)
        labels[labels == gone] = keep
    return labels


class _Linkage:
    """The matrix of average similarities between groups, and each row's best eligible partner."""

    def __init__(self, similarity: np.ndarray, bar: float) -> None:
        n = len(similarity)
        self.matrix = similarity.astype(np.float32, copy=True)
        np.fill_diagonal(self.matrix, -np.inf)
        self.size = np.ones(n)
        self.bar = bar
        self.best = np.full(n, -np.inf)
        self.partner = np.zeros(n, dtype=int)
        for row in range(n):
            self.refresh(row)

    def eligible(self, row: int) -> np.ndarray:
        """Row's similarities to every group, where joining would pass the bar; else -inf."""
        values = self.matrix[row]
        return np.where(values >= self.bar, values, -np.inf)

    def refresh(self, row: int) -> None:
        values = self.eligible(row)
        self.partner[row] = int(np.argmax(values))
        self.best[row] = values[self.partner[row]]

    def best_pair(self) -> tuple[int, int] | None:
        row = int(np.argmax(self.best))
        if self.best[row] == -np.inf:
            return None
        other = int(self.partner[row])
        return (row, other) if row < other else (other, row)

    def merge(self, keep: int, gone: int) -> None:
        """Join group ``gone`` into ``keep``: average linkage's weighted mean of their rows."""
        m, size = self.matrix, self.size
        joined = (size[keep] * m[keep] + size[gone] * m[gone]) / (size[keep] + size[gone])
        size[keep] += size[gone]
        m[keep], m[:, keep] = joined, joined
        m[gone], m[:, gone] = -np.inf, -np.inf
        m[keep, keep] = -np.inf
        self.best[gone] = -np.inf
        stale = np.flatnonzero(
            ((self.partner == keep) | (self.partner == gone)) & (self.best > -np.inf)
        )
        self.refresh(keep)
        for row in stale:
            if row != keep:
                self.refresh(int(row))
        # Every other row's best stands; only the joined group may beat it.
        column = np.where(m[:, keep] >= self.bar, m[:, keep], -np.inf)
        better = column > self.best
        better[keep] = False
        self.best[better] = column[better]
        self.partner[better] = keep


def groups_of(
    ideas: Sequence[tuple[Hashable, str]], labels: np.ndarray, similarity: np.ndarray
) -> list[Group]:
    """The groups, largest first (then by their first idea), each labelled; keys in wall order."""
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        members[int(label)].append(index)
    ordered = sorted(members.values(), key=lambda rows: (-len(rows), rows[0]))
    documents = [_words(text) for _, text in ideas]
    frequency = Counter(stem for words in documents for stem in words)
    return [
        Group(
            label=_label(
                [ideas[i][1] for i in _central_first(rows, similarity)],
                [documents[i] for i in rows],
                frequency,
                len(ideas),
            ),
            keys=tuple(ideas[i][0] for i in rows),
        )
        for rows in ordered
    ]


def _central_first(rows: list[int], similarity: np.ndarray) -> list[int]:
    """The group's rows, the idea most like the rest of its group (the nearest the centre)
    first."""
    central = rows[int(np.argmax(similarity[np.ix_(rows, rows)].sum(axis=1)))]
    return [central, *(row for row in rows if row != central)]


def _words(text: str) -> dict[str, str]:
    """The words of a text worth a label, by a crude stem, each with the form it was written in."""
    found: dict[str, str] = {}
    for written in LETTERS.findall(text.casefold().replace("’", "'")):
        word = written.removesuffix("'s")
        if len(word) > 2 and word not in STOP and "'" not in word:  # not "can't", "we're"
            found.setdefault(word[:6], word)
    return found


def _label(
    texts: list[str], documents: list[dict[str, str]], frequency: Counter[str], total: int
) -> str:
    """The words that most set a group apart from the wall, else its central idea (the first).

    A word scores by how many of the group's ideas use it, times how rare it is on the wall
    (its inverse document frequency); a word only one idea of the group uses is no label.
    """
    if len(texts) > 1:
        inside = Counter(stem for words in documents for stem in words)
        scored = sorted(
            (-count * math.log((1 + total) / frequency[stem]), stem)
            for stem, count in inside.items()
            if count >= 2
        )
        chosen = [stem for _, stem in scored[:LABEL_WORDS]]
        if chosen:
            forms = [Counter(words[s] for words in documents if s in words) for s in chosen]
            return ", ".join(min(c, key=lambda w: (-c[w], w)) for c in forms)
    return trimmed(texts[0])


def trimmed(text: str, limit: int = LABEL_CHARACTERS) -> str:
    """A text cut at a word before ``limit`` characters, with an ellipsis where it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"
