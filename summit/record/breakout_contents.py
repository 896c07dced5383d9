"""What the record holds of its breakouts, as plain data: each breakout with its ideas,
clusters, outcomes (and how each was rated) and voice balance, under its subtheme.

People appear here only as the record names them (``by``), never as rows of the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from summit.event.measures import OTHER_SECTORS, small_sectors_combined

if TYPE_CHECKING:
    from summit.event.agreement import Decision
    from summit.event.measures import SectorCell
    from summit.record.contents import Level, PromptEntry, Remark


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
    # (sector, supporters), most first; sectors too small to show alone only together, last
    sectors: tuple[SectorCell, ...] = ()

    @property
    def rounded(self) -> float:
        return round(self.score, 2)

    def breakdown(self, separator: str = ", ") -> str:
        """The supporters by sector as words: "Health and care (NHS) 7, Faith 5"."""
        return separator.join(str(cell) for cell in self.sectors)


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
    """How the people of a sector rated an outcome. In a row of sectors too small to show,
    together too few as well, the counts are withheld (``None``)."""

    sector: str
    support: int | None
    stand_aside: int | None
    disagree: int | None
    block: int | None
    withheld: bool = False

    @property
    def rated(self) -> int | None:
        if self.withheld:
            return None
        return self.support + self.stand_aside + self.disagree + self.block


def splits_shown(splits: list[SectorSplit]) -> list[SectorSplit]:
    """Ratings by sector as the record gives them: a sector where fewer than
    ``SMALLEST_CELL`` people rated only within a combined row
    (``summit.event.measures.small_sectors_combined``), as on the plenary's screens."""

    def combined(small: list[SectorSplit], withheld: bool) -> SectorSplit:
        if withheld:
            return SectorSplit(str(OTHER_SECTORS), None, None, None, None, withheld=True)
        return SectorSplit(
            str(OTHER_SECTORS),
            support=sum(s.support for s in small),
            stand_aside=sum(s.stand_aside for s in small),
            disagree=sum(s.disagree for s in small),
            block=sum(s.block for s in small),
        )

    return small_sectors_combined(splits, lambda s: s.rated, combined)


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
    visible: bool = True  # still on the wall: its status goes unsaid


@dataclass
class ActionEntry:
    """A follow-up action on an outcome, as it stood when the record was made."""

    id: int
    owner: str
    status: str
    due: dt.date | None
    notes: str
    key: str = ""  # the status as stored, for pages that follow it as it changes


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
    actions: list[ActionEntry] = field(default_factory=list)


@dataclass
class Merge:
    idea: int
    text: str
    by: str
    into: int


@dataclass
class SectorShare:
    """A sector's share of a group and of its contributions. In a row of sectors too small
    to show, together too few as well, the members and their share are withheld (``None``)."""

    sector: str
    members: int | None
    member_share: float | None  # percentage of the group's members
    contributions: int
    contribution_share: float  # percentage of the group's contributions

    @property
    def withheld(self) -> bool:
        return self.members is None

    @property
    def under(self) -> bool:
        """Heard less than its share of the group (never said of a withheld row)."""
        return self.member_share is not None and self.contribution_share < self.member_share


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
        return gettext("No contributions") if self.evenness is None else f"{self.evenness:.2f}"


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
    subtheme_cy: str = ""  # the subtheme's title in Welsh

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
    title_cy: str = ""
    question_cy: str = ""
