from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from summit.event.design import PLACE_SUMMIT_DATA
from summit.organise.design_file import load_place_summit


class Command(BaseCommand):
    help = (
        "Load the Place Summit from its design file (questions, assumptions, obstacles, "
        "agenda, pre-reading, run sheet); a summit already loaded is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLACE_SUMMIT_DATA)

    def handle(self, *args, file: Path, **options):
        summit, writes = load_place_summit(file)
        self.stdout.write(f"{summit.title}: {writes} parts loaded (join code {summit.join_code}).")
