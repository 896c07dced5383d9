from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from summit.event.services import PLACE_SUMMIT_DATA, load_place_summit


class Command(BaseCommand):
    help = "Load the Place Summit (questions, assumptions, obstacles, agenda, pre-reading)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLACE_SUMMIT_DATA)

    def handle(self, *args, file: Path, **options):
        summit, writes = load_place_summit(file)
        self.stdout.write(
            f"{summit.title}: {writes} rows created or changed (join code {summit.join_code})."
        )
