"""How views moved between the two rounds of an agreement scale asked again at the close.

For each statement: how many chose each level in each round, and the mean level of all who
answered each round (the aggregate); then, for the people who answered both rounds, how far
they moved on average and how many moved up, down or not at all (paired per person, the
measure deliberative polling uses), overall and by sector. Loaded in a fixed number of
queries however many answered, between the models and the services.

Nobody's own pair of answers leaves this module: only counts and means do. A sector counts
for a view by sector only with at least ``SMALLEST_CELL`` people who answered both rounds
(``summit.event.measures.small_sectors_combined``), and movement is given only for as many
people overall: fewer, and a person's own move could be read off the totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from plenary.forms import SCALE
from plenary.models import Answer, Poll, PollOption
from plenary.results import percent
from summit.event.measures import OTHER_SECTORS, SMALLEST_CELL, small_sectors_combined
from summit.event.sectors import in_sector_order, sector_names


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def signed(value: float | None) -> str:
    """A shift as it is written: with a plus sign towards agreement, a minus sign away,
    "0.00" for none, and a dash where there is nothing to compare."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{value:.2f}"
    return f"−{-value:.2f}" if value < 0 else "0.00"


@dataclass
class LevelShift:
    """A level of the scale: how many chose it in each round, and each round's share as a
    bar's width and where it starts in its stacked bar (per cent)."""

    value: int
    label: str
    before: int
    after: int
    before_width: float = 0.0
    after_width: float = 0.0
    before_x: float = 0.0
    after_x: float = 0.0


@dataclass
class Movement:
    """The people who answered both rounds: how many, how far they moved on average (up is
    towards agreement, in levels of the scale), and how many moved up, down or stayed. All
    ``None`` where there are too few to give."""

    people: int | None
    shift: float | None = None
    up: int | None = None
    down: int | None = None
    same: int | None = None

    @property
    def withheld(self) -> bool:
        return self.people is None

    @property
    def shift_text(self) -> str:
        return signed(self.shift)


def movement(moves: list[int]) -> Movement:
    """Each person's move (their closing level less their first), as totals; withheld for
    fewer than ``SMALLEST_CELL`` people."""
    if len(moves) < SMALLEST_CELL:
        return Movement(None)
    return Movement(
        people=len(moves),
        shift=_mean(moves),
        up=sum(1 for m in moves if m > 0),
        down=sum(1 for m in moves if m < 0),
        same=sum(1 for m in moves if m == 0),
    )


@dataclass
class SectorShift:
    """A sector (or the small sectors together): the aggregate of each round and the paired
    movement. In a row of sectors too few to show, everything is withheld (``None``)."""

    sector: str
    before: int | None
    after: int | None
    mean_before: float | None
    mean_after: float | None
    moved: Movement

    @property
    def withheld(self) -> bool:
        return self.moved.withheld

    @property
    def shift(self) -> float | None:
        if self.mean_before is None or self.mean_after is None:
            return None
        return round(self.mean_after - self.mean_before, 2)

    @property
    def shift_text(self) -> str:
        return signed(self.shift)


@dataclass
class StatementShift:
    number: int
    text: str
    levels: list[LevelShift]
    before: int  # people who placed it in the first round
    after: int  # and in the closing round
    mean_before: float | None
    mean_after: float | None
    moved: Movement
    sectors: list[SectorShift] = field(default_factory=list)
    text_cy: str = ""  # the statement in Welsh, where it has a Welsh version

    @property
    def shift(self) -> float | None:
        """The aggregate shift: the closing round's mean less the first round's."""
        if self.mean_before is None or self.mean_after is None:
            return None
        return round(self.mean_after - self.mean_before, 2)

    @property
    def shift_text(self) -> str:
        return signed(self.shift)


@dataclass
class PollShift:
    baseline: Poll
    closing: Poll
    before: int  # people who answered the first round
    after: int  # people who answered the closing round
    both: int  # people who answered both
    statements: list[StatementShift]

    @property
    def asked_again(self) -> bool:
        return self.closing.state != Poll.State.DRAFT


class _Group(NamedTuple):
    label: str
    before: list[int]
    after: list[int]
    moves: list[int]
    withheld: bool = False


def _combined(small: list[_Group], withheld: bool) -> _Group:
    return _Group(
        str(OTHER_SECTORS),
        [v for g in small for v in g.before],
        [v for g in small for v in g.after],
        [m for g in small for m in g.moves],
        withheld,
    )


def _sector_row(group: _Group) -> SectorShift:
    if group.withheld or len(group.moves) < SMALLEST_CELL:
        return SectorShift(group.label, None, None, None, None, Movement(None))
    return SectorShift(
        group.label,
        len(group.before),
        len(group.after),
        _mean(group.before),
        _mean(group.after),
        movement(group.moves),
    )


