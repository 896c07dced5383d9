from __future__ import annotations

from django.apps import AppConfig


class BreakoutsConfig(AppConfig):
    name = "breakouts"
