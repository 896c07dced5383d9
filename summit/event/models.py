"""The summit event as data: the questions, agenda and pre-reading that every room works from."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from summit.event.bilingual import text_in

# No 0/O, 1/I/L: a join code is read off a projector and typed on a phone.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


DEFAULT_TIME_ZONE = "Europe/London"
DEFAULT_SUPERMAJORITY = 75
# The dots a person may have in a breakout, and the share of support a supermajority may ask
# for (more than half, at most everyone): the settings page, a breakout's console and the
# design file all hold to these.
DOT_BUDGET_RANGE = (1, 20)
SUPERMAJORITY_RANGE = (51, 100)

# The nine sectors every summit starts with; an organiser renames, adds and retires its own.
# Their names are the summit's own words, as its organisers' are: the first change to any
# sector writes all nine into the summit's rows, and a design file carries them, so they are
# not marked for translation (a name stored in whichever language its writer was using would
# read differently before and after).
DEFAULT_SECTORS: tuple[tuple[str, str], ...] = (
    ("local_government", "Local government"),
    ("health", "Health and care (NHS)"),
    ("voluntary", "Voluntary and community"),
    ("faith", "Faith"),
    ("business", "Business"),
    ("resident", "Resident or citizen"),
    ("academia", "Academia and research"),
    ("national_government", "National government"),
    ("other", "Other"),
)
# The defaults' names in Welsh, by key (the summit's own words, like its other texts: a summit
# that changes its sectors keeps these as its rows' Welsh versions).
DEFAULT_SECTORS_CY: dict[str, str] = {
    "local_government": "Llywodraeth leol",
    "health": "Iechyd a gofal (GIG)",
    "voluntary": "Gwirfoddol a chymunedol",
    "faith": "Ffydd",
    "business": "Busnes",
    "resident": "Preswylydd neu ddinesydd",
    "academia": "Y byd academaidd ac ymchwil",
    "national_government": "Llywodraeth genedlaethol",
    "other": "Arall",
}


class Summit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for joining")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class SharedAfter(models.TextChoices):
        SUMMARY = "summary", _("The record’s summary")
        FULL = "full", _("The full record page")
        NOTHING = "nothing", _("Nothing: each person sees only their own contributions")

    class BigScreenLanguages(models.TextChoices):
        """How the big screens show the summit's words: in the language each screen was
        opened in, or in English and Welsh side by side, whatever it was opened in."""

        ONE = "one", _("In one language: the language each screen was opened in")
        BOTH = "both", _("In English and Welsh side by side")

    # Where a summit may go from each status: on through the day, and back wherever nothing
    # is lost. Going back to draft also needs nobody to have joined: the organisers' part
    # checks that, since it knows who has.
    STATUS_MOVES: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.OPEN,),
        Status.OPEN: (Status.LIVE, Status.DRAFT),
        Status.LIVE: (Status.CLOSED, Status.OPEN),
        Status.CLOSED: (Status.ARCHIVED, Status.LIVE),
        Status.ARCHIVED: (Status.CLOSED,),
    }

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    convener = models.CharField(max_length=200, blank=True)
    central_question = models.TextField()
    summary = models.TextField(blank=True)
    # The organiser's words in Welsh, each beside its English; either may be left empty, and
    # a page shows the other in its place (summit.event.bilingual).
    title_cy = models.CharField(max_length=200, blank=True)
    central_question_cy = models.TextField(blank=True)
    summary_cy = models.TextField(blank=True)
    welcome_cy = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    welcome = models.TextField(
        blank=True, help_text=_("What attendees read on the summit's home page, in Markdown.")
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    dot_budget = models.PositiveSmallIntegerField(
        default=5, help_text=_("How many dots each person has in a new breakout.")
    )
    supermajority = models.PositiveSmallIntegerField(
        default=DEFAULT_SUPERMAJORITY,
        help_text=_("The share of support, in per cent, the supermajority rule asks for."),
    )
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    joining_opens_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Before this, the join code and link do not work yet.")
    )
    joining_closes_at = models.DateTimeField(
        null=True, blank=True, help_text=_("After this, the join code and link stop working.")
    )
    allow_anonymous = models.BooleanField(
        default=True, help_text=_("Whether attendees may post without their name on the record.")
    )
    attendees_choose_breakout = models.BooleanField(
        default=False, help_text=_("Whether attendees may move themselves to another breakout.")
    )
    privacy_contact = models.EmailField(
        blank=True, help_text=_("Who attendees write to about their personal data.")
    )
    retain_personal_data_until = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "After this date names, organisations and emails are erased; the record is "
            "kept with everyone shown as “Anonymous (sector)”."
        ),
    )
    # What is on now, moved on from the plenary console as the day goes; while it is unset,
    # the agenda's times of day decide.
    agenda_now = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    big_screen_languages = models.CharField(
        max_length=4,
        choices=BigScreenLanguages,
        default=BigScreenLanguages.ONE,
        help_text=_("How the big screens show the summit’s words."),
    )
    # What each participant's "what we did" page shows once the summit has closed.
    shared_after = models.CharField(max_length=10, choices=SharedAfter, default=SharedAfter.SUMMARY)
    # The summary's public address while it is published: unguessable, and cleared to
    # withdraw it, so an old link stops working.
    public_key = models.CharField(max_length=43, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def big_screen_bilingual(self) -> bool:
        """Whether the big screens show the summit's words in English and Welsh side by side."""
        return self.big_screen_languages == self.BigScreenLanguages.BOTH

    @property
    def is_over(self) -> bool:
        """Whether the day is over: what was done is shared from then on."""
        return self.status in {self.Status.CLOSED, self.Status.ARCHIVED}

    def status_moves(self) -> tuple[str, ...]:
        """The statuses the summit may move to from where it is, forward first."""
        return self.STATUS_MOVES.get(self.status, ())

    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone the summit is held in (London's when its own name is unknown)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    def time_of_day(self, now: dt.datetime | None = None) -> dt.time:
        """The time of day where the summit is held: its agenda's times are written in it."""
        return timezone.localtime(now, self.zone()).time()

    def local_time(self, moment: dt.datetime) -> str:
        """``moment`` as a clock where the summit is held reads it: "3 December 2026, 09:00"."""
        return date_format(timezone.localtime(moment, self.zone()), "j F Y, H:i")

    def local_time_and_zone(self, moment: dt.datetime | None) -> str:
        """``moment`` as the summit's clock reads it, naming the clock: "3 December 2026,
        09:00 (Europe/London time)"; empty for no moment."""
        if moment is None:
            return ""
        return gettext("%(when)s (%(zone)s time)") % {
            "when": self.local_time(moment),
            "zone": self.zone().key,
        }

    @property
    def joining_opens_local(self) -> str:
        return self.local_time_and_zone(self.joining_opens_at)

    @property
    def joining_closes_local(self) -> str:
        return self.local_time_and_zone(self.joining_closes_at)

    def opens_later(self, now) -> bool:
        """Whether the organisers' time for opening to people is still to come. It holds
        before the day only: once live, anyone with the code may join."""
        before_day = self.status in {self.Status.DRAFT, self.Status.OPEN}
        return before_day and self.joining_opens_at is not None and now < self.joining_opens_at

    def joining_refusal(self, now) -> str | None:
        """Why nobody may join now, in words for the person trying; ``None`` when they may."""
        if self.opens_later(now):
            return gettext("%(title)s opens for joining on %(when)s. Come back then.") % {
                "title": text_in(self, "title"),
                "when": self.joining_opens_local,
            }
        said = {"title": text_in(self, "title")}
        if self.status == self.Status.DRAFT:
            return (
                gettext("%(title)s is not open for joining yet. Try again closer to the day.")
                % said
            )
        if self.status in {self.Status.CLOSED, self.Status.ARCHIVED}:
            return gettext("%(title)s has closed, so it can no longer be joined.") % said
        if self.joining_closes_at is not None and self.joining_closes_at <= now:
            return (
                gettext("The join code for %(title)s has expired. Ask an organiser for help.")
                % said
            )
        return None


class Subtheme(models.Model):
    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="subthemes")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=80)
    question = models.TextField()
    title_cy = models.CharField(max_length=80, blank=True)
    question_cy = models.TextField(blank=True)
    # Retired rather than removed once a breakout has worked on it: its history stays.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Prompt(models.Model):
    """One of the summit's questions ("areas to be addressed") that a breakout can work on."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="prompts")
    subtheme = models.ForeignKey(
        Subtheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="prompts"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    text_cy = models.TextField(blank=True)
    # Retired rather than removed once an idea answers it: its history stays.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Assumption(models.Model):
    """A working assumption, "open to challenge"."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="assumptions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    text_cy = models.TextField(blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Obstacle(models.Model):
    """A structural barrier to place-based working."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="obstacles")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    text_cy = models.TextField(blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        BREAKOUT = "breakout", _("Breakouts")
        BREAK = "break", pgettext_lazy("an agenda item", "Break")

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind)
    title = models.CharField(max_length=200)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    title_cy = models.CharField(max_length=200, blank=True)
    description_cy = models.TextField(blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    """Pre-reading: a section of the stimulus document, or a link to further reading."""

    class Kind(models.TextChoices):
        SECTION = "section", _("Section")
        LINK = "link", _("Link")

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SECTION)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    title_cy = models.CharField(max_length=300, blank=True)
    body_cy = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Sector(models.Model):
    """One of the sectors people at a summit come from. ``key`` is what a person's part in
    the summit stores, so renaming a sector renames it everywhere, and a retired sector keeps
    the people and contributions it has while nobody new may choose it."""

    summit = models.ForeignKey(Summit, on_delete=models.CASCADE, related_name="sectors")
    key = models.SlugField(max_length=24)
    name = models.CharField(max_length=80)
    name_cy = models.CharField(max_length=80, blank=True)
    order = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["summit_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "key"], name="sector_key_once_per_summit")
        ]

    def __str__(self) -> str:
        return self.name
