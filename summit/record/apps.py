from __future__ import annotations

from django.apps import AppConfig


class RecordConfig(AppConfig):
    """The summit record; an app for its templates."""

    name = "summit.record"
    label = "record"
    verbose_name = "The summit record"
