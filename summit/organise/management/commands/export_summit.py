from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from summit.event.design import SCHEMA_URL_PATH, design_json
from summit.event.models import Summit
from summit.organise.design_file import summit_design


class Command(BaseCommand):
    help = (
        "Write a summit's design file to standard output: its settings, sectors, subthemes "
        "and breakouts, areas, assumptions, obstacles, agenda, pre-reading, materials and run "
        "sheet, without its people or anything they contributed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The summit's slug, as in its address /s/<slug>/.")
        parser.add_argument(
            "--url",
            help="Where the app is served, so the file names its schema in full "
            "(for example https://summit.example.org).",
        )

    def handle(self, *args, slug: str, url: str | None, **options):
        summit = Summit.objects.filter(slug=slug).first()
        if summit is None:
            raise CommandError(f"There is no summit with the slug “{slug}”.")
        schema_url = f"{url.rstrip('/')}{SCHEMA_URL_PATH}" if url else SCHEMA_URL_PATH
        self.stdout.write(design_json(summit_design(summit, schema_url=schema_url)), ending="")
