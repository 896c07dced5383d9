from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from summit.organise.reminders import send_reminders

KIND_WORDS = {
    "invite_reminder": "reminder of an invitation",
    "starts_tomorrow": "the summit starts tomorrow",
}


def parse_now(value: str) -> dt.datetime:
    """An ISO date and time; one without a zone is read in the installation's TIME_ZONE."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now must be an ISO date and time, such as 2026-06-17T09:00+01:00; got {value!r}."
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Email, for every summit whose day is tomorrow where it is held, a reminder to "
        "everyone invited who has not joined and a note to everyone who has. Safe to run every "
        "hour: each email goes at most once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )
        parser.add_argument(
            "--now", help="Act as at this ISO date and time instead of now, for trying it out."
        )

    def handle(self, *args, dry_run: bool, now: str | None, **options):
        if not settings.SITE_URL:
            raise CommandError(
                "Set SITE_URL (such as https://summit.example.org) so that emails can link to it."
            )
        moment = parse_now(now) if now else timezone.now()
        summary = send_reminders(moment, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for email in summary.sent:
            self.stdout.write(
                f"{email.summit.slug}: {verb} “{KIND_WORDS[email.kind]}” to {email.address}"
            )
        for email in summary.failed:
            self.stderr.write(
                f"{email.summit.slug}: could not send “{KIND_WORDS[email.kind]}” to "
                f"{email.address}; the next run tries again"
            )
        self.stdout.write(
            f"{len(summary.summits)} summit(s) tomorrow: {verb} {len(summary.sent)} email(s), "
            f"{summary.already_sent} sent before, {len(summary.failed)} failed."
        )
