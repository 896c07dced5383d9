"""Voice balance: who has contributed in a breakout (ideas, comments, votes), by person and
by sector against the sector's share of the group, so a facilitator sees early who has not
been heard. Loaded for any number of breakouts in a fixed number of queries.

Anonymous ideas and comments count for their sector only, never for the person: otherwise a
named member's count rising as an anonymous idea appeared would say who wrote it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F

from accounts.models import Participant
from breakouts.models import Breakout, Comment, Idea, Vote
from summit.event.measures import OTHER_SECTORS, gini, small_sectors_combined
from summit.event.sectors import in_sector_order, names_for, sector_names


@dataclass
class MemberVoice:
    participant: Participant
    ideas: int = 0
    comments: int = 0
    votes: int = 0

    @property
    def total(self) -> int:
        return self.ideas + self.comments + self.votes


@dataclass
class SectorVoice:
    """A sector's share of a group and of what it contributed. In a row of sectors too small
    to show, together too few as well, the members and their share are withheld (``None``):
    the contributions, which count no one, stay."""

    sector: str  # the key, or "" for the row of sectors too small to show alone
    label: str
    members: int | None
    contributions: int
    room_share: float | None  # percentage of the group's members
    voice_share: float  # percentage of the group's contributions

    @property
    def heard(self) -> bool:
        return self.contributions > 0

    @property
    def withheld(self) -> bool:
        return self.members is None

    @property
    def under(self) -> bool:
        """Heard less than its share of the group (never said of a withheld row)."""
        return self.room_share is not None and self.voice_share < self.room_share


@dataclass
class VoiceBalance:
    members: list[MemberVoice] = field(default_factory=list)
    sectors: list[SectorVoice] = field(default_factory=list)
    contributions: int = 0
    names: dict[str, str] = field(default_factory=dict)  # the summit's sectors, by key

    @property
    def evenness(self) -> float | None:
        """The Gini index of members' contributions: 0 is perfectly even."""
        return gini(m.total for m in self.members)

    @property
    def quiet(self) -> list[Participant]:
        return [m.participant for m in self.members if m.total == 0]

    @property
    def sectors_shown(self) -> list[SectorVoice]:
        """The sectors as every screen and the record show them: a sector with fewer than
        ``SMALLEST_CELL`` members only within a combined row (``small_sectors_combined``)."""

        def combined(small: list[SectorVoice], withheld: bool) -> SectorVoice:
            members = sum(s.members for s in small)
            contributions = sum(s.contributions for s in small)
            return SectorVoice(
                sector="",
                label=str(OTHER_SECTORS),
                members=None if withheld else members,
                contributions=contributions,
                room_share=None if withheld else _percent(members, len(self.members)),
                voice_share=_percent(contributions, self.contributions),
            )

        return small_sectors_combined(self.sectors, lambda s: s.members, combined)

    @property
    def unheard(self) -> list[str]:
        """The sectors present but with no contribution, as ``sectors_shown`` names them."""
        return [s.label for s in self.sectors_shown if not s.heard]

    @property
    def contributors(self) -> int:
        return sum(1 for m in self.members if m.total)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def voice_balances(
    breakout_ids: list[int], names: dict[str, str] | None = None
) -> dict[int, VoiceBalance]:
    """The voice balance of each breakout (all of one summit), in four queries however many
    people; five without ``names``, the summit's sector names, which it then reads."""
    if names is None:
        summit_id = Breakout.objects.filter(pk__in=breakout_ids[:1]).values("summit_id")[:1]
        names = sector_names(summit_id)
    # The people alone, with what the panel shows of them: the panel is worked out often, and
    # whole participants, each with a membership row, took most of its time.
    people = (
        Participant.objects.filter(breakouts__in=breakout_ids, removed_at__isnull=True)
        .annotate(member_of=F("breakouts"))
        .only("display_name", "organisation", "sector", "anonymous")
        .order_by("display_name", "pk")
    )
    members: dict[int, dict[int, MemberVoice]] = defaultdict(dict)
    for person in people:
        members[person.member_of][person.pk] = MemberVoice(person)
        person.sector_names = names
    by_sector: dict[int, Counter] = defaultdict(Counter)

    def count(breakout_id: int, person_id: int, n: int, kind: str, anonymous=False) -> None:
        voice = members[breakout_id].get(person_id)
        if voice is None:
            return  # not a member of the group (a facilitator's own remark, say)
        if not anonymous:
            setattr(voice, kind, getattr(voice, kind) + n)
        by_sector[breakout_id][voice.participant.sector] += n

    ideas = (
        Idea.objects.filter(breakout_id__in=breakout_ids)
        .values_list("breakout_id", "author_id", "anonymous", "spoken_sector")
        .annotate(n=Count("id"))
    )
    for breakout_id, author_id, anonymous, spoken, n in ideas:
        if spoken:
            # Said in the room by someone known only by their sector.
            by_sector[breakout_id][spoken] += n
        else:
            count(breakout_id, author_id, n, "ideas", anonymous)
    comments = (
        Comment.objects.filter(idea__breakout_id__in=breakout_ids)
        .values_list("idea__breakout_id", "author_id", "anonymous")
        .annotate(n=Count("id"))
    )
    for breakout_id, author_id, anonymous, n in comments:
        count(breakout_id, author_id, n, "comments", anonymous)
    votes = (
        Vote.objects.filter(idea__breakout_id__in=breakout_ids)
        .values_list("idea__breakout_id", "voter_id")
        .annotate(n=Count("id"))
    )
    for breakout_id, voter_id, n in votes:
        count(breakout_id, voter_id, n, "votes")
    return {pk: _balance(list(members[pk].values()), by_sector[pk], names) for pk in breakout_ids}


def _balance(members: list[MemberVoice], by_sector: Counter, names: dict[str, str]) -> VoiceBalance:
    room = Counter(m.participant.sector for m in members)
    total = sum(by_sector.values())
    sectors = [
        SectorVoice(
            sector=sector,
            label=names.get(sector, sector),
            members=room[sector],
            contributions=by_sector[sector],
            room_share=_percent(room[sector], len(members)),
            voice_share=_percent(by_sector[sector], total),
        )
        for sector in in_sector_order(set(room) | set(by_sector), names)
    ]
    return VoiceBalance(members=members, sectors=sectors, contributions=total, names=names)


def voice_balance(breakout: Breakout) -> VoiceBalance:
    return voice_balances([breakout.pk], names_for(breakout))[breakout.pk]


def summit_balance(balances: list[VoiceBalance]) -> VoiceBalance:
    """The whole summit's balance, from its breakouts' (a person in two groups counts twice)."""
    members = [m for b in balances for m in b.members]
    by_sector: Counter = Counter()
    for b in balances:
        for s in b.sectors:
            by_sector[s.sector] += s.contributions
    return _balance(members, by_sector, balances[0].names if balances else {})
