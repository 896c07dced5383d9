from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from summit.event.design import PLACE_SUMMIT_DATA
from summit.event.refusals import Refused
from summit.organise.design_file import load_place_summit


class Command(BaseCommand):
    help = (
        "Load the Place Summit from its design file (questions, assumptions, obstacles, "
        "agenda, pre-reading, run sheet); a summit already loaded is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=PLACE_SUMMIT_DATA)

    def handle(self, *args, file: Path, **options):
        try:
            summit, writes = load_place_summit(file)
        except OSError as error:
            raise CommandError(f"Could not read {file}: {error.strerror}.") from None
        except Refused as refusal:
            raise CommandError(f"{file} was not loaded. {refusal}.") from None
        self.stdout.write(f"{summit.title}: {writes} parts loaded (join code {summit.join_code}).")
