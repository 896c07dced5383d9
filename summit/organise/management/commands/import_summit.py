from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from summit.event.refusals import Refused
from summit.organise.design_file import import_summit_design, read_design_file


class Command(BaseCommand):
    help = (
        "Make a new summit, in draft, from a design file, and print its slug. Its people "
        "join or are invited as for any summit; add its first organiser with create_organiser."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The design file, or - to read it from standard input.")
        parser.add_argument("--slug", help="The new summit's slug, instead of the file's.")

    def handle(self, *args, file: str, slug: str | None, **options):
        try:
            content = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Could not read {file}: {error.strerror}.") from None
        try:
            summit = import_summit_design(read_design_file(content), slug=slug)
        except Refused as refusal:
            raise CommandError(f"{file} was not imported. {refusal}.") from None
        self.stdout.write(summit.slug)
