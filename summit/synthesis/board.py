"""What the synthesis shows, loaded in a fixed number of queries however many breakouts,
clusters, outcomes, ideas and dots there are: between the models and the services.

A theme's ideas are the ideas on the wall of its mapped clusters and of its mapped outcomes'
sources, each once; its rooms are the breakouts they were mapped from. Its support is counted
as an idea's is (docs/cross-sector-support.md): a supporter is anyone with a dot on any of its
ideas, counted once however many of them they dotted, by their sector; its cross-sector
support is the sum over sectors of log2(1 + supporters), and its supporters by sector are
shown by the rule on small sectors. The page, the plenary's big screen and the record all
read themes from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from breakouts.board import named_supporters
from breakouts.models import Breakout, Cluster, Idea, Outcome, Vote
from summit.event.measures import SectorCell, cross_sector_support
from summit.synthesis.access import CLUSTER, OUTCOME
from summit.synthesis.models import Theme


@dataclass
class IdeaRef:
    """An idea on a wall, as the synthesis reads it: no author is named."""

    id: int
    breakout_id: int
    text: str
    sector: str  # the key of the sector it came from (a voice in the room's, if typed for one)
    author: int | None  # who wrote it, unless it was typed in for a voice in the room
    breakout: str = ""  # its breakout's name
    dots: int = 0


@dataclass
class Candidate:
    """A theme the engine offers for a cluster or outcome, and how alike they are."""

    theme_id: int
    name: str
    percent: int


@dataclass
class Item:
    """A cluster or an outcome of a breakout, and the theme it is mapped to, if any."""

    kind: str  # CLUSTER or OUTCOME
    id: int
    breakout_id: int
    breakout: str
    name: str  # the cluster's name, or the outcome's proposal
    ideas: list[int]
    theme_id: int | None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass
class ThemeEntry:
    """A theme with what is mapped to it and what that adds up to."""

    theme: Theme
    items: list[Item] = field(default_factory=list)
    ideas: list[IdeaRef] = field(default_factory=list)
    rooms: list[tuple[int, str]] = field(default_factory=list)  # breakouts: id and name
    dots: int = 0
    supporters: int = 0
    score: float = 0.0
    supporting_sectors: int = 0
    sectors: list[SectorCell] = field(default_factory=list)  # supporters, as shown

    @property
    def room_names(self) -> list[str]:
        return [name for _, name in self.rooms]

    @property
    def named_sectors(self) -> list[SectorCell]:
        return [cell for cell in self.sectors if not cell.withheld]


@dataclass
class Synthesis:
    """One subtheme's synthesis: its themes in their order, and what is not mapped yet."""

    subtheme_id: int
    themes: list[ThemeEntry] = field(default_factory=list)
    unmapped: list[Item] = field(default_factory=list)
    # Everything the themes by sector are worked out from.
    ideas: dict[int, IdeaRef] = field(default_factory=dict)
    votes: list[tuple[int, int, str, int]] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [*(i for t in self.themes for i in t.items), *self.unmapped]


@dataclass
class _Loaded:
    """The rows the syntheses are made from, read once."""

    breakouts: dict[int, tuple[str, int]]  # id: name, subtheme
    ideas: dict[int, IdeaRef]
    votes: list[tuple[int, int, str, int]]  # idea, voter, voter's sector, dots
    items: list[Item]


def _items(breakout_ids: list[int], breakouts: dict, by_cluster: dict) -> list[Item]:
    """The clusters, then the outcomes, of the breakouts, each with its theme if mapped.
    Three queries."""
    items = [
        Item(CLUSTER, pk, b, breakouts[b][0], name, by_cluster.get(pk, []), theme)
        for pk, name, b, theme in Cluster.objects.filter(breakout_id__in=breakout_ids)
        .order_by("breakout_id", "created_at", "pk")
        .values_list("pk", "name", "breakout_id", "theme_link__theme")
    ]
    sources: dict[int, list[int]] = defaultdict(list)
    for outcome_id, idea_id in (
        Outcome.ideas.through.objects.filter(outcome__breakout_id__in=breakout_ids)
        .order_by("idea_id")
        .values_list("outcome_id", "idea_id")
    ):
        sources[outcome_id].append(idea_id)
    items += [
        Item(OUTCOME, pk, b, breakouts[b][0], proposal, sources.get(pk, []), theme)
        for pk, proposal, b, theme in Outcome.objects.filter(breakout_id__in=breakout_ids)
        .order_by("breakout_id", "created_at", "pk")
        .values_list("pk", "proposal", "breakout_id", "theme_link__theme")
    ]
    return items


