from __future__ import annotations

from django.apps import AppConfig


class SynthesisConfig(AppConfig):
    """Themes across rooms, kept by the summit's synthesis leads."""

    name = "summit.synthesis"
    label = "synthesis"
    verbose_name = "Themes across rooms"
