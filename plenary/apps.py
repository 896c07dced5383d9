from __future__ import annotations

from django.apps import AppConfig


class PlenaryConfig(AppConfig):
    name = "plenary"
