"""A poll's results, tallied in the database in a fixed number of queries however many people
answered, and laid out for charts that the templates draw as SVG."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext

from plenary.forms import lazy_levels_for
from plenary.models import Answer, Plenary, Poll, PollOption, Response
from summit.event.agreement import SUPPORT, Agreement, Decision, decide
from summit.event.measures import OTHER_SECTORS, cross_sector_support, small_sectors_combined
from summit.event.sectors import in_sector_order, sector_names

WORDS_SHOWN = 40
TEXTS_SHOWN = 100


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# What a tally pushed to every screen says in words is put into words as each screen's page
# is drawn, in its own language: a screen reads ``place``, ``name`` and ``shown_as``. The
# record reads the words as the tally wrote them (``note``, ``label``, ``sector``), in the
# language it is built in.


@dataclass
class Bar:
    """A row of a bar chart: a choice by how many chose it, or an item by its ranking."""

    label: str
    count: int
    width: float  # of the longest bar, as a percentage
    note: str = ""
    # A ranked item's average place, written out ("" when nobody has ranked it).
    place: str = ""
    # The option it stands for, whose text a screen shows in its reader's language.
    option: PollOption | None = None


@dataclass
class Segment:
    value: int
    label: str
    count: int
    x: float
    width: float
    # The level's name as a screen gives it (lazy).
    name: object = ""


@dataclass
class SectorSplit:
    """How the people of a sector rated a statement. In a row of sectors too small to show,
    together too few as well, the counts are withheld (``None``)."""

    sector: str
    support: int | None
    stand_aside: int | None
    against: int | None
    blocks: int | None
    withheld: bool = False
    # The small sectors' row, combined.
    combined: bool = field(default=False, compare=False)

    @property
    def rated(self) -> int:
        return self.support + self.stand_aside + self.against + self.blocks

    @property
    def shown_as(self):
        """The sector's name as a screen gives it."""
        return OTHER_SECTORS if self.combined else self.sector


def _combined(small: list[SectorSplit], withheld: bool) -> SectorSplit:
    if withheld:
        return SectorSplit(str(OTHER_SECTORS), None, None, None, None, withheld=True, combined=True)
    return SectorSplit(
        str(OTHER_SECTORS),
        combined=True,
        support=sum(s.support for s in small),
        stand_aside=sum(s.stand_aside for s in small),
        against=sum(s.against for s in small),
        blocks=sum(s.blocks for s in small),
    )


@dataclass
class Statement:
    """A rated statement: how many chose each level, as a stacked bar, and (in the consensus
    check) what each decision rule makes of it."""

    option: PollOption
    rated: int
    segments: list[Segment]
    decision: Decision | None = None
    sectors: list[SectorSplit] = field(default_factory=list)
    remarks: list[tuple[int, str, str]] = field(default_factory=list)  # level, sector, text
    # Each remark as the console lists it: its text and who gave it (the sector, and in the
    # consensus check the level chosen), worked out here rather than per remark in the
    # template, as a consensus check can bring thousands.
    remark_lines: list[tuple[str, str]] = field(default_factory=list)

    @property
    def support_score(self) -> float:
        """Cross-sector support: supporters counted by sector (see summit.event.measures)."""
        return cross_sector_support({s.sector: s.support for s in self.sectors})

    @property
    def supporting_sectors(self) -> int:
        return sum(1 for s in self.sectors if s.support)

    @property
    def sectors_shown(self) -> list[SectorSplit]:
        """The split by sector as every screen and the record show it: a sector where fewer
        than ``SMALLEST_CELL`` people rated only within a combined row
        (``summit.event.measures.small_sectors_combined``)."""
        return small_sectors_combined(self.sectors, lambda s: s.rated, _combined)


@dataclass
class Word:
    text: str
    count: int
    size: int  # 1 to 5, for the word cloud's type sizes


