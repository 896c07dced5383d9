"""Themes by sector: for each theme of a subtheme, its share of each sector's ideas on the
subtheme's walls and of each sector's dots there. Pure functions over what ``board`` loaded;
between the models and the services.

A sector's people here are those of it who wrote an idea on the subtheme's walls or placed a
dot there (an idea typed in for a voice in the room counts for that sector's ideas, and for
nobody's person). The columns follow the rule on small sectors
(``summit.event.measures.small_sectors_combined``): a sector of fewer than five such people is
only in the combined column, and where that column still counts fewer than five, its figures
are withheld ("fewer than 5").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from summit.event.measures import OTHER_SECTORS, small_sectors_combined, withheld_or
from summit.event.sectors import in_sector_order
from summit.synthesis.board import Synthesis, ThemeEntry


@dataclass
class SectorColumn:
    """A sector (or the small ones together): its people, ideas and dots on the subtheme, and
    each theme's part of them (by the theme's id)."""

    label: str
    people: int | None  # None where withheld
    ideas: int = 0
    dots: int = 0
    theme_ideas: Counter = field(default_factory=Counter)
    theme_dots: Counter = field(default_factory=Counter)

    @property
    def withheld(self) -> bool:
        return self.people is None


@dataclass
class Share:
    """A theme's share of a column's ideas or dots, as a whole percentage; ``None`` when the
    column has none, or its figures are withheld."""

    percent: int | None
    withheld: bool = False

    @property
    def text(self) -> str:
        if self.withheld:
            return str(withheld_or(None))
        return "–" if self.percent is None else f"{self.percent}%"

    def __str__(self) -> str:
        return self.text


@dataclass
class ShareRow:
    theme: ThemeEntry
    ideas: list[Share]  # a column each, then all sectors
    dots: list[Share]


@dataclass
class ThemesBySector:
    columns: list[SectorColumn]
    rows: list[ShareRow]
    ideas: int
    dots: int


def _share(part: int, whole: int, withheld: bool = False) -> Share:
    if withheld:
        return Share(None, withheld=True)
    return Share(round(100 * part / whole) if whole else None)


def _combined(small: list[SectorColumn], withheld: bool) -> SectorColumn:
    column = SectorColumn(
        str(OTHER_SECTORS),
        None if withheld else sum(c.people or 0 for c in small),
        sum(c.ideas for c in small),
        sum(c.dots for c in small),
    )
    for c in small:
        column.theme_ideas.update(c.theme_ideas)
        column.theme_dots.update(c.theme_dots)
    return column


def themes_by_sector(synthesis: Synthesis, names: dict[str, str]) -> ThemesBySector:
    """Each theme's share of each sector's ideas and dots on the subtheme, sectors in the
    summit's order (``names``), small ones only together."""
    people: dict[str, set[int]] = defaultdict(set)
    ideas: Counter = Counter()
    dots: Counter = Counter()
    votes_on: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for idea in synthesis.ideas.values():
        ideas[idea.sector] += 1
        if idea.author is not None:
            people[idea.sector].add(idea.author)
    for idea_id, voter, sector, n in synthesis.votes:
        dots[sector] += n
        people[sector].add(voter)
        votes_on[idea_id].append((sector, n))
    keys = in_sector_order(set(ideas) | set(dots), names)
    columns = {key: SectorColumn(names.get(key, key), len(people[key])) for key in keys}
    for key, column in columns.items():
        column.ideas, column.dots = ideas[key], dots[key]
    for entry in synthesis.themes:
        for idea in entry.ideas:
            if idea.sector in columns:
                columns[idea.sector].theme_ideas[entry.theme.pk] += 1
            for sector, n in votes_on.get(idea.id, ()):
                columns[sector].theme_dots[entry.theme.pk] += n
    shown = small_sectors_combined(columns.values(), lambda c: c.people, _combined)
    all_ideas, all_dots = sum(ideas.values()), sum(dots.values())
    rows = []
    for entry in synthesis.themes:
        pk = entry.theme.pk
        rows.append(
            ShareRow(
                entry,
                [
                    *(_share(c.theme_ideas[pk], c.ideas, c.withheld) for c in shown),
                    _share(len(entry.ideas), all_ideas),
                ],
                [
                    *(_share(c.theme_dots[pk], c.dots, c.withheld) for c in shown),
                    _share(entry.dots, all_dots),
                ],
            )
        )
    return ThemesBySector(shown, rows, all_ideas, all_dots)
