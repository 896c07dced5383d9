"""The words the record's walk gives cross-sector support, voice balance, the dissent
register and the moderation and facilitation log: the notes that explain each figure, each
table's head, and how figures and times are written."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from summit.event.agreement import RULES, asks
from summit.record.breakout_contents import VoiceEntry

# What every format says about its figures, in the same words.
IDEAS_NOTE = gettext_lazy(
    "On the wall at the end, most dots first, with each idea’s cross-sector support, who "
    "supported it by sector, and the comments that built on it."
)
SUPPORT_NOTE = gettext_lazy(
    "The same ideas in order of cross-sector support: how broadly the sectors in the room "
    "back each one. A supporter is anyone who placed a dot on it, however many dots. Each "
    "sector’s first supporter adds 1 to the score and each further one from the same sector "
    "adds less (the score is the sum over sectors of log2(1 + supporters)), so support spread "
    "across sectors outweighs as much support from one sector. Ties go to the idea with more "
    "supporters, then to the earlier one."
)
VOICE_NOTE = gettext_lazy(
    "How evenly the members’ ideas, comments and votes were spread. Anonymous ideas and "
    "comments count for their sector only, never for the person, so a member who wrote only "
    "anonymously is counted among those who did not contribute; those members are counted "
    "here, never named. Evenness is the Gini coefficient of contributions per member: 0 when "
    "everyone contributed equally, towards 1 when one person did everything."
)
SUMMIT_VOICE_NOTE = gettext_lazy(
    "Across the breakouts, a person who was in two of them counts in each."
)
AUDIT_NOTE = gettext_lazy(
    "What facilitators and organisers did, oldest first: hiding, restoring and merging "
    "ideas, moving groups on, drafting outcomes, running the plenary, and each time the "
    "record was opened or taken away."
)
SCOPED_AUDIT_NOTE = gettext_lazy("This record holds only what was done in its own breakouts.")
DISSENT_NOTE = gettext_lazy(
    "Every block and disagreement with an outcome, with the reason given. Ratings in the "
    "groups take no reason; the plenary’s consensus check asks for one with every block."
)

SUPPORT_HEAD = [
    gettext_lazy("Place"),
    gettext_lazy("Idea"),
    gettext_lazy("Cross-sector support"),
    gettext_lazy("Supporters by sector"),
    gettext_lazy("Dots (people)"),
    gettext_lazy("Place by dots"),
]
VOICE_HEAD = [
    gettext_lazy("Sector"),
    gettext_lazy("Members"),
    gettext_lazy("Share of members"),
    gettext_lazy("Contributions"),
    gettext_lazy("Share of contributions"),
]
AUDIT_HEAD = [
    gettext_lazy("When"),
    gettext_lazy("Who"),
    gettext_lazy("What"),
    gettext_lazy("Where"),
    gettext_lazy("Details"),
]


def score(value: float) -> str:
    return f"{value:.2f}"


def percent(value: float | None) -> str:
    """A share in per cent; nothing for a share of people withheld (a row of sectors too
    small to show, together too few as well)."""
    return "" if value is None else f"{value:.1f}%"


def when(at: dt.datetime) -> str:
    """A time in the log, to the second: "3 Dec 2026, 09:30:15"."""
    return date_format(timezone.localtime(at), "j M Y, H:i:s")


def voice_facts(voice: VoiceEntry) -> list[tuple[str, str]]:
    return [
        (_("Members"), str(voice.members)),
        (_("Members who contributed"), str(voice.contributors)),
        (_("Members who did not contribute"), str(voice.quiet)),
        (_("Contributions (ideas, comments and votes)"), str(voice.contributions)),
        (_("Evenness (Gini)"), voice.evenness_text),
        (_("Sectors present but unheard"), ", ".join(map(str, voice.unheard)) or _("None")),
    ]


CONSENSUS_HEAD = [gettext_lazy("Outcome"), gettext_lazy("Rated")]


def rule_notes(supermajority: int) -> tuple[str, str, str]:
    """What a table's head says of each decision rule, after the rule's name."""
    return (
        _("nobody blocks"),
        _("%(threshold)s%% support") % {"threshold": supermajority},
        "",
    )


def rules_note(supermajority: int) -> str:
    """How the record reads every rating of an outcome: each decision rule, in words, with
    the summit's own supermajority."""
    consensus, supermajority_rule, majority = [
        _("%(rule)s (%(asks)s)") % {"rule": str(label).lower(), "asks": asks(key, supermajority)}
        for key, label, _asked in RULES
    ]
    return _(
        "Each outcome is rated on the gradient of agreement and read by three decision rules: "
        "%(consensus)s, %(supermajority)s and %(majority)s."
    ) % {"consensus": consensus, "supermajority": supermajority_rule, "majority": majority}


DISSENT_HEAD = [
    gettext_lazy("Outcome"),
    gettext_lazy("Where"),
    gettext_lazy("Position"),
    gettext_lazy("Who"),
    gettext_lazy("Reason"),
]
