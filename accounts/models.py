"""People: who someone is (User) and what they are at a given summit (Participant)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from summit.event.models import Subtheme, Summit
from summit.event.sectors import names_for


def new_secret() -> str:
    """A URL-safe secret for a link; only its hash is stored."""
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class User(AbstractUser):
    """A login. Attendees join without a password; staff roles sign in with email and one."""

    is_demo = models.BooleanField(
        default=False, help_text=_("A demonstration account that the demo login page may enter.")
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # Staff sign in by email, so one address is one account; attendees have none.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique"
            )
        ]


# The key of the sector a person is in until they say otherwise: one of the defaults
# (summit.event.models.DEFAULT_SECTORS), which a summit may rename but keeps.
OTHER_SECTOR = "other"


def give_sector_names(people: Iterable[Participant | None], names: dict[str, str]) -> None:
    """Hand everyone shown together their summit's sector names (``sector_names``), read
    once: a board of a thousand ideas names each anonymous author's sector without asking
    the database again."""
    for person in people:
        if person is not None:
            person.sector_names = names


def joining_language() -> str:
    """The language of the page a person joins from, if it is one the app is offered in."""
    code = translation.get_language()
    return code if code in {c for c, _ in settings.LANGUAGES} else ""


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        """People still in the summit: a removed person keeps their contributions, not access."""
        return self.filter(removed_at__isnull=True)


class Participant(models.Model):
    """A user's part in one summit: their role, sector and how the record may name them."""

    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        FACILITATOR = "facilitator", _("Facilitator")
        ORGANISER = "organiser", _("Organiser")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participations")
    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=12, choices=Role, default=Role.ATTENDEE)
    display_name = models.CharField(max_length=80)
    organisation = models.CharField(max_length=120, blank=True)
    # The key of one of the summit's sectors (summit.event.sectors); the forms offer only those.
    sector = models.CharField(max_length=24, default=OTHER_SECTOR)
    anonymous = models.BooleanField(
        default=False, help_text=_("The record shows “Anonymous (sector)” instead of the name.")
    )
    # Named by an organiser to help work questions from the floor (facilitators and organisers
    # always may), whatever their role.
    moderates_questions = models.BooleanField(default=False)
    # The subtheme the person would rather work on: the sharing out into groups honours it
    # as far as keeping sectors mixed allows (breakouts.placing).
    preferred_subtheme = models.ForeignKey(
        Subtheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The language the person last chose (one of settings.LANGUAGES): their pages come back
    # in it when they sign in, and their emails are written in it. Set when they join.
    language = models.CharField(max_length=8, blank=True, default=joining_language)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # When the person's details were erased, at their request or when the summit's retention
    # date passed: their contributions stay, attributed "Anonymous (sector)".
    erased_at = models.DateTimeField(null=True, blank=True)
    # Sent with the join form: a resubmitted form finds this participant instead of a second.
    join_token = models.UUIDField(null=True, blank=True, unique=True)
    # The hash of the secret in the person's return link; making a new link replaces it.
    return_key_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["summit", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "summit"], name="participant_once_per_summit")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()}, {self.summit})"

    @property
    def is_organiser(self) -> bool:
        return self.role == self.Role.ORGANISER

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def moderates(self) -> bool:
        """Whether the person works the questions from the floor: facilitators, organisers,
        and anyone an organiser has named as a moderator."""
        return self.moderates_questions or self.role != self.Role.ATTENDEE

    @cached_property
    def sector_names(self) -> dict[str, str]:
        """The names of the summit's sectors by key. Whoever shows many people sets this
        once for all of them (``give_sector_names``); a person shown alone looks it up, in
        their summit's prefetched sectors if it has them."""
        return names_for(self)

    @property
    def sector_label(self) -> str:
        """The name of the person's sector, as their summit now calls it."""
        return self.sector_names.get(self.sector, self.sector)

    @property
    def attribution(self) -> str:
        """How the record and every screen name this person."""
        if self.anonymous:
            return gettext("Anonymous (%(sector)s)") % {"sector": self.sector_label}
        if self.organisation:
            return f"{self.display_name}, {self.organisation}"
        return self.display_name


class Invite(models.Model):
    """A single-use link that makes someone a facilitator or co-organiser of one summit."""

    ROLES = [
        (Participant.Role.FACILITATOR, _("Facilitator")),
        (Participant.Role.ORGANISER, _("Co-organiser")),
    ]

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=ROLES)
    # The language the organiser chose to write to this person in (one of settings.LANGUAGES):
    # the invitation and its reminder go in it, and the person's language starts as it when
    # they accept, unless they chose another on the page they accepted from.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="invites_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} invite for {self.email}"

    def state(self, now) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= now:
            return "expired"
        return "open"


class AuditEntry(models.Model):
    """Something a facilitator or organiser did, kept for the organisers and the record: who,
    what, where, and the details they gave (an idea's number, a reason, a new role)."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="audit_entries"
    )
    # How the record names the actor, kept as it was when they acted.
    actor_name = models.CharField(max_length=220)
    action = models.CharField(max_length=120)
    place = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["summit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.action}"


class EmailSent(models.Model):
    """One email of one kind that went, or was about to go, to one recipient about one summit.

    Written before the email is sent, so that the unique constraint lets one sender only
    through (summit/organise/reminders.py says why). The recipient is a key, ``invite:<id>`` or
    ``person:<id>``, not an address: erasing someone's details leaves nothing here to erase.
    """

    class Kind(models.TextChoices):
        INVITE_REMINDER = "invite_reminder", _("Reminder of an invitation")
        STARTS_TOMORROW = "starts_tomorrow", _("The summit starts tomorrow")

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="emails_sent")
    kind = models.CharField(max_length=20, choices=Kind)
    recipient = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summit", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "kind", "recipient"], name="email_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"


class Feedback(models.Model):
    """A person's answers to the closing form: how useful the day was, how far they felt
    heard, and what should change. One per person per summit, changed in place; nothing on
    any screen or in the record names who gave it."""

    class Useful(models.IntegerChoices):
        NOT_AT_ALL = 1, _("Not at all useful")
        SLIGHTLY = 2, _("Slightly useful")
        MODERATELY = 3, _("Moderately useful")
        VERY = 4, _("Very useful")
        EXTREMELY = 5, _("Extremely useful")

    class Heard(models.IntegerChoices):
        NOT_AT_ALL = 1, _("Not at all heard")
        SLIGHTLY = 2, _("Slightly heard")
        MODERATELY = 3, _("Moderately heard")
        MOSTLY = 4, _("Mostly heard")
        FULLY = 5, _("Fully heard")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    useful = models.PositiveSmallIntegerField(choices=Useful)
    heard = models.PositiveSmallIntegerField(choices=Heard)
    change = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant"], name="feedback_once_per_person")
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"
