"""The default engine: wordllama's small static model, shipped inside its own wheel.

A static model is a table of one vector per token; a text's vector is the mean of its tokens'
vectors (the pooling the model was trained for), so embedding is a table look-up and a sum: a
thousand ideas in under a tenth of a second, with no network and no GPU. The table is 32,000
tokens by 256 numbers, held at half precision (16 MB).

Measured on the labelled set (docs/synthesis.md), mixing in words in common, weighting tokens
by their rarity on the wall and matching word to word gained nothing beyond noise, so this
engine is the model alone; letters are lower-cased first, as sticky notes capitalise at random.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.utils.translation import gettext

from summit.engine.vectors import VectorEngine, unit_rows

CONFIG = "l2_supercat"
DIMENSIONS = 256
SLICE = 256


def load_table() -> tuple[np.ndarray, object]:
    """The model's token table and tokenizer, from the wheel's own folder, never downloaded.

    ``WordLlama.load()`` alone looks for the tokenizer in the wrong folder of the package and
    then downloads it; pointing its cache at the package's folder finds both files there.
    """
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(
        config=CONFIG,
        dim=DIMENSIONS,
        cache_dir=Path(wordllama.__file__).parent,
        disable_download=True,
    )
    tokenizer = model.tokenizer
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # The wheel stores the table at half precision; wordllama widens it to 32 bits on load.
    return model.embedding.astype(np.float16), tokenizer


class StaticEngine(VectorEngine):
    """wordllama's static model, mean-pooled: fast and plain, and far weaker than a sentence
    transformer at telling what two ideas mean."""

    # The similarity reached by about 1 pair in 30 of ideas on different themes (measured on
    # ideas written apart from the labelled set); below it, an idea is no hint.
    similar_floor = 0.25

    def __init__(self) -> None:
        super().__init__()
        self.table, self.tokenizer = load_table()

    @property
    def name(self) -> str:
        return gettext("wordllama %(config)s (%(dimensions)d), a static model") % {
            "config": CONFIG,
            "dimensions": DIMENSIONS,
        }

    def encode(self, texts: list[str]) -> np.ndarray:
        # One text at a time, not the tokenizer's batch call, which starts a pool of threads
        # in every worker; in slices, so the tokens' vectors of a long wall never pile up.
        pooled = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for start in range(0, len(texts), SLICE):
            ids = [
                self.tokenizer.encode(t.lower(), add_special_tokens=False).ids
                for t in texts[start : start + SLICE]
            ]
            for row, token_ids in enumerate(ids, start):
                if token_ids:
                    pooled[row] = self.table[token_ids].mean(axis=0, dtype=np.float32)
        return unit_rows(pooled)
