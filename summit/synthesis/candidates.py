"""The themes the engine offers for each cluster or outcome not yet mapped: between the
models and the services.

A cluster is read as its name and the words of its ideas, an outcome as its proposal; a theme
as its name, its description and the words of what is mapped to it already, so a theme grows
easier to find as the day fills it. The engine's similarity of each pair ranks the themes,
and the best three are offered with how alike they are, as a percentage. Nothing is mapped
here: a person confirms one.

The engine is called only from a view, which runs in a worker thread, never on the event
loop (``summit.engine``).
"""

from __future__ import annotations

from summit.engine import get_engine
from summit.synthesis.access import CLUSTER
from summit.synthesis.board import Candidate, IdeaRef, Item, Synthesis, ThemeEntry

OFFERED = 3


def item_text(item: Item, ideas: dict[int, IdeaRef]) -> str:
    """What the engine reads of a cluster (its name and its ideas) or an outcome (its
    proposal)."""
    if item.kind != CLUSTER:
        return item.name
    return "\n".join([item.name, *(ideas[i].text for i in item.ideas if i in ideas)])


def theme_text(entry: ThemeEntry, ideas: dict[int, IdeaRef]) -> str:
    """What the engine reads of a theme: its name, description and what is mapped to it."""
    theme = entry.theme
    return "\n".join([theme.name, theme.description, *(item_text(i, ideas) for i in entry.items)])


def percent(similarity: float) -> int:
    return max(0, min(100, round(similarity * 100)))


def offer_candidates(synthesis: Synthesis) -> None:
    """Set each unmapped item's ``candidates``: up to three themes, most alike first (ties
    to the theme listed first), each at least 1% alike."""
    items, themes = synthesis.unmapped, synthesis.themes
    if not items or not themes:
        return
    texts = [
        *(item_text(i, synthesis.ideas) for i in items),
        *(theme_text(t, synthesis.ideas) for t in themes),
    ]
    matrix = get_engine().similarity(texts)
    for row, item in enumerate(items):
        scores = [float(matrix[row, len(items) + n]) for n in range(len(themes))]
        best = sorted(range(len(themes)), key=lambda n: (-scores[n], n))[:OFFERED]
        item.candidates = [
            Candidate(themes[n].theme.pk, themes[n].theme.name, percent(scores[n]))
            for n in best
            if percent(scores[n]) >= 1
        ]
