"""The whole room: the plenary's big screen, and the polls everyone answers on their phones."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from breakouts.models import Breakout, Idea, Outcome, new_screen_key
from summit.event.models import AgendaItem, Summit
from summit.synthesis.models import Theme

QUESTION_MAX_LENGTH = 300
OPTION_MAX_LENGTH = 1000
WORD_MAX_LENGTH = 40
WORDS_PER_ANSWER = 3
TEXT_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 280
FLOOR_QUESTION_MAX_LENGTH = 500
SESSION_TITLE_MAX_LENGTH = 200
DISMISS_REASON_MAX_LENGTH = 300
ANSWER_NOTE_MAX_LENGTH = 1000


class Plenary(models.Model):
    """The summit's main room: one per summit, and what its big screen shows now."""

    class Showing(models.TextChoices):
        QUESTION = "question", _("The central question and how to join")
        POLL = "poll", _("A poll")
        REPORT = "report", _("A breakout’s report")
        IDEA = "idea", _("A spotlighted idea")
        MESSAGE = "message", _("A message")
        FLOOR = "floor", _("A question from the floor being answered")

    summit = models.OneToOneField(Summit, on_delete=models.CASCADE, related_name="plenary")
    showing = models.CharField(max_length=10, choices=Showing, default=Showing.QUESTION)
    shown_poll = models.ForeignKey(
        "Poll", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shown_breakout = models.ForeignKey(
        Breakout, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shown_idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    shown_question = models.ForeignKey(
        "Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A theme across rooms, shown over whatever ``showing`` says while it is set: taking it
    # off brings back what the big screen showed before.
    shown_theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The big screen's read-only link: unguessable, and replaced to revoke it.
    screen_key = models.CharField(max_length=32, unique=True, default=new_screen_key)

    def __str__(self) -> str:
        return f"Plenary of {self.summit}"


class Poll(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Multiple choice")
        SCALE = "scale", _("Agreement scale")
        RANKING = "ranking", _("Ranking")
        WORDS = "words", _("Word cloud")
        TEXT = "text", _("Open text")
        CONSENSUS = "consensus", _("Consensus check")

    class State(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", pgettext_lazy("poll state", "Open")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        """Where a prepared poll's options come from when it opens: written by hand, or the
        summit's working assumptions or obstacles as they stand on the day."""

        OWN = "", _("Its own options")
        ASSUMPTIONS = "assumptions", _("The working assumptions")
        OBSTACLES = "obstacles", _("The obstacles")

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="polls")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="polls"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    question = models.CharField(max_length=QUESTION_MAX_LENGTH)
    # The question in Welsh, shown to people reading in Welsh (summit.event.bilingual).
    question_cy = models.CharField(max_length=QUESTION_MAX_LENGTH, blank=True)
    # Multiple choice: whether a person may pick several answers.
    multiple = models.BooleanField(default=False)
    # Agreement scale: whether a person may add a challenge in their own words.
    allow_comment = models.BooleanField(default=False)
    state = models.CharField(max_length=6, choices=State, default=State.DRAFT)
    source = models.CharField(max_length=12, choices=Source, default=Source.OWN, blank=True)
    # Its place in the run sheet, the order the plenary's polls are prepared to run in.
    position = models.PositiveIntegerField(default=0)
    results_shown = models.BooleanField(
        default=False, help_text=_("Whether attendees and the big screen see the results.")
    )
    # Agreement scale: asked again at the close, so the record shows how views moved. The
    # closing round is its own poll pointing back at this one, the baseline.
    ask_again = models.BooleanField(default=False)
    baseline = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closing_round",
        help_text=_("For a closing round: the poll first asked, whose statements it asks again."),
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plenary_id", "position", "created_at", "id"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def rated(self) -> bool:
        """Each option is a statement rated on a gradient, rather than a thing to choose."""
        return self.kind in {self.Kind.SCALE, self.Kind.CONSENSUS}

    @property
    def has_options(self) -> bool:
        return self.kind not in {self.Kind.WORDS, self.Kind.TEXT}


# The kinds of poll whose options are written for it (the consensus check takes the
# breakouts' outcomes instead, and word clouds and open text have none).
LISTED_KINDS = frozenset({Poll.Kind.CHOICE, Poll.Kind.RANKING, Poll.Kind.SCALE})


class PollOption(models.Model):
    """An answer to choose, a thing to rank, or a statement to rate (an assumption, an
    outcome in the consensus check)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=OPTION_MAX_LENGTH)
    text_cy = models.CharField(max_length=OPTION_MAX_LENGTH, blank=True)
    # In the consensus check: the outcome rated. The text keeps its words if it is deleted.
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="poll_options"
    )

    class Meta:
        ordering = ["poll_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Response(models.Model):
    """One person's answer to one poll: changeable while the poll is open, never a second."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="poll_responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["poll_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "participant"], name="response_once_per_poll")
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.poll}"


class Answer(models.Model):
    """A part of a response: an option chosen, a place in a ranking, a level on a statement
    (with a challenge or reason), a word, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    # The position in a ranking (1 is first), or the level on a gradient.
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["response_id", "id"]
        indexes = [models.Index(fields=["option", "value"])]

    def __str__(self) -> str:
        return self.text[:60] or f"{self.option_id}: {self.value}"


class QaSession(models.Model):
    """A time for questions from the floor: several a summit, each tied to the plenary and,
    if the organisers wish, to an agenda item; opened and closed by a facilitator, read only
    once closed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open for questions")
        CLOSED = "closed", _("Closed")

    plenary = models.ForeignKey(Plenary, on_delete=models.CASCADE, related_name="qa_sessions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="qa_sessions"
    )
    title = models.CharField(max_length=SESSION_TITLE_MAX_LENGTH)
    # Pre-moderation: each question waits for a moderator before others see it.
    premoderated = models.BooleanField(default=False)
    state = models.CharField(max_length=6, choices=State, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plenary_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Question(models.Model):
    """A question from the floor, to the speakers or panel: supported by others, worked
    through the moderators' lanes, and kept on the record whatever became of it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        QUEUED = "queued", _("Queued")
        ANSWERING = "answering", _("Now answering")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")
        MERGED = "merged", _("Merged into another")

    session = models.ForeignKey(QaSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="floor_questions"
    )
    text = models.CharField(max_length=FLOOR_QUESTION_MAX_LENGTH)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    # Its place in the chair's queue while queued (1 is next).
    queue_position = models.PositiveIntegerField(null=True, blank=True)
    dismiss_reason = models.CharField(max_length=DISMISS_REASON_MAX_LENGTH, blank=True)
    answer_note = models.TextField(max_length=ANSWER_NOTE_MAX_LENGTH, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Set when a moderator changes the words: the question is then shown as edited.
    edited_at = models.DateTimeField(null=True, blank=True)
    # Generated with the form, so a question sent twice is asked once.
    client_token = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"], name="floor_question_token_once"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def attribution(self) -> str:
        if self.anonymous:
            return gettext("Anonymous (%(sector)s)") % {"sector": self.author.sector_label}
        return self.author.attribution


class QuestionSupport(models.Model):
    """One person's support for a question: one each, and taken back by deleting it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="question_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "participant"], name="question_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} supports {self.question_id}"