def _by_sector(
    before: dict[int, int], after: dict[int, int], sector_of: dict[int, str], names: dict
) -> list[SectorShift]:
    groups: dict[str, _Group] = {}
    for person, value in before.items():
        groups.setdefault(sector_of[person], _Group("", [], [], [])).before.append(value)
    for person, value in after.items():
        group = groups.setdefault(sector_of[person], _Group("", [], [], []))
        group.after.append(value)
        if person in before:
            group.moves.append(value - before[person])
    rows = [
        groups[key]._replace(label=names[key])
        for key in in_sector_order(groups, names)
        if key in names
    ]
    # A row's counts of each round are given beside the statement's totals: a combined row
    # with anyone in either round counts as someone, so it takes in the smallest sector shown
    # until five or more answered both rounds (and so each round too).
    shown = small_sectors_combined(
        rows, lambda g: len(g.moves), _combined, anyone=lambda g: bool(g.before or g.after)
    )
    return [_sector_row(group) for group in shown]


def _levels(before: dict[int, int], after: dict[int, int]) -> list[LevelShift]:
    levels, x_before, x_after = [], 0.0, 0.0
    for value, label in SCALE:
        level = LevelShift(
            value,
            str(label),
            sum(1 for v in before.values() if v == value),
            sum(1 for v in after.values() if v == value),
        )
        level.before_width = percent(level.before, len(before))
        level.after_width = percent(level.after, len(after))
        level.before_x, level.after_x = x_before, x_after
        x_before += level.before_width
        x_after += level.after_width
        levels.append(level)
    return levels


def _statement(
    number: int, option: PollOption, before: dict, after: dict, sector_of: dict, names: dict
) -> StatementShift:
    moves = [value - before[person] for person, value in after.items() if person in before]
    return StatementShift(
        number=number,
        text=option.text,
        text_cy=option.text_cy,
        levels=_levels(before, after),
        before=len(before),
        after=len(after),
        mean_before=_mean(list(before.values())),
        mean_after=_mean(list(after.values())),
        moved=movement(moves),
        sectors=_by_sector(before, after, sector_of, names),
    )


def shifts_for(
    pairs: Iterable[tuple[Poll, Poll]],
    options: dict[int, list[PollOption]],
    names: dict[str, str],
) -> list[PollShift]:
    """Each (first round, closing round) pair's shift: one query for every pair's answers.
    ``options`` are each poll's statements in their order, by poll id; statements pair by
    their place, as the closing round copies them."""
    pairs = list(pairs)
    ids = [poll.pk for pair in pairs for poll in pair]
    place = {o.pk: n for pk in ids for n, o in enumerate(options.get(pk, []))}
    # By poll, by statement's place, each person's level.
    levels: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    answered: dict[int, set[int]] = defaultdict(set)
    sector_of: dict[int, str] = {}
    rows = Answer.objects.filter(
        response__poll_id__in=ids, option__isnull=False, value__isnull=False
    ).values_list(
        "response__poll_id",
        "option_id",
        "response__participant_id",
        "response__participant__sector",
        "value",
    )
    for poll_id, option_id, person, sector, value in rows.iterator():
        if option_id in place:
            levels[poll_id][place[option_id]][person] = value
            answered[poll_id].add(person)
            sector_of[person] = sector
    shifts = []
    for baseline, closing in pairs:
        first, last = options.get(baseline.pk, []), options.get(closing.pk, [])
        statements = [
            _statement(
                n + 1,
                option,
                levels[baseline.pk][n],
                levels[closing.pk][n],
                sector_of,
                names,
            )
            for n, option in enumerate(first[: len(last)] if last else first)
        ]
        before, after = answered[baseline.pk], answered[closing.pk]
        shifts.append(
            PollShift(baseline, closing, len(before), len(after), len(before & after), statements)
        )
    return shifts


def load_shifts(summit_id: int, names: dict[str, str] | None = None) -> list[PollShift]:
    """Every poll of the summit asked again at the close, in running order, with how views
    moved: four queries (three with the summit's sector ``names`` given, one with none asked
    again)."""
    closing = list(
        Poll.objects.filter(plenary__summit_id=summit_id, baseline__isnull=False)
        .select_related("baseline")
        .order_by("baseline__position", "baseline__created_at", "baseline_id")
    )
    if not closing:
        return []
    ids = [poll.pk for poll in closing] + [poll.baseline_id for poll in closing]
    options: dict[int, list[PollOption]] = defaultdict(list)
    for option in PollOption.objects.filter(poll_id__in=ids).order_by("poll_id", "order", "id"):
        options[option.poll_id].append(option)
    if names is None:
        names = sector_names(summit_id)
    return shifts_for(((poll.baseline, poll) for poll in closing), options, names)