def _load(breakouts: QuerySet | list[Breakout], *, texts: bool) -> _Loaded:
    """The breakouts' names (read from a query of them, or from the breakouts given, in
    the summit's order), the ideas on their walls (with their words if ``texts``), the dots
    on them, and their clusters and outcomes. Five queries, and one for a query of breakouts."""
    if isinstance(breakouts, QuerySet):
        rows = breakouts.order_by("subtheme__order", "name", "pk").values_list(
            "pk", "name", "subtheme_id"
        )
    else:
        rows = [(b.pk, b.name, b.subtheme_id) for b in breakouts]
    found = {pk: (name, subtheme) for pk, name, subtheme in rows}
    ids = list(found)
    wall = Idea.objects.filter(breakout_id__in=ids, status=Idea.Status.VISIBLE).order_by("pk")
    ideas: dict[int, IdeaRef] = {}
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for pk, breakout, text, cluster, author, sector, spoken in wall.values_list(
        "pk",
        "breakout_id",
        "text" if texts else "pk",
        "cluster_id",
        "author_id",
        "author__sector",
        "spoken_sector",
    ):
        words = text if texts else ""
        room = found[breakout][0]
        ideas[pk] = IdeaRef(pk, breakout, words, spoken or sector, None if spoken else author, room)
        if cluster is not None:
            by_cluster[cluster].append(pk)
    votes = list(
        Vote.objects.filter(idea_id__in=wall.values("pk"))
        .order_by()
        .values_list("idea_id", "voter_id", "voter__sector", "dots")
    )
    for idea_id, _, _, dots in votes:
        ideas[idea_id].dots += dots
    return _Loaded(found, ideas, votes, _items(ids, found, by_cluster))


def _add_up(entry: ThemeEntry, loaded: _Loaded, voters: dict, names: dict[str, str]) -> None:
    """The theme's ideas (each once), rooms, dots and supporters by sector."""
    seen: dict[int, IdeaRef] = {}
    rooms: dict[int, str] = {}
    for item in entry.items:
        rooms.setdefault(item.breakout_id, item.breakout)
        for idea_id in item.ideas:
            if idea_id in loaded.ideas:
                seen.setdefault(idea_id, loaded.ideas[idea_id])
    entry.ideas = sorted(seen.values(), key=lambda idea: idea.id)
    order = {pk: n for n, pk in enumerate(loaded.breakouts)}
    entry.rooms = sorted(rooms.items(), key=lambda room: order.get(room[0], 0))
    entry.dots = sum(idea.dots for idea in entry.ideas)
    people: dict[int, str] = {}
    for idea in entry.ideas:
        people.update(voters.get(idea.id, {}))
    by_sector = Counter(people.values())
    entry.supporters = len(people)
    entry.score = cross_sector_support(by_sector)
    entry.supporting_sectors = sum(1 for n in by_sector.values() if n)
    entry.sectors = named_supporters(dict(by_sector), names)


def gather(
    themes: Iterable[Theme],
    breakouts: QuerySet | list[Breakout],
    names: dict[str, str],
    *,
    texts: bool = True,
) -> dict[int, Synthesis]:
    """The synthesis of each subtheme the ``themes`` and ``breakouts`` are on, by the
    subtheme's id: every theme given, in the order given, with the clusters and outcomes of
    ``breakouts`` mapped to it, and those of them mapped to none. Sectors are named as in
    ``names`` (the summit's). Seven queries, counting the themes' and the breakouts' (five
    when the themes and the breakouts are given as lists); without ``texts`` the ideas'
    words are not read (the record has them elsewhere)."""
    themes = list(themes)
    loaded = _load(breakouts, texts=texts)
    syntheses: dict[int, Synthesis] = {}

    def of(subtheme_id: int) -> Synthesis:
        return syntheses.setdefault(subtheme_id, Synthesis(subtheme_id))

    entries = {}
    for theme in themes:
        entries[theme.pk] = ThemeEntry(theme)
        of(theme.subtheme_id).themes.append(entries[theme.pk])
    for item in loaded.items:
        subtheme = of(loaded.breakouts[item.breakout_id][1])
        if item.theme_id in entries:
            entries[item.theme_id].items.append(item)
        else:
            item.theme_id = None  # a theme not asked for counts as none
            subtheme.unmapped.append(item)
    voters: dict[int, dict[int, str]] = defaultdict(dict)
    for idea_id, voter, sector, _ in loaded.votes:
        voters[idea_id][voter] = sector
    for entry in entries.values():
        _add_up(entry, loaded, voters, names)
    for pk, idea in loaded.ideas.items():
        synthesis = of(loaded.breakouts[idea.breakout_id][1])
        synthesis.ideas[pk] = idea
    for row in loaded.votes:
        of(loaded.breakouts[loaded.ideas[row[0]].breakout_id][1]).votes.append(row)
    return syntheses