@dataclass
class Results:
    poll: Poll
    responses: int
    bars: list[Bar] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # sector, text
    levels: list[tuple[int, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.responses == 0


def _sector_names(poll: Poll, names: dict[str, str] | None) -> dict[str, str]:
    """The names of the poll's summit's sectors: as given, or read (one query)."""
    if names is not None:
        return names
    if Poll._meta.get_field("plenary").is_cached(poll):
        # The answer's push has the plenary at hand: ask for the sectors by its summit alone.
        return sector_names(poll.plenary.summit_id)
    return sector_names(Plenary.objects.filter(pk=poll.plenary_id).values("summit_id")[:1])


def tally(
    poll: Poll,
    options: list[PollOption] | None = None,
    names: dict[str, str] | None = None,
    *,
    supermajority: int | None = None,
) -> Results:
    """The poll's results. At most four queries (three with ``options`` given), and one more
    for a poll whose results name sectors unless ``names``, the summit's sector names
    (``summit.event.sectors.sector_names``), are given: a page of many polls reads them once.

    A consensus check is read by the summit's own supermajority, in per cent: give it as
    ``supermajority`` where the summit is at hand, or it is read from the poll's plenary."""
    if options is None and poll.has_options:
        options = list(poll.options.all())
    results = Results(poll=poll, responses=Response.objects.filter(poll=poll).count())
    answers = Answer.objects.filter(response__poll=poll)
    if poll.kind == Poll.Kind.CHOICE:
        counts = dict(
            answers.values("option_id").annotate(n=Count("id")).values_list("option_id", "n")
        )
        _bars(results, [(o.text, counts.get(o.pk, 0), "", "", o) for o in options], sort=False)
        for bar in results.bars:
            bar.note = f"{percent(bar.count, results.responses):g}%"
    elif poll.kind == Poll.Kind.RANKING:
        _ranking(results, options, answers)
    elif poll.rated:
        _rated(results, options, answers, _sector_names(poll, names), supermajority)
    elif poll.kind == Poll.Kind.WORDS:
        _words(results, answers)
    else:
        sectors = _sector_names(poll, names)
        rows = answers.order_by("-response__updated_at", "-id").values_list(
            "response__participant__sector", "text"
        )[:TEXTS_SHOWN]
        results.texts = [(sectors.get(s, ""), text) for s, text in rows]
    return results


def _bars(
    results: Results, rows: list[tuple[str, int, str, str, PollOption]], *, sort: bool
) -> None:
    """``rows``: each bar's label, count, note, place and option."""
    top = max((row[1] for row in rows), default=0)
    if sort:
        rows = sorted(rows, key=lambda row: -row[1])
    results.bars = [
        Bar(label, count, percent(count, top) if top else 0.0, note, place, option)
        for label, count, note, place, option in rows
    ]


def _ranking(results: Results, options: list[PollOption], answers) -> None:
    """Items by Borda points: first place earns as many points as there are items, last one.

    Ties keep the poll's own order, so the same answers always give the same ranking.
    """
    n = len(options)
    rows = answers.values("option_id").annotate(places=Sum("value"), ranked=Count("id"))
    by_option = {row["option_id"]: row for row in rows}
    scored = []
    for option in options:
        row = by_option.get(option.pk, {"places": 0, "ranked": 0})
        points = row["ranked"] * (n + 1) - (row["places"] or 0)
        average = (row["places"] / row["ranked"]) if row["ranked"] else None
        place = f"{average:.1f}" if average is not None else ""
        note = (
            gettext("average place %(place)s") % {"place": place}
            if place
            else gettext("not yet ranked")
        )
        scored.append((option.text, points, note, place, option))
    _bars(results, scored, sort=True)


# A level's name in lower case, as a remark's byline gives it: put into words when drawn, so
# that a tally pushed to every screen reads in each screen's own language.
_lower = lazy(lambda label: str(label).lower(), str)


def _split(name: str, split: Counter) -> SectorSplit:
    return SectorSplit(
        name,
        support=sum(n for v, n in split.items() if v in SUPPORT),
        stand_aside=split[Agreement.STAND_ASIDE],
        against=split[Agreement.DISAGREE],
        blocks=split[Agreement.BLOCK],
    )


def _rated(
    results: Results,
    options: list[PollOption],
    answers,
    sectors: dict[str, str],
    supermajority: int | None,
) -> None:
    levels = lazy_levels_for(results.poll)
    results.levels = levels
    consensus = results.poll.kind == Poll.Kind.CONSENSUS
    if consensus and supermajority is None:
        supermajority = results.poll.plenary.summit.supermajority
    counts: dict[int, Counter] = defaultdict(Counter)
    by_sector: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    rows = answers.values_list("option_id", "value", "response__participant__sector").annotate(
        n=Count("id")
    )
    for option_id, value, sector, n in rows:
        counts[option_id][value] += n
        by_sector[option_id][sector][value] += n
    level_names = {value: _lower(label) for value, label in levels}
    remarks: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    written = (
        answers.exclude(text="")
        .order_by("value", "id")
        .values_list("option_id", "value", "response__participant__sector", "text")
    )
    for option_id, value, sector, text in written:
        remarks[option_id].append((value, sectors.get(sector, ""), text))
    for option in options:
        tally_ = counts[option.pk]
        rated = sum(tally_.values())
        segments, x = [], 0.0
        for value, label in levels:
            width = percent(tally_[value], rated)
            segments.append(Segment(value, str(label), tally_[value], x, width, name=label))
            x += width
        statement = Statement(option, rated, segments, remarks=remarks[option.pk])
        statement.remark_lines = [
            (
                text,
                format_lazy("{}, {}", sector, level_names.get(level, "")) if consensus else sector,
            )
            for level, sector, text in statement.remarks
        ]
        if consensus:
            statement.decision = decide(tally_, supermajority)
            splits = by_sector[option.pk]
            statement.sectors = [
                _split(sectors[sector], splits[sector])
                for sector in in_sector_order(splits, sectors)
                if sector in sectors
            ]
        results.statements.append(statement)


def _words(results: Results, answers) -> None:
    """Words and phrases grouped whatever their case, each shown as most people wrote it.

    Grouped here rather than in SQL: SQLite's lower() folds only ASCII letters.
    """
    counts: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for text in answers.values_list("text", flat=True).iterator():
        key = text.casefold()
        counts[key] += 1
        spellings[key][text] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:WORDS_SHOWN]
    if not ranked:
        return
    top = ranked[0][1]
    results.words = [
        Word(
            text=min(spellings[key].items(), key=lambda s: (-s[1], s[0]))[0],
            count=n,
            size=1 + round(4 * (n - 1) / (top - 1)) if top > 1 else 3,
        )
        for key, n in ranked
    ]
