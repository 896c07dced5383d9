from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from summit.organise.people import purge_personal_data


class Command(BaseCommand):
    help = (
        "Erase names, organisations and emails in every summit whose retention date has "
        "passed, keeping the record anonymised. Safe to run every day: a second run changes "
        "nothing."
    )

    def handle(self, *args, **options):
        done = purge_personal_data(timezone.localdate())
        self.stdout.write(
            f"{done['summits']} summit(s) past their retention date: erased the details of "
            f"{done['people']} person(s) and {done['invitations']} invitation email(s)."
        )
