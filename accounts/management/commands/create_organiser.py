from __future__ import annotations

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.models import Participant, User
from summit.event.models import Summit


class Command(BaseCommand):
    help = (
        "Create the first organiser of an installation: an account that signs in with email and "
        "password, may set up summits, and organises the summits named with --summit."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Their name as others see it.")
        parser.add_argument(
            "--summit", action="append", default=[], help="Slug of a summit they organise."
        )

    def handle(self, *args, email: str, name: str, summit: list[str], **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        summits = []
        for slug in summit:
            found = Summit.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"There is no summit {slug!r}.")
            summits.append(found)
        password = os.environ.get("SUMMIT_ORGANISER_PASSWORD") or getpass.getpass("Password: ")
        user = User.objects.filter(email__iexact=email).first() or User(
            username=f"staff-{email.lower()}"[:150], email=email
        )
        first, _, last = name.partition(" ")
        user.first_name, user.last_name = first or user.first_name, last or user.last_name
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.is_staff = True
        user.save()
        for found in summits:
            Participant.objects.update_or_create(
                user=user,
                summit=found,
                defaults={
                    "role": Participant.Role.ORGANISER,
                    "display_name": name or email,
                    "removed_at": None,
                },
            )
        self.stdout.write(f"{email} can sign in and set up summits.")
