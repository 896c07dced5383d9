"""Themes across rooms, in the record: for each subtheme, every theme its synthesis leads kept,
in their order, with the clusters and outcomes mapped to it and the breakouts (rooms) they
came from, the numbers of its ideas (each on a wall elsewhere in the record), its dots, its
cross-sector support and its supporters by sector, small sectors only together; then what
no theme took.

Loaded through ``summit.synthesis.board`` in six queries however many themes, mappings,
ideas and dots (one when no theme was kept), and given as blocks for the page, Word and
Markdown, as the ``themes`` table of the spreadsheet and CSV, and as the JSON document's
``themes``. A facilitator's record gives the themes of their own breakouts' clusters and
outcomes, counting only what those breakouts brought to each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from breakouts.models import Breakout
from summit.event.measures import SectorCell
from summit.event.models import Summit
from summit.record import parts
from summit.record.blocks import (
    Block,
    Close,
    Fact,
    Facts,
    Heading,
    Item,
    Items,
    Open,
    paragraph,
)
from summit.record.blocks import people as people_count
from summit.record.breakout_contents import OutcomeEntry
from summit.record.contents import Record
from summit.record.texts import subtheme_heading
from summit.synthesis.access import CLUSTER
from summit.synthesis.board import Item as Mapped
from summit.synthesis.board import Synthesis, ThemeEntry, gather
from summit.synthesis.models import Theme

TITLE = gettext_lazy("Themes across rooms")
NOTE = gettext_lazy(
    "The themes the synthesis leads kept across each subtheme’s breakouts, and the clusters "
    "and outcomes each breakout’s facilitators or a lead mapped to them: nothing was mapped "
    "without a person confirming it. A theme’s ideas are those on the wall of its clusters "
    "and of its outcomes’ sources, each once, numbered as elsewhere in the record (#12). Its "
    "support is counted as an idea’s: a supporter is anyone with a dot on any of its ideas, "
    "counted once, and its cross-sector support is the sum over sectors of log2(1 + "
    "supporters). A sector of fewer than 5 supporters is counted only together with other "
    "sectors, so that no small sector’s count can be worked out."
)


@dataclass
class MappedLine:
    """A cluster (by its id) or an outcome (by its number in the record) and its breakout."""

    kind: str
    number: int
    text: str
    breakout: str

    @property
    def words(self) -> str:
        said = {"number": self.number, "text": self.text, "breakout": self.breakout}
        if self.kind == CLUSTER:
            return _("Cluster “%(text)s” (%(breakout)s)") % said
        return _("Outcome %(number)s: %(text)s (%(breakout)s)") % said


@dataclass
class ThemeLine:
    id: int
    name: str
    description: str
    position: int
    clusters: list[MappedLine]
    outcomes: list[MappedLine]
    rooms: list[tuple[int, str]]
    ideas: list[int]
    dots: int
    supporters: int
    score: float
    supporting_sectors: int
    sectors: tuple[SectorCell, ...]

    @property
    def rounded(self) -> float:
        return round(self.score, 2)

    def breakdown(self, separator: str = ", ") -> str:
        return separator.join(str(cell) for cell in self.sectors)


@dataclass
class SubthemeThemes:
    order: int
    title: str
    themes: list[ThemeLine] = field(default_factory=list)
    unmapped: list[MappedLine] = field(default_factory=list)
    title_cy: str = ""


def _line(item: Mapped, numbers: dict[int, int]) -> MappedLine:
    number = item.id if item.kind == CLUSTER else numbers.get(item.id, item.id)
    return MappedLine(item.kind, number, item.name, item.breakout)


def _theme(entry: ThemeEntry, numbers: dict[int, int]) -> ThemeLine:
    lines = [_line(item, numbers) for item in entry.items]
    theme = entry.theme
    return ThemeLine(
        id=theme.pk,
        name=theme.name,
        description=theme.description,
        position=theme.position,
        clusters=[line for line in lines if line.kind == CLUSTER],
        outcomes=sorted((x for x in lines if x.kind != CLUSTER), key=lambda x: x.number),
        rooms=entry.rooms,
        ideas=[idea.id for idea in entry.ideas],
        dots=entry.dots,
        supporters=entry.supporters,
        score=entry.score,
        supporting_sectors=entry.supporting_sectors,
        sectors=tuple(entry.sectors),
    )


def load_themes(
    summit: Summit,
    breakouts: list[Breakout],
    outcomes: dict[int, list[OutcomeEntry]],
    names: dict[str, str],
    *,
    whole: bool,
) -> list[SubthemeThemes]:
    """Each subtheme with themes or with a record's breakout on it, in the summit's order,
    for the record's ``breakouts``; their ``outcomes`` (by breakout) give each outcome's
    number in the record, and ``names`` the summit's sectors. In a record of some breakouts
    only (``whole`` false), only the themes something of theirs is mapped to."""
    numbers = {o.id: o.number for entries in outcomes.values() for o in entries}
    themes = list(
        Theme.objects.filter(subtheme__summit=summit)
        .select_related("subtheme")
        .order_by("subtheme__order", "subtheme_id", "position", "pk")
    )
    if not themes:
        return []
    syntheses = gather(themes, breakouts, names, texts=False)
    subthemes = {theme.subtheme_id: theme.subtheme for theme in themes}
    subthemes.update((b.subtheme_id, b.subtheme) for b in breakouts)
    found = []
    for subtheme in sorted(subthemes.values(), key=lambda s: (s.order, s.pk)):
        synthesis = syntheses.get(subtheme.pk) or Synthesis(subtheme.pk)
        entries = [e for e in synthesis.themes if whole or e.items]
        if not entries and not synthesis.unmapped:
            continue
        found.append(
            SubthemeThemes(
                subtheme.order,
                subtheme.title,
                [_theme(entry, numbers) for entry in entries],
                [_line(item, numbers) for item in synthesis.unmapped],
                subtheme.title_cy,
            )
        )
    return found


# The page, Word and Markdown


def _facts(t: ThemeLine) -> list[Fact]:
    rooms = ", ".join(name for _pk, name in t.rooms) or _("None")
    score = parts.score(t.score)
    if t.supporting_sectors:
        score = ngettext(
            "%(score)s from %(count)s sector",
            "%(score)s from %(count)s sectors",
            t.supporting_sectors,
        ) % {"score": score, "count": t.supporting_sectors}
    return [
        Fact(_("Rooms"), rooms),
        Fact(_("Ideas"), ", ".join(f"#{i}" for i in t.ideas) or _("None")),
        Fact(
            _("Dots"),
            _("%(dots)s from %(people)s") % {"dots": t.dots, "people": people_count(t.supporters)},
        ),
        Fact(_("Cross-sector support"), score),
        Fact(_("Supporters by sector"), t.breakdown() or _("None")),
    ]


def _theme_blocks(t: ThemeLine) -> Iterator[Block]:
    yield Open("block")
    yield Heading(4, t.name, f"theme-{t.id}")
    if t.description:
        yield paragraph(t.description, "reading")
    yield Facts(_facts(t))
    mapped = [*t.clusters, *t.outcomes]
    yield paragraph(_("Mapped to it:"), "label")
    yield Items([Item(line.words) for line in mapped], empty=_("Nothing"))
    yield Close("block")


def theme_blocks(record: Record) -> Iterator[Block]:
    yield paragraph(str(NOTE))
    if not record.themes:
        yield paragraph(_("No themes were kept across the rooms."))
        return
    for s in record.themes:
        yield subtheme_heading(3, s)
        if not s.themes:
            yield paragraph(_("No themes were kept for this subtheme."))
        for t in s.themes:
            yield from _theme_blocks(t)
        if s.unmapped:
            yield paragraph(_("Not mapped to any theme:"), "label")
            yield Items([Item(line.words) for line in s.unmapped])


# The spreadsheet, the CSV bundle and the JSON document

THEME_COLUMNS = [
    "subtheme",
    "id",
    "name",
    "description",
    "position",
    "rooms",
    "clusters",
    "outcomes",
    "ideas",
    "dots",
    "supporters",
    "support_score",
    "supporting_sectors",
    "supporters_by_sector",
]


def theme_rows(record: Record) -> Iterator[dict]:
    """Each theme, subtheme by subtheme: its clusters by id and outcomes by number, its
    ideas by number, its supporters by sector in words."""
    for s in record.themes:
        for t in s.themes:
            yield {
                "subtheme": s.order,
                "id": t.id,
                "name": t.name,
                "description": t.description,
                "position": t.position,
                "rooms": "; ".join(name for _pk, name in t.rooms),
                "clusters": " ".join(str(c.number) for c in t.clusters),
                "outcomes": " ".join(str(o.number) for o in t.outcomes),
                "ideas": " ".join(f"#{i}" for i in t.ideas),
                "dots": t.dots,
                "supporters": t.supporters,
                "support_score": t.rounded,
                "supporting_sectors": t.supporting_sectors,
                "supporters_by_sector": t.breakdown("; "),
            }


def themes_json(record: Record) -> list[dict]:
    """The JSON document's ``themes``: supporters by sector as a list, a count of people
    withheld null."""
    return [
        {
            "subtheme": s.order,
            "title": s.title,
            "title_cy": s.title_cy,
            "themes": [
                {
                    "id": t.id,
                    "name": t.name,
                    "description": t.description,
                    "position": t.position,
                    "rooms": [{"breakout": pk, "name": name} for pk, name in t.rooms],
                    "clusters": [c.number for c in t.clusters],
                    "outcomes": [o.number for o in t.outcomes],
                    "ideas": t.ideas,
                    "dots": t.dots,
                    "supporters": t.supporters,
                    "support_score": t.rounded,
                    "supporting_sectors": t.supporting_sectors,
                    "supporters_by_sector": [
                        {"sector": cell.label, "supporters": cell.count} for cell in t.sectors
                    ],
                }
                for t in s.themes
            ],
            "unmapped": {
                "clusters": [x.number for x in s.unmapped if x.kind == CLUSTER],
                "outcomes": [x.number for x in s.unmapped if x.kind != CLUSTER],
            },
        }
        for s in record.themes
    ]
