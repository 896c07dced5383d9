"""Which engine a process loads: the one the settings name."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from summit.engine.base import Engine

DEFAULT = "summit.engine.lexical.LexicalEngine"


def load_engine() -> Engine:
    """The engine named by ``SYNTHESIS_ENGINE`` (a dotted path to a class), made once."""
    return import_string(getattr(settings, "SYNTHESIS_ENGINE", DEFAULT))()
