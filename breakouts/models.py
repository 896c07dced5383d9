"""Breakout groups and what their members contribute: ideas, comments, dots, clusters and
the outcomes they agree."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from summit.event.agreement import Agreement
from summit.event.models import Prompt, Subtheme, Summit

IDEA_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 300
CLUSTER_NAME_MAX_LENGTH = 120
ACTION_OWNER_MAX_LENGTH = 300
ACTION_NOTES_MAX_LENGTH = 2000


def new_screen_key() -> str:
    return secrets.token_urlsafe(18)


class Breakout(models.Model):
    class Phase(models.TextChoices):
        GATHER = "gather", _("Gather ideas")
        BUILD = "build", _("Build on ideas")
        CLUSTER = "cluster", pgettext_lazy("breakout phase", "Cluster")
        VOTE = "vote", pgettext_lazy("breakout phase", "Vote")
        AGREE = "agree", _("Agree outcomes")
        CLOSED = "closed", pgettext_lazy("breakout phase", "Closed")

    class RankBy(models.TextChoices):
        SUPPORT = "support", _("Cross-sector support")
        DOTS = "dots", _("Dots")

    class VoteDisplay(models.TextChoices):
        AFTER = "after", _("Hide totals until the vote closes")
        LIVE = "live", _("Show totals as people vote")

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
    # When the current phase's countdown ends; every screen counts down to it.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    dot_budget = models.PositiveSmallIntegerField(default=5)
    max_dots_per_idea = models.PositiveSmallIntegerField(default=3)
    vote_display = models.CharField(max_length=5, choices=VoteDisplay, default=VoteDisplay.AFTER)
    # How the wall is ordered once the vote has closed, on every screen of the group.
    rank_by = models.CharField(max_length=7, choices=RankBy, default=RankBy.SUPPORT)
    spotlight = models.ForeignKey(
        "Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The big screen's read-only link: unguessable, and replaced to revoke it.
    screen_key = models.CharField(max_length=32, unique=True, default=new_screen_key)

    class Meta:
        ordering = ["summit_id", "subtheme__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "name"], name="breakout_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_ideas(self) -> bool:
        return self.phase in {self.Phase.GATHER, self.Phase.BUILD}

    @property
    def accepts_comments(self) -> bool:
        return self.phase in {self.Phase.GATHER, self.Phase.BUILD, self.Phase.CLUSTER}

    @property
    def votes_visible(self) -> bool:
        """Whether attendees and the big screen see dot totals now."""
        if self.vote_display == self.VoteDisplay.LIVE:
            return self.phase in {self.Phase.VOTE, self.Phase.AGREE, self.Phase.CLOSED}
        return self.phase in {self.Phase.AGREE, self.Phase.CLOSED}


class Cluster(models.Model):
    """A facilitator's grouping of related ideas."""

    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=CLUSTER_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["breakout_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a facilitator")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")
        MERGED = "merged", _("Merged into another idea")

    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="ideas")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    text = models.CharField(max_length=IDEA_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.VISIBLE)
    hidden_reason = models.CharField(max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_ideas"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    # Typed by a facilitator for someone speaking in the room without a device.
    added_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For a voice in the room known only by sector: the record names the sector alone.
    spoken_sector = models.CharField(max_length=24, blank=True)
    # Generated with the form; a retried or double-submitted post carries the same token.
    client_token = models.UUIDField()
    # Brought onto the wall from the author's first thoughts, written before the day.
    posted_beforehand = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

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
        if self.spoken_sector:
            names = self.author.sector_names  # the speaker's summit is the facilitator's
            sector = names.get(self.spoken_sector, self.spoken_sector)
            return gettext("Said in the room (%(sector)s)") % {"sector": sector}
        if self.anonymous:
            return gettext("Anonymous (%(sector)s)") % {"sector": self.author.sector_label}
        return self.author.attribution


class DismissedDuplicate(models.Model):
    """Two ideas a facilitator has said are not duplicates, so they are never offered as a
    possible duplicate again. The pair is kept in one order, the lower id first, so it is one
    row whichever way round it was dismissed."""

    breakout = models.ForeignKey(
        Breakout, on_delete=models.CASCADE, related_name="dismissed_duplicates"
    )
    first_idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    second_idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["breakout_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_idea", "second_idea"], name="dismissed_duplicate_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first_idea__lt=models.F("second_idea")),
                name="dismissed_duplicate_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_idea_id} and {self.second_idea_id}"


class DiscardedSuggestion(models.Model):
    """A suggested cluster a facilitator has discarded, never offered again. Known by its
    ``key``: a hash of the sorted ids of the ideas it proposed together (``breakouts.alike``),
    whatever the engine called it."""

    breakout = models.ForeignKey(
        Breakout, on_delete=models.CASCADE, related_name="discarded_suggestions"
    )
    key = models.CharField(max_length=64)
    discarded_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["breakout_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["breakout", "key"], name="discarded_suggestion_once")
        ]

    def __str__(self) -> str:
        return self.key[:12]


class Comment(models.Model):
    """Building on an idea: a question, a clarification, an addition."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="comments")
    text = models.CharField(max_length=COMMENT_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    client_token = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_token"], name="comment_token_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def attribution(self) -> str:
        if self.anonymous:
            return gettext("Anonymous (%(sector)s)") % {"sector": self.author.sector_label}
        return self.author.attribution


class FirstThought(models.Model):
    """What someone who has joined writes on a subtheme before the day, before there is a
    group to write it in. When the summit goes live it is brought onto a wall as an idea
    (``idea``, marked ``posted_beforehand``), and stays here as it was written."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="first_thoughts")
    subtheme = models.ForeignKey(Subtheme, on_delete=models.PROTECT, related_name="first_thoughts")
    author = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="first_thoughts")
    text = models.CharField(max_length=IDEA_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    # Generated with the form; carried over to the idea, so neither is ever made twice.
    client_token = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    idea = models.OneToOneField(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="first_thought"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"], name="first_thought_token_once"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One person's dots on one idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="votes")
    dots = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "voter"], name="vote_once_per_idea"),
            models.CheckConstraint(condition=models.Q(dots__gt=0), name="vote_has_dots"),
        ]

    def __str__(self) -> str:
        return f"{self.dots} on {self.idea_id}"


class Outcome(models.Model):
    """What the group proposes, and the ideas it draws on."""

    class Horizon(models.TextChoices):
        NOW = "now", _("Now")
        LONGER = "longer", _("Longer term")

    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="outcomes")
    proposal = models.TextField(max_length=1000)
    who_should_act = models.CharField(max_length=300)
    horizon = models.CharField(max_length=6, choices=Horizon, default=Horizon.NOW)
    ideas = models.ManyToManyField(Idea, related_name="outcomes", blank=True)
    drafted_by = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["breakout_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.proposal[:60]


class Rating(models.Model):
    """A member's place on the gradient of agreement with an outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(choices=Agreement)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outcome", "rater"], name="rating_once_per_outcome")
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class Action(models.Model):
    """What is to be done about an outcome after the day, and who does it: kept by the
    summit's organisers, whatever the summit's status, and shown in the record as it stands
    when the record is made."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    # A person or an organisation, in the summit's own words; as long as an outcome's "who
    # should act", which becomes the first action's owner whole.
    owner = models.CharField(max_length=ACTION_OWNER_MAX_LENGTH)
    status = models.CharField(max_length=11, choices=Status, default=Status.PROPOSED)
    due_on = models.DateField(null=True, blank=True)
    notes = models.TextField(max_length=ACTION_NOTES_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["outcome_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.owner[:60]
