from __future__ import annotations

from django.apps import AppConfig


class OrganiseConfig(AppConfig):
    """The summit's own pages outside the rooms; an app for its templates and commands."""

    name = "summit.organise"
    label = "organise"
    verbose_name = "Organising"
