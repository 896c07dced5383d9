"""Cross-sector support in the record: each idea's supporters by sector, from one grouped
query over the votes of all the record's breakouts, and each breakout's wall in both orders,
by dots and by cross-sector support (docs/cross-sector-support.md)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, Sum

from breakouts.board import named_supporters
from breakouts.models import Idea, Vote
from summit.event.measures import cross_sector_support, support_order
from summit.record.breakout_contents import NO_SUPPORT, IdeaEntry, IdeaSupport


def _support(by_sector: dict[str, int], dots: int, names: dict[str, str]) -> IdeaSupport:
    # Counted and named as the breakout's screens do.
    return IdeaSupport(
        dots=dots,
        voters=sum(by_sector.values()),
        score=cross_sector_support(by_sector),
        sectors=tuple(named_supporters(by_sector, names)),
    )


def load_support(breakout_ids: list[int], names: dict[str, str]) -> dict[int, IdeaSupport]:
    """The support of every idea anyone placed a dot on in the breakouts: a supporter is a
    person with at least one dot on it, counted by their sector (named as in ``names``, the
    summit's). One query, however many."""
    voters: dict[int, dict[str, int]] = defaultdict(dict)
    dots: Counter = Counter()
    rows = (
        Vote.objects.filter(idea__breakout_id__in=breakout_ids)
        .values_list("idea_id", "voter__sector")
        .annotate(people=Count("voter_id", distinct=True), dots=Sum("dots"))
        .order_by()
    )
    for idea_id, sector, people, n in rows:
        voters[idea_id][sector] = people
        dots[idea_id] += n
    return {
        idea_id: _support(by_sector, dots[idea_id], names) for idea_id, by_sector in voters.items()
    }


def orders(ideas: Iterable[int], support: dict[int, IdeaSupport]) -> tuple[list[int], list[int]]:
    """The ideas (by number) most dots first, and by cross-sector support; each order breaks
    its ties as the breakout's screens do: more supporters first, then the earlier idea."""
    of = {pk: support.get(pk, NO_SUPPORT) for pk in ideas}
    by_dots = sorted(of, key=lambda pk: (-of[pk].dots, -of[pk].voters, pk))
    by_support = sorted(of, key=lambda pk: support_order(of[pk].score, of[pk].voters, pk))
    return by_dots, by_support


def on_the_wall(breakout_ids: list[int], loaded: list[IdeaEntry] | None) -> dict[int, list[int]]:
    """The numbers of the ideas on each breakout's wall: from the ideas ``loaded``, or, for the
    formats that stream the ideas instead, in one query for the numbers alone."""
    wall: dict[int, list[int]] = defaultdict(list)
    if loaded is not None:
        for idea in loaded:
            if idea.status == Idea.Status.VISIBLE:
                wall[idea.breakout].append(idea.id)
        return wall
    for breakout_id, idea_id in (
        Idea.objects.filter(breakout_id__in=breakout_ids, status=Idea.Status.VISIBLE)
        .order_by()
        .values_list("breakout_id", "pk")
    ):
        wall[breakout_id].append(idea_id)
    return wall
