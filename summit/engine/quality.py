"""How well an engine does on a labelled set of ideas: the two figures that gate its offers.

The set (``bench/synthesis/ideas.json``, or the file the setting ``SYNTHESIS_LABELLED_SET``
names) is ``{"themes": [{"id", "name"}], "ideas": [{"id", "text", "theme", "duplicate_of"}]}``:
ideas written by hand, each with the theme a person gave it, and near-duplicate pairs (an idea
whose ``duplicate_of`` names the earlier idea that says the same thing in other words).

- ``adjusted_rand``: how far the engine's suggested groups agree with the themes, by the
  adjusted Rand index (1 the same grouping, about 0 no better than chance);
- ``near_duplicates_top3``: the share of near-duplicate pairs in which each idea, looked up
  against the rest of the set with ``similar``, finds its partner among the top three; each
  pair is looked up from both ends, and each end counts half.

bench/ imports these functions too, so the console's figures and the benchmark's are one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings

from summit.engine.base import Quality

if TYPE_CHECKING:
    from summit.engine.base import Engine

logger = logging.getLogger(__name__)


def adjusted_rand(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """The adjusted Rand index of two labellings of the same items (Hubert and Arabie, 1985)."""
    if len(truth) != len(predicted):
        raise ValueError("Both labellings must label the same items.")
    if len(truth) < 2:
        return 1.0
    _, rows = np.unique(np.asarray(truth, dtype=object).astype(str), return_inverse=True)
    _, cols = np.unique(np.asarray(predicted, dtype=object).astype(str), return_inverse=True)
    table = np.zeros((rows.max() + 1, cols.max() + 1))
    np.add.at(table, (rows, cols), 1)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1) / 2).sum())

    together = pairs(table)
    in_truth, in_predicted = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = in_truth * in_predicted / pairs(np.array([len(truth)]))
    best = (in_truth + in_predicted) / 2
    if best == expected:
        return 1.0
    return (together - expected) / (best - expected)


def near_duplicates_top3(
    engine: Engine,
    ideas: Sequence[tuple[Hashable, str]],
    pairs: Sequence[tuple[Hashable, Hashable]],
) -> float:
    """The share of looks-ups, from both ends of each pair, that find the partner in the top 3."""
    if not pairs:
        return 0.0
    texts = dict(ideas)
    found = 0
    for one, other in pairs:
        for query, partner in ((one, other), (other, one)):
            rest = [(key, text) for key, text in ideas if key != query]
            top = [key for key, _ in engine.similar(texts[query], rest, k=3)]
            found += partner in top
    return found / (2 * len(pairs))


def load_labelled_set(path: str | Path) -> dict | None:
    """The labelled set at ``path``, or None where it is absent, unreadable or misshapen."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        ideas = {idea["id"]: idea for idea in data["ideas"]}
        themes = {theme["id"] for theme in data["themes"]}
        ok = all(
            isinstance(idea["text"], str)
            and idea["theme"] in themes
            and idea.get("duplicate_of") in (None, *ideas)
            for idea in ideas.values()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data if ok and ideas else None


def measure(engine: Engine, data: dict) -> Quality:
    """How ``engine`` does on a labelled set already loaded."""
    ideas = [(idea["id"], idea["text"]) for idea in data["ideas"]]
    pairs = [
        (idea["id"], idea["duplicate_of"]) for idea in data["ideas"] if idea.get("duplicate_of")
    ]
    group_of = {
        key: number
        for number, group in enumerate(engine.suggest_groups(ideas))
        for key in group.keys
    }
    return Quality(
        adjusted_rand=adjusted_rand(
            [idea["theme"] for idea in data["ideas"]], [group_of[key] for key, _ in ideas]
        ),
        near_duplicates_top3=near_duplicates_top3(engine, ideas, pairs),
        ideas=len(ideas),
        themes=len(data["themes"]),
    )


def labelled_set_path() -> Path | None:
    """Where the labelled set is: the setting ``SYNTHESIS_LABELLED_SET``, else bench/'s."""
    default = Path(settings.BASE_DIR) / "bench" / "synthesis" / "ideas.json"
    path = getattr(settings, "SYNTHESIS_LABELLED_SET", default)
    return Path(path) if path else None


def measure_engine(engine: Engine) -> Quality | None:
    """How ``engine`` does on the labelled set, or None where there is no set to read.

    It embeds the whole set: a fraction of a second with the static model, a few seconds with
    an ONNX model on one thread, once a process (``Engine.quality`` keeps the answer).
    """
    path = labelled_set_path()
    data = load_labelled_set(path) if path is not None else None
    if data is None:
        logger.info("No labelled set of ideas at %s: the engine is not measured.", path)
        return None
    try:
        return measure(engine, data)
    except Exception:
        # Unmeasured, so suggested clusters are not offered; the page that asked still works.
        logger.exception("The engine could not be measured on the labelled set at %s.", path)
        return None
