from __future__ import annotations

from django.apps import AppConfig


class LiveConfig(AppConfig):
    """The live path; an app for its ``serve`` command."""

    name = "summit.live"
    label = "live"
    verbose_name = "Live screens"
