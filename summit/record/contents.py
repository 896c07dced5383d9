"""What the record holds, as plain data: each format is rendered from one ``Record``.

People appear here only as the record names them (``by``, ``name``), never as rows of the
database, so no format can name anyone another way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from summit.event.agreement import Decision

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
    sector: str
    attendees: int = 0
    facilitators: int = 0
    organisers: int = 0

    @property
    def total(self) -> int:
        return self.attendees + self.facilitators + self.organisers


@dataclass
class AgendaEntry:
    order: int
    kind: str
    title: str
    starts_at: str
    ends_at: str
    description: str


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


@dataclass
class RankedItem:
    place: int
    text: str
    points: int
    note: str


@dataclass
class PromptEntry:
    number: int
    text: str
    subtheme: int | None


@dataclass
class CommentEntry:
    id: int
    idea: int
    by: str
    sector: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class IdeaSupport:
    """Who supported an idea (everyone with a dot on it, however many dots), by sector, and
    its cross-sector support score (``summit.event.measures.cross_sector_support``)."""

    dots: int = 0
    voters: int = 0
    score: float = 0.0
    sectors: tuple[tuple[str, int], ...] = ()  # (sector, supporters), most first

    @property
    def rounded(self) -> float:
        return round(self.score, 2)

    def breakdown(self, separator: str = ", ") -> str:
        """The supporters by sector as words: "Health and care (NHS) 2, Faith 1"."""
        return separator.join(f"{sector} {n}" for sector, n in self.sectors)


NO_SUPPORT = IdeaSupport()


@dataclass
class IdeaEntry:
    id: int
    breakout: int
    text: str
    by: str
    sector: str
    prompt: int | None
    status: str
    status_label: str
    hidden_reason: str
    merged_into: int | None
    cluster: str
    dots: int
    voters: int
    created_at: dt.datetime
    edited_at: dt.datetime | None
    comments: list[CommentEntry] = field(default_factory=list)
    support: IdeaSupport = NO_SUPPORT
    place_by_dots: int | None = None  # on the wall: its place in each of the two orders
    place_by_support: int | None = None


@dataclass
class ClusterEntry:
    id: int
    name: str
    ideas: list[int]


@dataclass
class SectorSplit:
    sector: str
    support: int
    stand_aside: int
    disagree: int
    block: int


@dataclass
class Check:
    """One reading of an outcome on the gradient of agreement: the group's own ratings, or
    a round of the plenary's consensus check."""

    where: str
    poll: int | None
    rated: int
    levels: list[Level]
    decision: Decision
    sectors: list[SectorSplit]
    remarks: list[Remark] = field(default_factory=list)

    @property
    def rules(self) -> list[tuple[str, str, bool]]:
        return self.decision.rules()


@dataclass
class Source:
    """An idea an outcome draws on."""

    idea: int
    text: str
    by: str
    dots: int
    voters: int
    status: str


@dataclass
class OutcomeEntry:
    number: int
    id: int
    breakout: str
    proposal: str
    who_should_act: str
    horizon: str
    drafted_by: str
    sources: list[Source]
    checks: list[Check] = field(default_factory=list)


@dataclass
class Merge:
    idea: int
    text: str
    by: str
    into: int


@dataclass
class SectorShare:
    sector: str
    members: int
    member_share: float  # percentage of the group's members
    contributions: int
    contribution_share: float  # percentage of the group's contributions

    @property
    def under(self) -> bool:
        """Heard less than its share of the group."""
        return self.contribution_share < self.member_share


@dataclass
class VoiceEntry:
    """How evenly a group's ideas, comments and votes were spread, by member and by sector.
    The members who did not contribute are counted here, never named: the record goes far
    beyond the room, and naming who stayed quiet is not its job."""

    members: int
    contributors: int
    contributions: int
    evenness: float | None  # the Gini index of contributions per member; None with none
    sectors: list[SectorShare]
    unheard: list[str]  # sectors present in the group but with no contribution

    @property
    def quiet(self) -> int:
        return self.members - self.contributors

    @property
    def evenness_text(self) -> str:
        return "No contributions" if self.evenness is None else f"{self.evenness:.2f}"


@dataclass
class BreakoutEntry:
    id: int
    name: str
    subtheme: str
    phase: str
    facilitators: list[str]
    members: int
    prompts: list[PromptEntry]
    ideas: list[IdeaEntry]  # on the wall, most dots first (empty unless contributions loaded)
    hidden: list[IdeaEntry]
    withdrawn: list[IdeaEntry]
    merges: list[Merge]
    clusters: list[ClusterEntry]
    outcomes: list[OutcomeEntry]
    idea_count: int = 0
    comment_count: int = 0
    dots: int = 0
    # The ideas on the wall, by number, in each order: most dots first, and by cross-sector
    # support (``summit.event.measures.support_order``). Filled whether or not ``ideas`` is.
    by_dots: list[int] = field(default_factory=list)
    by_support: list[int] = field(default_factory=list)
    voice: VoiceEntry | None = None

    @property
    def ideas_by_support(self) -> list[IdeaEntry]:
        place = {idea: n for n, idea in enumerate(self.by_support)}
        return sorted(self.ideas, key=lambda i: place[i.id])


@dataclass
class SubthemeEntry:
    order: int
    title: str
    question: str
    prompts: list[PromptEntry]
    breakouts: list[BreakoutEntry]


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


@dataclass
class StatementEntry:
    text: str
    rated: int
    levels: list[Level]
    outcome: int | None = None  # the outcome's number, in a consensus check
    decision: Decision | None = None
    sectors: list[SectorSplit] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)


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


@dataclass
class Figure:
    label: str
    value: int


@dataclass
class SectorActivity:
    sector: str
    attendees: int = 0
    ideas: int = 0
    comments: int = 0
    voters: int = 0
    respondents: int = 0


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
    attendance: list[SectorCount]
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
    by_sector: list[SectorActivity]
    voice: VoiceEntry  # across the record's breakouts
    audit: list[AuditLine]  # oldest first
    support: dict[int, IdeaSupport]  # by idea number, for the ideas anyone placed a dot on
    version: str = VERSION

    @property
    def covers(self) -> str:
        if self.whole:
            return "The whole summit"
        if not self.scope:
            return "The summit’s plenary, and no breakout"
        return f"The breakouts {', '.join(self.scope)}, and the summit’s plenary"

    @property
    def all_breakouts(self) -> str:
        """What the record's voice balance across its breakouts is called."""
        return "All breakouts" if self.whole else "All breakouts in this record"

    @property
    def breakouts(self) -> list[BreakoutEntry]:
        return [b for s in self.subthemes for b in s.breakouts]

    @property
    def outcomes(self) -> list[OutcomeEntry]:
        return [o for b in self.breakouts for o in b.outcomes]

    @property
    def attendance_total(self) -> SectorCount:
        return SectorCount(
            "All sectors",
            attendees=sum(s.attendees for s in self.attendance),
            facilitators=sum(s.facilitators for s in self.attendance),
            organisers=sum(s.organisers for s in self.attendance),
        )
