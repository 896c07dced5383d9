from __future__ import annotations

from django.apps import AppConfig


class EventConfig(AppConfig):
    """The summit itself: its questions, agenda and pre-reading. The label stays ``summit``, the
    name its tables and migrations have always had."""

    name = "summit.event"
    label = "summit"
    verbose_name = "Summit"
