"""People: who someone is (User) and what they are at a given summit (Participant)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from summit.models import Summit


class User(AbstractUser):
    """A login. Attendees join without a password; staff roles sign in with one."""

    is_demo = models.BooleanField(
        default=False, help_text="A demonstration account that the demo login page may enter."
    )


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "Local government"
    HEALTH = "health", "Health and care (NHS)"
    VOLUNTARY = "voluntary", "Voluntary and community"
    FAITH = "faith", "Faith"
    BUSINESS = "business", "Business"
    RESIDENT = "resident", "Resident or citizen"
    ACADEMIA = "academia", "Academia and research"
    NATIONAL_GOVERNMENT = "national_government", "National government"
    OTHER = "other", "Other"


class Participant(models.Model):
    """A user's part in one summit: their role, sector and how the record may name them."""

    class Role(models.TextChoices):
        ATTENDEE = "attendee", "Attendee"
        FACILITATOR = "facilitator", "Facilitator"
        ORGANISER = "organiser", "Organiser"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participations")
    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=12, choices=Role, default=Role.ATTENDEE)
    display_name = models.CharField(max_length=80)
    organisation = models.CharField(max_length=120, blank=True)
    sector = models.CharField(max_length=24, choices=Sector, default=Sector.OTHER)
    anonymous = models.BooleanField(
        default=False, help_text="The record shows “Anonymous (sector)” instead of the name."
    )
    joined_at = models.DateTimeField(auto_now_add=True)

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
    def attribution(self) -> str:
        """How the record and every screen name this person."""
        if self.anonymous:
            return f"Anonymous ({self.get_sector_display()})"
        if self.organisation:
            return f"{self.display_name}, {self.organisation}"
        return self.display_name
