"""Which engine a process loads: the one the settings name, else the strongest there is.

1. ``SYNTHESIS_ENGINE``, a dotted path to an engine class, where it is set;
2. else the ONNX model in ``SYNTHESIS_MODEL_DIR``, where that is set (a folder without its
   files is a configuration error, raised, never passed over in silence);
3. else wordllama's static model, shipped in its wheel;
4. else, if that cannot load, words in common, with a WARNING in the log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from summit.engine.base import Engine

logger = logging.getLogger(__name__)


def load_engine() -> Engine:
    """The engine the settings call for, made once (``summit.engine.get_engine`` keeps it)."""
    dotted = getattr(settings, "SYNTHESIS_ENGINE", None)
    if dotted:
        return import_string(dotted)()
    folder = getattr(settings, "SYNTHESIS_MODEL_DIR", None)
    if folder:
        from summit.engine.onnx import OnnxEngine

        return OnnxEngine(folder)
    try:
        from summit.engine.static import StaticEngine

        return StaticEngine()
    except Exception:
        logger.warning(
            "wordllama's static model could not load: ideas alike are found by words in common.",
            exc_info=True,
        )
        from summit.engine.lexical import LexicalEngine

        return LexicalEngine()
