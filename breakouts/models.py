"""Breakout groups and what their members contribute."""

from __future__ import annotations

from django.db import models

from accounts.models import Participant
from summit.models import Prompt, Subtheme, Summit

IDEA_MAX_LENGTH = 500


class Breakout(models.Model):
    class Phase(models.TextChoices):
        GATHER = "gather", "Gather ideas"
        BUILD = "build", "Build on ideas"
        CLUSTER = "cluster", "Cluster"
        VOTE = "vote", "Vote"
        AGREE = "agree", "Agree outcomes"
        CLOSED = "closed", "Closed"

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="breakouts")
    subtheme = models.ForeignKey(Subtheme, on_delete=models.PROTECT, related_name="breakouts")
    name = models.CharField(max_length=120)
    phase = models.CharField(max_length=10, choices=Phase, default=Phase.GATHER)
    current_prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    facilitators = models.ManyToManyField(
        Participant, related_name="facilitated_breakouts", blank=True
    )
    members = models.ManyToManyField(Participant, related_name="breakouts", blank=True)

    class Meta:
        ordering = ["summit", "subtheme__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "name"], name="breakout_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_ideas(self) -> bool:
        return self.phase in {self.Phase.GATHER, self.Phase.BUILD}


class Idea(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden by a facilitator"
        WITHDRAWN = "withdrawn", "Withdrawn by its author"
        MERGED = "merged", "Merged into another idea"

    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="ideas")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    text = models.CharField(max_length=IDEA_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.VISIBLE)
    # Generated with the form; a retried or double-submitted post carries the same token.
    client_token = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_token"], name="idea_token_once")
        ]
        indexes = [models.Index(fields=["breakout", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def attribution(self) -> str:
        if self.anonymous:
            return f"Anonymous ({self.author.get_sector_display()})"
        return self.author.attribution
