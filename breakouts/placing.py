"""Where a person goes when people are shared out into groups: the one rule both the arrival
of a new attendee and the mixing of everyone follow. (It sits with the models: the rule reads
no database, and the count of honoured preferences is one query.)

The rule, in words an organiser can check:

1. Sectors first. A person goes to a group with the fewest people of their own sector, so
   no group ever holds two more of a sector than another open group does.
2. Then their preference. Among those groups, one on the subtheme they said they would
   prefer is chosen, unless it is already two or more people bigger than the smallest of
   them: a popular subtheme does not swallow the room.
3. Then size. Otherwise the smallest of those groups, and the earliest made of equals.

So a preference is honoured whenever it costs nothing in the mix of sectors and little in
the size of groups, and the organiser is told how many preferences were honoured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from accounts.models import Participant
from breakouts.models import Breakout

# How many more people a preferred group may have than the smallest group it competes with
# before the preference gives way to evening out the groups' sizes.
SIZE_SLACK = 1


@dataclass
class Spot:
    """An open group as the sharing out sees it: its subtheme, and who is in it so far."""

    breakout_id: int
    subtheme_id: int
    size: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)

    def of_sector(self, sector: str) -> int:
        return self.by_sector.get(sector, 0)

    def take(self, sector: str) -> None:
        self.size += 1
        self.by_sector[sector] = self.of_sector(sector) + 1


def choose_spot(spots: list[Spot], sector: str, preferred_subtheme_id: int | None) -> Spot:
    """The group a person of ``sector``, preferring ``preferred_subtheme_id`` (or nothing),
    goes to under the rule above. ``spots`` is never empty."""
    fewest = min(s.of_sector(sector) for s in spots)
    even = [s for s in spots if s.of_sector(sector) == fewest]
    smallest = min(s.size for s in even)
    preferred = [
        s
        for s in even
        if s.subtheme_id == preferred_subtheme_id and s.size <= smallest + SIZE_SLACK
    ]
    return min(preferred or even, key=lambda s: (s.size, s.breakout_id))


@dataclass(frozen=True)
class Preferences:
    """How far a sharing out honoured what people preferred."""

    honoured: int
    stated: int


def preferences_honoured(summit_id: int) -> Preferences:
    """How many attendees still in the summit said which subtheme they would prefer, and how
    many of them are in a group on it now. One query."""
    in_preferred = Breakout.members.through.objects.filter(
        participant_id=OuterRef("pk"), breakout__subtheme_id=OuterRef("preferred_subtheme_id")
    )
    stated = (
        Participant.objects.active()
        .filter(
            summit_id=summit_id,
            role=Participant.Role.ATTENDEE,
            preferred_subtheme__isnull=False,
        )
        .annotate(honoured=Exists(in_preferred))
        .values_list("honoured", flat=True)
    )
    answers = list(stated)
    return Preferences(honoured=sum(answers), stated=len(answers))
