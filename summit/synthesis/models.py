"""Themes across rooms: who keeps them (the synthesis leads), the themes of each subtheme, and
which theme each breakout's clusters and outcomes are mapped to."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from accounts.models import Participant
from breakouts.models import Cluster, Outcome
from summit.event.models import Subtheme, Summit

# As long as a cluster's name, so that a theme can be made from any cluster's name.
THEME_NAME_MAX_LENGTH = 120
THEME_DESCRIPTION_MAX_LENGTH = 300


class SynthesisLead(models.Model):
    """A facilitator an organiser has named to keep the summit's themes. Organisers are leads
    without a row here."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="synthesis_leads")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="synthesis_lead"
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["summit_id", "named_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant.display_name} leads the synthesis"


class Theme(models.Model):
    """A theme that runs across the breakouts of one subtheme, kept by the leads as the day
    goes on: its name, a short description, and its place in the subtheme's list."""

    subtheme = models.ForeignKey(Subtheme, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=THEME_NAME_MAX_LENGTH)
    description = models.CharField(max_length=THEME_DESCRIPTION_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Generated with the form that adds a theme; a retried post carries the same token.
    client_token = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subtheme_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), models.F("subtheme"), name="theme_name_once_per_subtheme"
            ),
            models.UniqueConstraint(fields=["subtheme", "client_token"], name="theme_token_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ThemeLink(models.Model):
    """One cluster or one outcome mapped to a theme, as a person confirmed it: each cluster
    and each outcome is in one theme at most."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    cluster = models.OneToOneField(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_link"
    )
    outcome = models.OneToOneField(
        Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_link"
    )
    mapped_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_id", "mapped_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(cluster__isnull=False, outcome__isnull=True)
                    | models.Q(cluster__isnull=True, outcome__isnull=False)
                ),
                name="theme_link_is_one_cluster_or_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster or self.outcome} in {self.theme}"
