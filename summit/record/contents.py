"""What the record holds, as plain data: each format is rendered from one ``Record``. Its
breakouts are in ``breakout_contents``; the rest of the summit is here.

People appear here only as the record names them (``by``, ``name``), never as rows of the
database, so no format can name anyone another way.

An organiser's text is held as the summit holds it: the English in its field, the Welsh
version beside it in the field of the same name ending ``_cy`` ("" for none). Each format
gives the one in the record's language (``summit.event.bilingual``), and the JSON document
both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from summit.event.measures import OTHER_SECTORS, small_sectors_combined

if TYPE_CHECKING:
    from accounts.feedback import FeedbackResults
    from plenary.shift import PollShift
    from summit.event.agreement import Decision
    from summit.record.breakout_contents import (
        BreakoutEntry,
        IdeaSupport,
        OutcomeEntry,
        SectorSplit,
        SubthemeEntry,
        VoiceEntry,
    )
    from summit.record.floor import FloorSession
    from summit.record.themes import SubthemeThemes

VERSION = "1"

# Where a poll's results appear in the record, when not in the plenary polls section.
ASSUMPTIONS = "assumptions"
OBSTACLES = "obstacles"
CONSENSUS = "consensus"


@dataclass
class Person:
    name: str
    sector: str
    role: str


@dataclass
class SectorCount:
    """The people of a sector by role. In a row of sectors too small to show, together too
    few as well, the counts are withheld (``None``)."""

    sector: str
    attendees: int | None = 0
    facilitators: int | None = 0
    organisers: int | None = 0
    withheld: bool = False

    @property
    def total(self) -> int | None:
        if self.withheld:
            return None
        return self.attendees + self.facilitators + self.organisers


def attendance_shown(rows: list[SectorCount]) -> list[SectorCount]:
    """Attendance by sector as the record gives it: a sector of fewer than ``SMALLEST_CELL``
    people only within a combined row (``summit.event.measures.small_sectors_combined``)."""

    def combined(small: list[SectorCount], withheld: bool) -> SectorCount:
        if withheld:
            return SectorCount(str(OTHER_SECTORS), None, None, None, withheld=True)
        return SectorCount(
            str(OTHER_SECTORS),
            attendees=sum(s.attendees for s in small),
            facilitators=sum(s.facilitators for s in small),
            organisers=sum(s.organisers for s in small),
        )

    return small_sectors_combined(rows, lambda s: s.total, combined)


@dataclass
class AgendaEntry:
    order: int
    kind: str
    title: str
    starts_at: str
    ends_at: str
    description: str
    title_cy: str = ""
    description_cy: str = ""


@dataclass
class Level:
    value: int
    label: str
    count: int


@dataclass
class Remark:
    """A challenge, a reason or an open-text answer, attributed as its writer chose."""

    by: str
    sector: str
    position: str
    text: str


@dataclass
class AssumptionResult:
    number: int
    text: str
    rated: int = 0
    levels: list[Level] = field(default_factory=list)
    challenges: list[Remark] = field(default_factory=list)
    text_cy: str = ""


@dataclass
class RankedItem:
    place: int
    text: str
    points: int
    note: str
    text_cy: str = ""


@dataclass
class PromptEntry:
    number: int
    text: str
    subtheme: int | None
    text_cy: str = ""


@dataclass
class Dissent:
    outcome: int
    proposal: str
    breakout: str
    where: str
    position: str
    by: str
    sector: str
    reason: str


@dataclass
class Bar:
    label: str
    count: int
    note: str
    label_cy: str = ""  # an option's Welsh version


@dataclass
class StatementEntry:
    text: str
    rated: int
    levels: list[Level]
    outcome: int | None = None  # the outcome's number, in a consensus check
    decision: Decision | None = None
    sectors: list[SectorSplit] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    text_cy: str = ""  # a statement's Welsh version (none for an outcome's proposal)


@dataclass
class PollEntry:
    id: int
    question: str
    kind: str
    kind_label: str
    state: str
    responses: int
    agenda_item: str
    part: str  # the section that gives its results, if not the polls section
    round: int | None = None
    bars: list[Bar] = field(default_factory=list)
    statements: list[StatementEntry] = field(default_factory=list)
    words: list[tuple[str, int]] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    question_cy: str = ""
    agenda_item_cy: str = ""


@dataclass
class Figure:
    label: str
    value: int


@dataclass
class SectorActivity:
    """What a sector's people did. ``people``, everyone of the sector in the summit, decides
    whether the row is shown on its own, as in the attendance. In a row of sectors too small
    to show, together too few as well, the counts of people are withheld (``None``); the
    ideas and comments, which count no one, stay."""

    sector: str
    attendees: int | None = 0
    ideas: int = 0
    comments: int = 0
    voters: int | None = 0
    respondents: int | None = 0
    people: int = 0

    @property
    def withheld(self) -> bool:
        return self.attendees is None


def activity_shown(rows: list[SectorActivity]) -> list[SectorActivity]:
    """What each sector did, as the record gives it: the same sectors as the attendance
    only together (``summit.event.measures.small_sectors_combined``)."""

    def combined(small: list[SectorActivity], withheld: bool) -> SectorActivity:
        return SectorActivity(
            str(OTHER_SECTORS),
            attendees=None if withheld else sum(s.attendees for s in small),
            ideas=sum(s.ideas for s in small),
            comments=sum(s.comments for s in small),
            voters=None if withheld else sum(s.voters for s in small),
            respondents=None if withheld else sum(s.respondents for s in small),
            people=sum(s.people for s in small),
        )

    return small_sectors_combined(rows, lambda s: s.people, combined)


@dataclass
class AuditLine:
    """One entry of the audit log: something a facilitator or organiser did."""

    at: dt.datetime
    who: str
    action: str
    place: str
    detail: dict
    details: str  # ``detail`` in words


@dataclass
class Record:
    generated_at: dt.datetime
    slug: str
    title: str
    convener: str
    central_question: str
    summary: str
    date: dt.date | None
    status: str
    whole: bool  # the whole summit, or (for a facilitator) only the breakouts in ``scope``
    scope: list[str]
    agenda: list[AgendaEntry]
    attendance: list[SectorCount]  # as shown: small sectors only together
    attendance_total: SectorCount
    people: list[Person]
    assumptions: list[AssumptionResult]
    assumptions_responses: int
    obstacles: list[RankedItem]
    obstacles_responses: int
    prompts: list[PromptEntry]
    subthemes: list[SubthemeEntry]
    dissent: list[Dissent]
    polls: list[PollEntry]
    figures: list[Figure]
    by_sector: list[SectorActivity]  # as shown: small sectors only together
    voice: VoiceEntry  # across the record's breakouts
    audit: list[AuditLine]  # oldest first
    support: dict[int, IdeaSupport]  # by idea number, for the ideas anyone placed a dot on
    supermajority: int  # the share of support, in per cent, the supermajority rule asked for
    # The summit's sectors, key to name: how the tables streamed from ``rows`` name them.
    sector_names: dict[str, str] = field(default_factory=dict)
    # The appendix: what people said of the day, by sector and without names.
    feedback: FeedbackResults | None = None
    # Each poll asked again at the close, with how views moved (``plenary.shift``).
    shifts: list[PollShift] = field(default_factory=list)
    # The sessions of questions from the floor, each with its questions (``floor``).
    floor: list[FloorSession] = field(default_factory=list)
    # The themes across rooms of each subtheme, with what is mapped to them (``themes``).
    themes: list[SubthemeThemes] = field(default_factory=list)
    # The Welsh versions of the summit's title, question and summary ("" for none).
    title_cy: str = ""
    central_question_cy: str = ""
    summary_cy: str = ""
    version: str = VERSION

    @property
    def covers(self) -> str:
        if self.whole:
            return _("The whole summit")
        if not self.scope:
            return _("The summit’s plenary, and no breakout")
        return _("The breakouts %(names)s, and the summit’s plenary") % {
            "names": ", ".join(self.scope)
        }

    @property
    def all_breakouts(self) -> str:
        """What the record's voice balance across its breakouts is called."""
        return _("All breakouts") if self.whole else _("All breakouts in this record")

    @property
    def breakouts(self) -> list[BreakoutEntry]:
        return [b for s in self.subthemes for b in s.breakouts]

    @property
    def outcomes(self) -> list[OutcomeEntry]:
        return [o for b in self.breakouts for o in b.outcomes]
