"""The engine that finds ideas alike in meaning: on this server, offline and deterministic.

Nobody's words leave the server. One engine is loaded per worker process, lazily and once, the
first time it is asked for (never at import, never on the event loop: callers are views, which
run in a worker thread, or consumers that use ``asyncio.to_thread``).

The interface is small, and every caller uses only this module's names:

- ``get_engine()`` gives the engine in use; ``engine.name`` says which, for the console;
- ``engine.embed(texts)`` gives one row of unit length per text;
- ``engine.similar(text, wall, k)`` gives the ``k`` ideas of a wall most like a text;
- ``engine.duplicates(wall, limit)`` gives the pairs of a wall most likely to say one thing;
- ``engine.suggest_groups(ideas)`` proposes groups, each with a label;
- ``engine.quality()`` says how the engine did on the labelled set (measured once a process),
  and ``engine.offers_suggested_groups()`` whether its groups are good enough to offer.

Which engine: ``summit.engine.choice`` (a setting, an ONNX model an operator chose, wordllama's
static model, or words in common); docs/synthesis.md says how each works and how it is measured.

A wall or a list of ideas is a sequence of ``(key, text)`` pairs; the key is the caller's own
(an idea's primary key, say) and comes back unchanged.
"""

from __future__ import annotations

import threading

from summit.engine.base import Engine, Group, Quality

__all__ = ["Engine", "Group", "Quality", "get_engine", "reset_engine"]

_lock = threading.Lock()
_engine: Engine | None = None


def get_engine() -> Engine:
    """The engine this process uses, loaded on first use (settings say which)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from summit.engine.choice import load_engine

                _engine = load_engine()
    return _engine


def reset_engine() -> None:
    """Forget the loaded engine, so the next use loads the one the settings now name."""
    global _engine
    with _lock:
        _engine = None
